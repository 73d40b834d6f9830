package nbdiff

import (
	"errors"
	"io"
	"testing"
)

// FuzzTextconv feeds arbitrary files to the filter: it returns text or ErrNotNotebook-wrapped
// errors, never panics.
func FuzzTextconv(f *testing.F) {
	f.Add([]byte(`{"cells":[{"cell_type":"code","source":"x","outputs":[{"output_type":"display_data","data":{"text/html":"<div class=\"cwnb-chart\" id=\"cwnb-chart-0123456789abcdef\" data-cwnb-image=\"AAAA\"><script type=\"application/json\" class=\"cwnb-option\">{\"option\":{\"series\":[{\"data\":{\"cwnbPacked\":1,\"v\":[1,2]}}]}}</script></div>"}}]}]}`))
	f.Add([]byte(`{"cells":[{"cell_type":"code","source":["a","b"],"outputs":[{"output_type":"display_data","data":{"image/png":"iVBORw0KGgo="}},{"output_type":"error","ename":"E","evalue":"v","traceback":["\u001b[31mx"]}]}]}`))
	f.Add([]byte("<<<<<<< HEAD\n"))
	f.Add([]byte(`{"cells":[{"cell_type":"code","source":"","outputs":[{"output_type":"display_data","data":{"text/html":"<div class=\"cwnb-chart\" id=\"cwnb-chart-ab\">"}}]}]}`))
	f.Add([]byte(`{"cells": 3}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		err := Textconv(io.Discard, "f.ipynb", data)
		if err != nil && !errors.Is(err, ErrNotNotebook) {
			t.Fatalf("error not marked ErrNotNotebook: %v", err)
		}
	})
}
