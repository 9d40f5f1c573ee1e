"""Settings of the web application, built inside the app factory; placeholder secrets fail fast
outside development."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from safeguard.access.oidc import OidcSettings
from safeguard.config import DEFAULT_DB

PLACEHOLDER_SECRET = "change-me"  # noqa: S105  (the placeholder that must be replaced)
MIN_SECRET_LENGTH = 32


def _repo_root() -> Path:
    return Path(__file__).resolve().parents[3]


class WebSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SAFEGUARD_", extra="ignore")

    db: str = DEFAULT_DB
    environment: Literal["development", "test", "production"] = "development"
    secret_key: SecretStr = SecretStr(PLACEHOLDER_SECRET)
    https: bool = False
    policy_file: str | None = None
    idle_minutes: int = 30
    max_session_hours: int = 12
    signin_max_failures: int = 5
    signin_window_minutes: int = 15
    break_glass_minutes: int = 30
    node_modules: Path = _repo_root() / "node_modules"
    oidc: OidcSettings = Field(default_factory=OidcSettings)  # SAFEGUARD_OIDC_*; off by default
    # database connections each server process keeps: one per request it runs at once
    db_pool_size: int = 20

    @model_validator(mode="after")
    def _secrets_are_real(self) -> WebSettings:
        secret = self.secret_key.get_secret_value()
        weak = secret == PLACEHOLDER_SECRET or len(secret) < MIN_SECRET_LENGTH
        if weak and self.environment != "development":
            raise ValueError(
                f"SAFEGUARD_SECRET_KEY must be a real secret of at least {MIN_SECRET_LENGTH} "
                f"characters outside development (environment is {self.environment!r})"
            )
        if weak:  # development only: a fresh secret per process, sessions end on restart
            self.secret_key = SecretStr(secrets.token_urlsafe(32))
        if self.environment == "production" and not self.https:
            raise ValueError("production must run under https (SAFEGUARD_HTTPS=true)")
        return self


def build_web_settings(*, db: str | None = None, policy_file: str | None = None) -> WebSettings:
    settings = WebSettings()
    update = {k: v for k, v in (("db", db), ("policy_file", policy_file)) if v}
    return settings.model_copy(update=update) if update else settings
