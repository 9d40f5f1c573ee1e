"""Users, sign-in with throttling, and API tokens. Functions flush, never commit."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from safeguard.access.models import ApiToken, SignInAttempt, User
from safeguard.access.passwords import MIN_LENGTH, hash_password, needs_rehash, verify_password
from safeguard.access.roles import Area, Role
from safeguard.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from safeguard.timeutil import now_utc

TOKEN_PREFIX = "sgt_"  # noqa: S105  (a prefix, not a secret)


@dataclass(frozen=True)
class Principal:
    """Who is making a request, and the one role they act in."""

    user_id: int
    username: str
    display_name: str
    role: Role
    team: str
    area: str
    via: str  # "session" or "token"


def _principal(user: User, *, via: str, role: str | None = None) -> Principal:
    return Principal(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=Role(role or user.role),
        team=user.team,
        area=user.area,
        via=via,
    )


def add_user(
    *,
    session: Session,
    username: str,
    display_name: str,
    role: str,
    team: str,
    area: str,
    password: str | None,
    email: str | None = None,
) -> User:
    try:
        Role(role)
        Area(area)
    except ValueError as exc:
        raise InvalidInputError(str(exc)) from None
    if not username or username != username.strip().lower():
        raise InvalidInputError("a user name must be lower case with no surrounding spaces")
    if password is not None and len(password) < MIN_LENGTH:
        raise InvalidInputError(f"a password needs at least {MIN_LENGTH} characters")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise InvalidInputError(f"user {username!r} already exists")
    email = email.strip().lower() if email else None
    if email is not None and "@" not in email:
        raise InvalidInputError(f"email {email!r} is not an email address")
    if email and session.scalar(select(User.id).where(User.email == email)) is not None:
        raise InvalidInputError(f"another user already has email {email!r}")
    user = User(
        username=username,
        email=email,
        display_name=display_name,
        role=role,
        team=team,
        area=area,
        password_hash=hash_password(password) if password else None,
        disabled=False,
        created_at=now_utc(),
    )
    session.add(user)
    session.flush()
    return user


def list_users(*, session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def get_user(*, session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFoundError(f"no user {username!r}")
    return user


def disable_user(*, session: Session, username: str) -> User:
    """Disable a user: their sessions and tokens stop working at their next request."""
    user = get_user(session=session, username=username)
    user.disabled = True
    session.flush()
    return user


@dataclass(frozen=True)
class Throttle:
    """Failed sign-ins allowed in a window: few per user name; more per client address, since
    many users may share one address (a station behind one proxy)."""

    max_failures: int = 5
    window: timedelta = timedelta(minutes=15)
    max_failures_per_client: int = 50


class ThrottledError(PermissionDeniedError):
    """Too many failed sign-ins for this user name or from this address."""


def _throttled(session: Session, *, username: str, client: str, throttle: Throttle) -> bool:
    since = now_utc() - throttle.window
    recent = select(func.count()).select_from(SignInAttempt).where(SignInAttempt.at > since)
    by_user = session.scalar(recent.where(SignInAttempt.username == username)) or 0
    by_client = session.scalar(recent.where(SignInAttempt.client == client)) or 0
    return by_user >= throttle.max_failures or by_client >= throttle.max_failures_per_client


def authenticate(
    *,
    session: Session,
    username: str,
    password: str,
    client: str,
    throttle: Throttle | None = None,
) -> Principal | None:
    """The principal for a correct user name and password, else None (and the failure counted).

    Refuses even a correct password while the user name or client address is throttled."""
    throttle = throttle or Throttle()
    username = username.strip().lower()
    now = now_utc()
    if _throttled(session, username=username, client=client, throttle=throttle):
        raise ThrottledError("too many failed sign-ins: try again later")
    user = session.scalar(select(User).where(User.username == username))
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or user.disabled:
        session.add(SignInAttempt(username=username[:100], client=client[:64], at=now))
        session.flush()
        return None
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.execute(delete(SignInAttempt).where(SignInAttempt.username == username))
    session.flush()
    return _principal(user, via="session")


def principal_for_session(*, session: Session, user_id: int) -> Principal | None:
    user = session.get(User, user_id)
    if user is None or user.disabled:
        return None
    return _principal(user, via="session")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(
    *,
    session: Session,
    username: str,
    name: str,
    role: str | None = None,
    lifetime: timedelta = timedelta(days=90),
) -> tuple[str, ApiToken]:
    """A new API token for a user, acting in the user's role (or a role they hold).

    Returns the token text, shown once; only its hash is stored."""
    user = get_user(session=session, username=username)
    if role is not None and role != user.role:
        raise InvalidInputError("a token can act only in the role its user holds")
    if lifetime <= timedelta(0) or lifetime > timedelta(days=366):
        raise InvalidInputError("a token must expire within a year")
    text = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = now_utc()
    token = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=_token_hash(text),
        role=user.role,
        created_at=now,
        expires_at=now + lifetime,
        revoked=False,
    )
    session.add(token)
    session.flush()
    return text, token


def principal_for_token(*, session: Session, token: str) -> Principal | None:
    if not token.startswith(TOKEN_PREFIX):
        return None
    found = session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_hash(token)))
    if found is None or found.revoked or found.expires_at <= now_utc():
        return None
    user = session.get(User, found.user_id)
    if user is None or user.disabled or user.role != found.role:
        return None
    return _principal(user, via="token", role=found.role)
