"""onrecord: who said what in news text."""

__version__ = "0.1.0"
