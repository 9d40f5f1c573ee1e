"""A real OpenID Connect provider for the tests, built on Authlib's server components (Flask)
and served on a localhost port: discovery, JWKS, an authorization endpoint that requires PKCE
(S256) and a nonce, and a token endpoint issuing RS256-signed ID tokens.

The user is taken to be already signed in at the provider (its single sign-on session), so the
authorization endpoint answers at once. ``behaviour`` lets a test make it issue the tokens an
attacker or a misconfigured provider would: another audience, an expired token, another nonce,
another signing key.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import werkzeug.serving
from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from flask import Flask, jsonify
from joserfc.jwk import KeySet, RSAKey

CLIENT_ID = "safeguard-test"
CLIENT_SECRET = "client secret for the tests only"


@dataclass
class Behaviour:
    """Who is signed in at the provider, and how its next tokens are made."""

    claims: dict[str, Any] = field(default_factory=dict)  # must include "sub"
    audience: list[str] | None = None  # None: the client asking
    lifetime: int = 300  # seconds; negative: issued already expired
    nonce: str | None = None  # None: the nonce the client asked for
    foreign_key: bool = False  # sign with a key the provider does not publish


@dataclass
class _User:
    claims: dict[str, Any]

    def get_user_id(self) -> str:
        return str(self.claims["sub"])


@dataclass
class _Code:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: _User
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> None:
        return None

    def get_amr(self) -> None:
        return None


@dataclass
class _Client:
    client_id: str
    client_secret: str
    redirect_uris: list[str]

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope: str) -> str:
        return " ".join(s for s in scope.split() if s in {"openid", "profile", "email"})

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return client_secret == self.client_secret

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


class Provider:
    def __init__(self, redirect_uri: str) -> None:
        self.behaviour = Behaviour(claims={"sub": "nobody"})
        self.key = RSAKey.generate_key(2048, parameters={"kid": "provider-1", "use": "sig"})
        self.foreign = RSAKey.generate_key(2048, parameters={"kid": "provider-1", "use": "sig"})
        self.client = _Client(CLIENT_ID, CLIENT_SECRET, [redirect_uri])
        self.codes: dict[str, _Code] = {}
        self.issuer = ""  # set once serving
        self.app = Flask("test-oidc-provider")
        server = AuthorizationServer(
            self.app,
            query_client=lambda cid: self.client if cid == self.client.client_id else None,
            save_token=lambda token, req: None,
        )
        code_grant, id_token = _grants(self)
        server.register_grant(code_grant, [id_token(require_nonce=True), CodeChallenge()])
        _routes(self, server)


def _grants(provider: Provider) -> tuple[type, type]:
    """The authorization code grant and its OpenID Connect extension, over this provider."""

    class CodeGrant(grants.AuthorizationCodeGrant):  # type: ignore[misc]
        TOKEN_ENDPOINT_AUTH_METHODS = ("client_secret_basic", "client_secret_post")

        def save_authorization_code(self, code: str, req: Any) -> None:
            data = req.payload.data
            provider.codes[code] = _Code(
                code=code,
                client_id=req.client.get_client_id(),
                redirect_uri=req.payload.redirect_uri,
                scope=req.payload.scope,
                user=req.user,
                nonce=provider.behaviour.nonce or data.get("nonce"),
                code_challenge=data.get("code_challenge"),
                code_challenge_method=data.get("code_challenge_method"),
            )

        def query_authorization_code(self, code: str, client: _Client) -> _Code | None:
            found = provider.codes.get(code)
            return found if found and found.client_id == client.client_id else None

        def delete_authorization_code(self, authorization_code: _Code) -> None:
            provider.codes.pop(authorization_code.code, None)

        def authenticate_user(self, authorization_code: _Code) -> _User:
            return authorization_code.user

    class IdToken(OpenIDCode):  # type: ignore[misc]
        def exists_nonce(self, nonce: str, req: Any) -> bool:
            return False

        def resolve_client_private_key(self, client: _Client) -> RSAKey:
            return provider.foreign if provider.behaviour.foreign_key else provider.key

        def get_client_algorithm(self, client: _Client) -> str:
            return "RS256"

        def get_encode_header(self, client: _Client) -> dict[str, str]:
            return {"alg": "RS256", "kid": "provider-1"}

        def get_client_claims(self, client: _Client) -> dict[str, Any]:
            now = int(time.time())
            b = provider.behaviour
            return {
                "iss": provider.issuer,
                "aud": b.audience or [client.client_id],
                "iat": now,
                "exp": now + b.lifetime,
            }

        def generate_user_info(self, user: _User, scope: str) -> UserInfo:
            return UserInfo(**user.claims)

    return CodeGrant, IdToken


def _routes(provider: Provider, server: AuthorizationServer) -> None:
    app = provider.app

    @app.get("/.well-known/openid-configuration")
    def discovery() -> Any:
        issuer = provider.issuer
        return jsonify(
            issuer=issuer,
            authorization_endpoint=f"{issuer}/authorize",
            token_endpoint=f"{issuer}/token",
            jwks_uri=f"{issuer}/jwks",
            response_types_supported=["code"],
            subject_types_supported=["public"],
            id_token_signing_alg_values_supported=["RS256"],
            code_challenge_methods_supported=["S256"],
        )

    @app.get("/jwks")
    def jwks() -> Any:
        return jsonify(KeySet([provider.key]).as_dict(private=False))

    @app.get("/authorize")
    def authorize() -> Any:
        user = _User(provider.behaviour.claims)
        return server.create_authorization_response(grant_user=user)

    @app.post("/token")
    def token() -> Any:
        return server.create_token_response()


@contextmanager
def serve(redirect_uri: str) -> Iterator[Provider]:
    provider = Provider(redirect_uri)
    server = werkzeug.serving.make_server("127.0.0.1", 0, provider.app, threaded=True)
    provider.issuer = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()
