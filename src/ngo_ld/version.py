"""The release number, in a module of its own so that the web layer and the CLI can name
it without importing the package's top level (which itself imports the web layer)."""

__version__ = "0.1.0"
