"""breachdocs: docs-as-code publishing for data-breach compliance."""

__version__ = "0.1.0"
