"""Generated traffic with a known truth, shared by the e2e tests and the benchmarks."""
