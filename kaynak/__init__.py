"""Kaynak: the software a civil-society resource center runs on."""

__version__ = "0.1.0"
