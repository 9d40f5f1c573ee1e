"""Imports every domain's ORM models so that Base.metadata knows every table."""

from safeguard.access import models as access_models
from safeguard.linkage import models as linkage_models
from safeguard.pole import models as pole_models
from safeguard.quality import models as quality_models
from safeguard.risk import models as risk_models

__all__ = ["access_models", "linkage_models", "pole_models", "quality_models", "risk_models"]
