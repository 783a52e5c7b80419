"""sume-notebook: the Sume Public API as a first-class citizen of Jupyter."""

__version__ = "0.1.0"

__all__ = ["__version__"]
