"""Oracle: the analytics API checked against a brute-force computation of docs/metrics.md."""
