"""fiw: an open, exact and fast implementation of the Freedom in the World rating system."""

__version__ = "0.1.0"
