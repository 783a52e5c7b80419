"""The package version: a leaf every floor may read (the client sends it as its User-Agent)."""

__version__ = "0.1.0"
