"""Token routes, the OpenAPI document and its documentation page."""

from __future__ import annotations

from flask import current_app, g, jsonify, render_template, request, url_for
from flask.typing import ResponseReturnValue

from hrms.accounts.models import User
from hrms.accounts.schemas import LoginSchema
from hrms.api import queries, services
from hrms.api.openapi import build_spec
from hrms.api.schemas import TokenOut, TokenRequest
from hrms.core.api import Operation, api_blueprint, documented, json_body
from hrms.core.errors import error_response
from hrms.core.security import Permission, public, requires, wants_json
from hrms.core.transaction import keep_changes_despite_refusal
from hrms.extensions import limiter, login_manager
from hrms.settings import current_settings

blueprint = api_blueprint("api", __name__)


@login_manager.request_loader
def load_token_user(incoming: object) -> User | None:
    """API requests authenticate with a bearer token only, never with the session cookie."""
    if not wants_json():
        return None
    token = queries.valid_token(request.headers.get("Authorization"))
    if token is None:
        return None
    g.api_token = token
    return token.user


def _token_body(raw: str, token: object) -> dict[str, object]:
    return TokenOut().dump({"token": raw, "expires_at": token.expires_at, "user": token.user})  # type: ignore[attr-defined]


@blueprint.post("/auth/tokens")
@public
@limiter.limit(lambda: current_settings().sign_in_rate_limit)
@documented(
    Operation(
        summary="Create a token from a username and password",
        body=TokenRequest(),
        response=TokenOut(),
        status=201,
        errors=(401, 429),
        tags=("auth",),
        public=True,
    )
)
def create_token() -> ResponseReturnValue:
    data = json_body(LoginSchema())
    try:
        raw, token = services.issue_token(data)
    except services.SignInFailed as failure:
        keep_changes_despite_refusal()  # the failure counter and its audit entry must persist
        return error_response(401, failure.message)
    return jsonify(_token_body(raw, token)), 201


@blueprint.delete("/auth/tokens/current")
@requires(Permission.SIGNED_IN)
@documented(Operation(summary="Revoke the token of this request", status=204, tags=("auth",)))
def revoke_current_token() -> ResponseReturnValue:
    services.revoke(g.api_token)
    return "", 204


@blueprint.get("/openapi.json")
@public
@documented(Operation(summary="This OpenAPI document", tags=("documentation",), public=True))
def openapi() -> ResponseReturnValue:
    return jsonify(build_spec(current_app))


@blueprint.get("/docs")
@public
@documented(
    Operation(
        summary="Human-readable documentation of the API", tags=("documentation",), public=True
    )
)
def docs() -> ResponseReturnValue:
    spec = build_spec(current_app)
    return render_template("api/docs.html", spec=spec, spec_url=url_for("api.openapi"))
