"""Benchmarks: each prints figures and ratios; none asserts a time (the machines are shared and noisy)."""
