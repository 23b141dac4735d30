"""Commonweal: an open platform for social productivity in a place."""

__version__ = "0.1.0.dev0"
