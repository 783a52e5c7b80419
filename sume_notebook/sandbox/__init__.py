"""A local Sume-compatible server: the embedded default of the demo, the docs and the tests."""
