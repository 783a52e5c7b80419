"""Benchmarks of issue 6: each figure measured side by side with what a user would write by hand.

Each benchmark is a module with `NUMBER` (its number in the issue) and `run(...) -> list[Row]`, whose keyword
arguments set its size and have the issue's sizes as defaults. `run` starts its own sandbox, may print a few
lines of detail, and returns the rows of the table that `python -m benchmarks` prints. Numbers are printed,
never asserted: the machines are shared and noisy. Benchmarks 4-6 (start-up, widget traffic, notebook weight)
join by adding their module to `BENCHMARKS` in `__main__`.
"""
