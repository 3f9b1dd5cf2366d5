"""Home page and language switch."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from hrms.core.i18n import LANGUAGES
from hrms.core.security import Permission, public, requires
from hrms.core.urls import safe_next
from hrms.reviews.queries import reminders_for

blueprint = Blueprint("home", __name__)


@blueprint.get("/")
@requires(Permission.SIGNED_IN)
def index() -> ResponseReturnValue:
    return render_template(
        "home/index.html", grants=current_user.grants, reminders=reminders_for(current_user)
    )


@blueprint.get("/language/<code>")
@public
def set_language(code: str) -> ResponseReturnValue:
    if code in LANGUAGES:
        session["lang"] = code
    return redirect(safe_next(request.args.get("next"), url_for("home.index")))
