"""Single sign-on settings and the mapping of an identity to a Safeguard user, on both
databases (the flow itself runs against a real provider in tests/web/test_oidc.py)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from sqlalchemy.orm import Session

from safeguard.access import service
from safeguard.access.oidc import OidcError, OidcSettings, user_for_claims

COMPLETE = {
    "enabled": True,
    "issuer": "https://login.example.police.uk",
    "client_id": "safeguard",
    "client_secret": "a client secret",
    "redirect_url": "https://safeguard.example.police.uk/sign-in/oidc/callback",
}


def test_single_sign_on_is_off_unless_enabled_and_complete() -> None:
    assert OidcSettings().enabled is False
    assert OidcSettings(**COMPLETE).enabled is True  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="SAFEGUARD_OIDC_CLIENT_SECRET"):
        OidcSettings(**(COMPLETE | {"client_secret": ""}))  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="SAFEGUARD_OIDC_ISSUER must be https"):
        OidcSettings(**(COMPLETE | {"issuer": "http://login.example.police.uk"}))  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="openid"):
        OidcSettings(**(COMPLETE | {"scopes": "profile email"}))  # type: ignore[arg-type]


def _user(session: Session, name: str, email: str | None) -> None:
    user = service.add_user(
        session=session,
        username=name,
        display_name=name,
        role="ppu_investigator",
        team="North PPU",
        area="north",
        password=None,
    )
    user.email = email
    session.flush()


def test_an_identity_maps_to_an_existing_user_by_email_only_when_verified(
    session: Session,
) -> None:
    _user(session, "dc.hale", "dc.hale@example.police.uk")
    by_email = OidcSettings(**(COMPLETE | {"claim": "email", "match": "email"}))  # type: ignore[arg-type]
    claims = {"sub": "1", "email": "DC.Hale@example.police.uk", "email_verified": True}
    user = user_for_claims(session=session, settings=by_email, claims=claims)
    assert user.username == "dc.hale"
    with pytest.raises(OidcError, match="not verified"):
        user_for_claims(
            session=session, settings=by_email, claims=claims | {"email_verified": False}
        )
    with pytest.raises(OidcError, match="no Safeguard user"):
        user_for_claims(
            session=session,
            settings=by_email,
            claims=claims | {"email": "someone.else@example.police.uk"},
        )


def test_an_identity_never_creates_a_user(session: Session) -> None:
    settings = OidcSettings(**COMPLETE)  # type: ignore[arg-type]
    claims = {"sub": "1", "preferred_username": "chief.constable"}
    with pytest.raises(OidcError, match="does not create users"):
        user_for_claims(session=session, settings=settings, claims=claims)
    assert service.list_users(session=session) == []
