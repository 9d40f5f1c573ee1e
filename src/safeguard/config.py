"""Typed settings. Built when the command line or the app starts, never at import time."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DB = "sqlite:///safeguard.db"


class Settings(BaseSettings):
    """Settings read from the environment (prefix ``SAFEGUARD_``) or given explicitly."""

    model_config = SettingsConfigDict(env_prefix="SAFEGUARD_", extra="ignore")

    db: str = DEFAULT_DB
    timezone: str = "Europe/London"
    policy_file: str | None = None


def load_settings(*, db: str | None = None) -> Settings:
    """Settings from the environment, with an explicit ``--db`` taking precedence."""
    settings = Settings()
    if db:
        settings = settings.model_copy(update={"db": db})
    return settings
