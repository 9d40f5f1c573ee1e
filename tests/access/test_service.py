"""Users, sign-in throttling and API tokens, on both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from safeguard.access import service
from safeguard.access.models import ApiToken
from safeguard.access.roles import Role
from safeguard.errors import InvalidInputError

PASSWORD = "correct horse battery"


def _user(session: Session, name: str = "pc.dale", role: str = "response") -> None:
    service.add_user(
        session=session,
        username=name,
        display_name="PC Dale",
        role=role,
        team="West response",
        area="west",
        password=PASSWORD,
    )


def test_a_user_signs_in_with_the_right_password_only(session: Session) -> None:
    _user(session)
    who = service.authenticate(session=session, username="pc.dale", password=PASSWORD, client="a")
    assert who is not None and who.role is Role.RESPONSE
    assert (
        service.authenticate(session=session, username="pc.dale", password="wrong", client="a")
        is None
    )


def test_passwords_are_stored_as_argon2_hashes(session: Session) -> None:
    _user(session)
    user = service.get_user(session=session, username="pc.dale")
    assert user.password_hash and user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_unknown_roles_areas_and_short_passwords_are_refused(session: Session) -> None:
    for bad in ({"role": "wizard"}, {"area": "east"}, {"password": "short"}):
        args = {
            "username": "x",
            "display_name": "X",
            "role": "mash",
            "team": "MASH",
            "area": "north",
            "password": PASSWORD,
        } | bad
        with pytest.raises(InvalidInputError):
            service.add_user(session=session, **args)


def test_a_disabled_user_cannot_sign_in(session: Session) -> None:
    _user(session)
    service.disable_user(session=session, username="pc.dale")
    assert (
        service.authenticate(session=session, username="pc.dale", password=PASSWORD, client="a")
        is None
    )


def test_failed_sign_ins_are_throttled_by_user_and_by_client(session: Session) -> None:
    _user(session)
    _user(session, "pc.rigg")
    throttle = service.Throttle(max_failures=3, max_failures_per_client=3)
    for _ in range(3):
        assert (
            service.authenticate(
                session=session,
                username="pc.dale",
                password="bad",
                client="10.0.0.1",
                throttle=throttle,
            )
            is None
        )
    with pytest.raises(service.ThrottledError):
        service.authenticate(
            session=session,
            username="pc.dale",
            password=PASSWORD,
            client="10.0.0.2",
            throttle=throttle,
        )
    with pytest.raises(service.ThrottledError):  # same address, another user name
        service.authenticate(
            session=session,
            username="pc.rigg",
            password=PASSWORD,
            client="10.0.0.1",
            throttle=throttle,
        )
    assert (
        service.authenticate(
            session=session,
            username="pc.rigg",
            password=PASSWORD,
            client="10.0.0.3",
            throttle=throttle,
        )
        is not None
    )


def test_tokens_are_hashed_role_scoped_and_expire(session: Session) -> None:
    _user(session, "mash.system", role="mash")
    text, token = service.create_token(session=session, username="mash.system", name="feed")
    assert text not in token.token_hash
    who = service.principal_for_token(session=session, token=text)
    assert who is not None and who.role is Role.MASH and who.via == "token"
    assert service.principal_for_token(session=session, token=text + "x") is None
    token.expires_at = token.created_at - timedelta(seconds=1)
    session.flush()
    assert service.principal_for_token(session=session, token=text) is None


def test_a_token_stops_working_when_its_user_is_disabled_or_it_is_revoked(session: Session) -> None:
    _user(session, "sys", role="analyst")
    text, token = service.create_token(session=session, username="sys", name="t")
    token.revoked = True
    session.flush()
    assert service.principal_for_token(session=session, token=text) is None
    text2, _ = service.create_token(session=session, username="sys", name="t2")
    service.disable_user(session=session, username="sys")
    assert service.principal_for_token(session=session, token=text2) is None
    assert isinstance(token, ApiToken)


def test_a_token_cannot_take_a_role_its_user_lacks(session: Session) -> None:
    _user(session)
    with pytest.raises(InvalidInputError):
        service.create_token(session=session, username="pc.dale", name="t", role="auditor")


def test_one_address_may_fail_for_several_users_before_it_is_throttled(session: Session) -> None:
    _user(session)
    throttle = service.Throttle(max_failures=2, max_failures_per_client=4)
    for name in ("a", "b"):
        for _ in range(2):
            service.authenticate(
                session=session, username=name, password="x", client="proxy", throttle=throttle
            )
    with pytest.raises(service.ThrottledError):
        service.authenticate(
            session=session,
            username="pc.dale",
            password=PASSWORD,
            client="proxy",
            throttle=throttle,
        )
