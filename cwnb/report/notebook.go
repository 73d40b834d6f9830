package report

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
)

// Notebook is the part of a Jupyter notebook (nbformat 4) that reports and checks read.
type Notebook struct {
	Cells    []Cell         `json:"cells"`
	Metadata map[string]any `json:"metadata"`
}

// Cell is one notebook cell.
type Cell struct {
	Type           string   `json:"cell_type"` // "code", "markdown" or "raw"
	Source         Text     `json:"source"`
	ExecutionCount *int     `json:"execution_count,omitempty"` // the In [N] of an executed code cell
	Outputs        []Output `json:"outputs,omitempty"`
}

// Output is one output of a code cell.
type Output struct {
	Type      string          `json:"output_type"`    // "stream", "display_data", "execute_result", "error"
	Name      string          `json:"name,omitempty"` // stream: "stdout" or "stderr"
	Text      Text            `json:"text,omitempty"`
	Data      map[string]Text `json:"data,omitempty"` // MIME type → content
	EName     string          `json:"ename,omitempty"`
	EValue    string          `json:"evalue,omitempty"`
	Traceback []string        `json:"traceback,omitempty"`
}

// Text is a multi-line string that nbformat stores either as one string or as a list of lines.
type Text string

// UnmarshalJSON accepts a string or a list of strings (joined as they are: nbformat keeps the
// newlines in the lines). Any other JSON value (a JSON MIME bundle) is kept as its JSON text.
func (t *Text) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*t = Text(s)
		return nil
	}
	var lines []string
	if err := json.Unmarshal(b, &lines); err == nil {
		*t = Text(strings.Join(lines, ""))
		return nil
	}
	*t = Text(b)
	return nil
}

// ReadNotebook reads and parses an .ipynb file.
func ReadNotebook(path string) (*Notebook, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseNotebook(path, data)
}

// ParseNotebook parses the JSON of a notebook; name is used in error messages.
func ParseNotebook(name string, data []byte) (*Notebook, error) {
	var nb Notebook
	if err := json.Unmarshal(data, &nb); err != nil {
		return nil, fmt.Errorf("%s is not a Jupyter notebook: %w", name, err)
	}
	return &nb, nil
}

var headingRE = regexp.MustCompile(`(?m)^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$`)

// Title returns the text of the notebook's first markdown heading, or "" when it has none.
func (nb *Notebook) Title() string {
	for _, c := range nb.Cells {
		if c.Type != "markdown" {
			continue
		}
		if m := headingRE.FindStringSubmatch(string(c.Source)); m != nil {
			return stripMarkdown(m[1])
		}
	}
	return ""
}

var mdLinkRE = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)

// stripMarkdown removes inline markup from a heading: links keep their text; *, _ and ` go.
func stripMarkdown(s string) string {
	s = mdLinkRE.ReplaceAllString(s, "$1")
	return strings.NewReplacer("**", "", "__", "", "`", "", "*", "").Replace(s)
}

// KernelName returns the kernel the notebook's metadata asks for, or "".
func (nb *Notebook) KernelName() string {
	ks, _ := nb.Metadata["kernelspec"].(map[string]any)
	name, _ := ks["name"].(string)
	return name
}
