package localcw_test

import (
	"testing"

	"github.com/cwnb/cwnb/cwnb/localcw"
)

// FuzzParseFaults: any specification gives faults that Validate accepts and that print back to
// a specification parsing to the same faults, or an error; never a panic.
func FuzzParseFaults(f *testing.F) {
	for _, s := range []string{"", "none", "throttle=0.3,rate=20,5xx=0.05,latency=20ms,pagesize=50,seed=7", "throttle=NaN",
		"rate=Inf", "rate=1e400", "burst=5", "latency=-1s", "throttle=0.1,throttle=0.2", "5xx=1", "seed=18446744073709551615", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		fs, err := localcw.ParseFaults(spec)
		if err != nil {
			return
		}
		if err := fs.Validate(); err != nil {
			t.Fatalf("ParseFaults(%q) = %+v, which Validate refuses: %v", spec, fs, err)
		}
		back, err := localcw.ParseFaults(fs.String())
		if err != nil || back != fs {
			t.Fatalf("ParseFaults(%q) = %+v prints %q, which parses to %+v, %v", spec, fs, fs.String(), back, err)
		}
	})
}
