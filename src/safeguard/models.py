"""Imports every domain's ORM models so that Base.metadata knows every table."""

from safeguard.linkage import models as linkage_models
from safeguard.pole import models as pole_models

__all__ = ["linkage_models", "pole_models"]
