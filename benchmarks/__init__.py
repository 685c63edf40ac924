"""Speed figures for coop: `python -m benchmarks [--quick] [--json FILE]`."""
