package kernelspec_test

import (
	"fmt"

	"github.com/cwnb/cwnb/cwnb/kernelspec"
)

func ExampleGoEnvironment_CacheProxy() {
	env := kernelspec.GoEnvironment{GOMODCACHE: "/home/ana/go/pkg/mod"}
	fmt.Println(env.CacheProxy())
	// Output:
	// file:///home/ana/go/pkg/mod/cache/download
}

func ExampleSpec_Environ() {
	spec := kernelspec.Spec{Env: map[string]string{
		"PATH":    "/usr/local/go/bin:/kernels/cwnb/bin:${PATH}",
		"GOSUMDB": "off",
	}}
	for _, kv := range spec.Environ([]string{"PATH=/usr/bin:/bin"}) {
		fmt.Println(kv)
	}
	// Output:
	// GOSUMDB=off
	// PATH=/usr/local/go/bin:/kernels/cwnb/bin:/usr/bin:/bin
}
