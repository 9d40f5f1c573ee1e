"""Imports every domain's ORM models so that Base.metadata knows every table."""

from safeguard.pole import models as pole_models
from safeguard.risk import models as risk_models

__all__ = ["pole_models", "risk_models"]
