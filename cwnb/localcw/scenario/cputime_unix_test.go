//go:build unix

package scenario

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time (user + system) the process has used so far. Benchmarks
// report it beside wall time because this machine is shared: wall time under load says
// little, CPU time much more.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
