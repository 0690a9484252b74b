"""Lan Tỏa: track how an organisation studies and spreads a policy resolution."""

__version__ = "0.1.0"
