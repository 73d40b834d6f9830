package chart

import (
	"html"
	"io"
	"os"

	"github.com/cwnb/cwnb/cwnb/internal/nbout"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
)

// Display shows the chart as the output of the current GoNB cell: the display_data messages of
// Outputs, so the picture is stored once (image/png, which GitHub, JupyterLab and nbconvert
// show) and the interactive chart (text/html) replaces it where JavaScript runs. It never waits
// for a browser, so it works under nbconvert. If rendering fails, the error is shown in the cell
// (and returned). Outside GoNB it writes the alt text to stdout and renders nothing.
func (c *Chart) Display() error {
	if !gonbui.IsNotebook {
		_, err := io.WriteString(os.Stdout, c.Text()+"\n")
		return err
	}
	outs, err := c.Outputs()
	if err != nil {
		nbout.Send(&protocol.DisplayData{Data: map[protocol.MIMEType]any{
			protocol.MIMETextPlain: err.Error(),
			protocol.MIMETextHTML:  `<pre style="color:#a00">` + html.EscapeString(err.Error()) + `</pre>`,
		}})
		return err
	}
	for _, b := range outs {
		nbout.Send(&protocol.DisplayData{Data: mimeData(b)})
	}
	return gonbui.Error()
}

func mimeData(b map[string]any) map[protocol.MIMEType]any {
	d := make(map[protocol.MIMEType]any, len(b))
	for k, v := range b {
		d[protocol.MIMEType(k)] = v
	}
	return d
}

// Display shows several charts, each as its own display bundle, and returns the first error.
func Display(charts ...*Chart) error {
	var first error
	for _, c := range charts {
		if err := c.Display(); err != nil && first == nil {
			first = err
		}
	}
	return first
}
