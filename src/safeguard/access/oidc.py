"""Single sign-on by OpenID Connect: another way in beside the password, off by default.

Authorization code flow with PKCE (S256), a fresh state and nonce per sign-in; the ID token's
signature is checked against the issuer's published keys (JWKS) and its issuer, audience,
expiry and nonce against what was asked for. A signed-in identity is matched to an existing
Safeguard user by user name or email; single sign-on never creates users, so it can never
create a privileged one.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from authlib.common.security import is_secure_transport
from pydantic import BaseModel, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguard.access.models import User
from safeguard.errors import PermissionDeniedError

if TYPE_CHECKING:  # the client libraries load only when single sign-on is used
    import httpx
    from authlib.integrations.httpx_client import OAuth2Client
    from joserfc.jwk import KeySet

LEEWAY_SECONDS = 60  # clocks of the provider and the force differ a little
SIGNING_ALGORITHMS = ("RS256", "PS256", "ES256")  # asymmetric only: never "none" or HS256


class OidcSettings(BaseSettings):
    """SAFEGUARD_OIDC_*: the identity provider and how its users map to Safeguard users."""

    model_config = SettingsConfigDict(env_prefix="SAFEGUARD_OIDC_", extra="ignore")

    enabled: bool = False
    provider_name: str = "single sign-on"
    issuer: str = ""
    client_id: str = ""
    client_secret: SecretStr = SecretStr("")
    redirect_url: str = ""  # this app's /sign-in/oidc/callback, as registered with the provider
    scopes: str = "openid profile email"
    claim: str = "preferred_username"  # the ID token claim that names the user
    match: Literal["username", "email"] = "username"  # the Safeguard field it must equal
    require_verified_email: bool = True  # when matching by email: email_verified must be true
    timeout_seconds: float = 10.0

    @model_validator(mode="after")
    def _complete_when_enabled(self) -> OidcSettings:
        if not self.enabled:
            return self
        missing = [
            name
            for name in ("issuer", "client_id", "redirect_url")
            if not str(getattr(self, name)).strip()
        ]
        if not self.client_secret.get_secret_value():
            missing.append("client_secret")
        if missing:
            names = ", ".join(f"SAFEGUARD_OIDC_{m.upper()}" for m in missing)
            raise ValueError(f"single sign-on is enabled but {names} is not set")
        for name in ("issuer", "redirect_url"):
            if not is_secure_transport(getattr(self, name)):
                raise ValueError(f"SAFEGUARD_OIDC_{name.upper()} must be https (or loopback)")
        if "openid" not in self.scopes.split():
            raise ValueError("SAFEGUARD_OIDC_SCOPES must include openid")
        return self


class OidcError(PermissionDeniedError):
    """A single sign-on that cannot be accepted; the message says why."""


class Pending(BaseModel):
    """What one sign-in asked the provider for, kept (signed) until the provider returns."""

    state: str
    nonce: str
    code_verifier: str
    next: str = "/"


@dataclass(frozen=True)
class Metadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str


class OidcClient:
    """One identity provider: discovery and keys are fetched once and kept; keys are fetched
    again when a token names a key not yet seen (the provider rotated its keys)."""

    def __init__(self, settings: OidcSettings, *, http: httpx.Client | None = None) -> None:
        import httpx

        self.settings = settings
        self._http = http or httpx.Client(timeout=settings.timeout_seconds)
        self._metadata: Metadata | None = None
        self._keys: KeySet | None = None

    def _get_json(self, url: str) -> dict[str, Any]:
        import httpx

        try:
            resp = self._http.get(url)
            resp.raise_for_status()
            body = resp.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise OidcError(f"the identity provider could not be reached ({url}): {exc}") from None
        if not isinstance(body, dict):
            raise OidcError(f"the identity provider sent something unexpected from {url}")
        return body

    def metadata(self) -> Metadata:
        if self._metadata is None:
            issuer = self.settings.issuer.rstrip("/")
            doc = self._get_json(f"{issuer}/.well-known/openid-configuration")
            if doc.get("issuer") != issuer:  # OIDC Discovery 4.3: must match exactly
                raise OidcError("the identity provider's discovery names another issuer")
            try:
                self._metadata = Metadata(
                    issuer=issuer,
                    authorization_endpoint=str(doc["authorization_endpoint"]),
                    token_endpoint=str(doc["token_endpoint"]),
                    jwks_uri=str(doc["jwks_uri"]),
                )
            except KeyError as exc:
                raise OidcError(f"the identity provider's discovery lacks {exc}") from None
        return self._metadata

    def _key_set(self, *, refresh: bool = False) -> KeySet:
        from joserfc.jwk import KeySet

        if self._keys is None or refresh:
            self._keys = KeySet.import_key_set(self._get_json(self.metadata().jwks_uri))  # type: ignore[arg-type]
        return self._keys

    def _oauth(self) -> OAuth2Client:
        from authlib.integrations.httpx_client import OAuth2Client

        return OAuth2Client(
            client_id=self.settings.client_id,
            client_secret=self.settings.client_secret.get_secret_value(),
            scope=self.settings.scopes,
            redirect_uri=self.settings.redirect_url,
            code_challenge_method="S256",
            timeout=self.settings.timeout_seconds,
        )

    def begin(self, *, next_path: str = "/") -> tuple[str, Pending]:
        """The provider's authorization URL for a new sign-in, and what to keep until it returns."""
        pending = Pending(
            state=secrets.token_urlsafe(32),
            nonce=secrets.token_urlsafe(32),
            code_verifier=secrets.token_urlsafe(64),
            next=next_path,
        )
        with self._oauth() as oauth:
            url, _ = oauth.create_authorization_url(
                self.metadata().authorization_endpoint,
                state=pending.state,
                nonce=pending.nonce,
                code_verifier=pending.code_verifier,
            )
        return str(url), pending

    def finish(self, *, pending: Pending, params: dict[str, str]) -> dict[str, Any]:
        """The verified ID token claims for the provider's answer to this sign-in."""
        import httpx
        from authlib.integrations.base_client.errors import OAuthError

        if "error" in params:
            reason = params.get("error_description") or params["error"]
            raise OidcError(f"the identity provider refused the sign-in: {reason}")
        state = params.get("state", "")
        if not hmac.compare_digest(state.encode(), pending.state.encode()):
            raise OidcError("the sign-in's state does not match: start again")
        code = params.get("code")
        if not code:
            raise OidcError("the identity provider returned no authorization code")
        with self._oauth() as oauth:
            try:
                token = oauth.fetch_token(
                    self.metadata().token_endpoint,
                    grant_type="authorization_code",
                    code=code,
                    code_verifier=pending.code_verifier,
                )
            except (OAuthError, httpx.HTTPError, ValueError) as exc:
                raise OidcError(f"the authorization code was not accepted: {exc}") from None
        id_token = token.get("id_token")
        if not isinstance(id_token, str):
            raise OidcError("the identity provider returned no ID token")
        return self.verify(id_token, nonce=pending.nonce)

    def verify(self, id_token: str, *, nonce: str) -> dict[str, Any]:
        """Check the signature against the issuer's keys, then issuer, audience, times, nonce."""
        from joserfc import jwt
        from joserfc.errors import JoseError

        try:
            try:
                decoded = jwt.decode(id_token, self._key_set(), algorithms=SIGNING_ALGORITHMS)
            except JoseError:  # perhaps a key the provider rotated in since we fetched
                decoded = jwt.decode(
                    id_token, self._key_set(refresh=True), algorithms=SIGNING_ALGORITHMS
                )
            claims: dict[str, Any] = decoded.claims
            jwt.JWTClaimsRegistry(
                leeway=LEEWAY_SECONDS,
                iss={"essential": True, "value": self.metadata().issuer},
                aud={"essential": True, "value": self.settings.client_id},
                sub={"essential": True},
                exp={"essential": True},
                iat={"essential": True},
                nonce={"essential": True, "value": nonce},
            ).validate(claims)
        except JoseError as exc:
            raise OidcError(f"the ID token was refused: {exc.error}: {exc.description}") from None
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.settings.client_id:
            raise OidcError("the ID token was refused: it was issued to another party (azp)")
        return claims


def user_for_claims(*, session: Session, settings: OidcSettings, claims: dict[str, Any]) -> User:
    """The existing, active Safeguard user the identity names; never creates one."""
    value = claims.get(settings.claim)
    if not isinstance(value, str) or not value.strip():
        raise OidcError(f"the identity provider sent no {settings.claim!r} for this user")
    value = value.strip().lower()
    if settings.match == "email":
        if settings.require_verified_email and claims.get("email_verified") is not True:
            raise OidcError("the identity provider has not verified this email address")
        user = session.scalar(select(User).where(User.email == value))
    else:
        user = session.scalar(select(User).where(User.username == value))
    if user is None:
        raise OidcError(
            f"no Safeguard user matches {value!r}: ask an administrator to add you "
            "(single sign-on does not create users)"
        )
    if user.disabled:
        raise OidcError("this Safeguard user is disabled")
    return user
