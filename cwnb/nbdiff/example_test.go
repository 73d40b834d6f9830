package nbdiff_test

import (
	"fmt"
	"os"

	"github.com/cwnb/cwnb/cwnb/nbdiff"
)

// A notebook as git diff shows it once `cwnb git setup` has run: sources and text outputs, no
// JSON, no execution counts.
func ExampleTextconv() {
	nb := `{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
	 {"cell_type": "markdown", "metadata": {}, "source": ["# Is the average hiding our tail?\n"]},
	 {"cell_type": "code", "execution_count": 7, "metadata": {}, "source": ["%%\n", "fmt.Println(6.8)"],
	  "outputs": [{"output_type": "stream", "name": "stdout", "text": ["6.8\n"]}]}]}`
	if err := nbdiff.Textconv(os.Stdout, "tail.ipynb", []byte(nb)); err != nil {
		fmt.Println(err)
	}
	// Output:
	// ## [1] markdown
	// # Is the average hiding our tail?
	//
	// ## [2] code
	// %%
	// fmt.Println(6.8)
	// ### stdout
	// 6.8
}
