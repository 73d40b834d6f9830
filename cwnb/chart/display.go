package chart

import (
	"html"
	"io"
	"os"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
)

// Display shows the chart as the output of the current GoNB cell: one display_data message with
// the whole bundle, so the front end picks text/html (live notebooks, reports), image/png (GitHub)
// or text/plain. It never waits for a browser, so it works under nbconvert. If rendering fails,
// the error is shown in the cell (and returned). Outside GoNB it writes the alt text to stdout and
// renders nothing.
func (c *Chart) Display() error {
	if !gonbui.IsNotebook {
		_, err := io.WriteString(os.Stdout, c.Text()+"\n")
		return err
	}
	b, err := c.Bundle()
	if err != nil {
		gonbui.SendData(&protocol.DisplayData{Data: map[protocol.MIMEType]any{
			protocol.MIMETextPlain: err.Error(),
			protocol.MIMETextHTML:  `<pre style="color:#a00">` + html.EscapeString(err.Error()) + `</pre>`,
		}})
		return err
	}
	gonbui.SendData(&protocol.DisplayData{Data: mimeData(b)})
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
