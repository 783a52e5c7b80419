"""`python -m benchmarks` (make bench): run every benchmark and print its table."""

from __future__ import annotations

from . import sandbox_throughput


def main() -> None:
    sandbox_throughput.main()


if __name__ == "__main__":
    main()
