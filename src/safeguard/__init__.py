"""Safeguard: a child-protection information system for police forces."""

__version__ = "0.1.0"
