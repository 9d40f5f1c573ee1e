"""Imports every domain's ORM models so that Base.metadata knows every table."""

from safeguard.access import models as access_models
from safeguard.pole import models as pole_models

__all__ = ["access_models", "pole_models"]
