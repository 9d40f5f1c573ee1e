"""Imports every domain's ORM models so that Base.metadata knows every table."""

from safeguard.pole import models as pole_models

__all__ = ["pole_models"]
