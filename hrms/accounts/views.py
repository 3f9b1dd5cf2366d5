"""Sign-in, own password, and account administration pages."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from hrms.accounts import queries, services
from hrms.accounts.forms import (
    ConfirmForm,
    GrantForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    UserCreateForm,
    UserUpdateForm,
)
from hrms.accounts.models import ROLE_LABELS, User
from hrms.accounts.schemas import (
    GrantSchema,
    LoginSchema,
    PasswordChangeSchema,
    PasswordResetSchema,
    UserCreateSchema,
    UserUpdateSchema,
)
from hrms.core.errors import FORM, DomainError, error_response
from hrms.core.forms import Form, submit
from hrms.core.i18n import select_language
from hrms.core.schemas import NoInput
from hrms.core.security import Permission, Role, public, requires, wants_json
from hrms.core.transaction import keep_changes_despite_refusal
from hrms.core.urls import safe_next
from hrms.extensions import limiter, login_manager
from hrms.org.queries import open_units_for_parent_choice
from hrms.settings import current_settings

blueprint = Blueprint("accounts", __name__)


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    if wants_json():
        return None  # the API accepts bearer tokens only: a cookie must not authorise it (CSRF)
    return queries.load_session_user(session_id)


@login_manager.unauthorized_handler
def unauthorized() -> ResponseReturnValue:
    if wants_json():
        return error_response(
            401, _("Sign in first: send the header Authorization: Bearer <token>.")
        )
    flash(_("Please sign in to open this page."), "warning")
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


def _role_choices() -> list[tuple[str, str]]:
    return [(role.value, str(ROLE_LABELS[role])) for role in Role]


def _unit_choices() -> list[tuple[str, str]]:
    units = open_units_for_parent_choice(current_user)
    return [("", _("— none (administrators) —"))] + [
        (str(u.id), f"{'· ' * u.depth}{u.name} ({u.code})") for u in units
    ]


def _start_session(user: User) -> None:
    """A fresh session on sign-in (no fixation of a session set up before), keeping the language."""
    language = select_language()
    session.clear()
    session["lang"] = language
    login_user(user)


@blueprint.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_settings().sign_in_rate_limit, methods=["POST"])
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    user = submit(
        form, LoginSchema(), lambda d: services.authenticate(d["username"], d["password"])
    )
    if user is not None:
        _start_session(user)
        return redirect(safe_next(request.args.get("next"), url_for("home.index")))
    if request.method == "POST":
        keep_changes_despite_refusal()  # the failure counter and its audit entry must persist
        if not form.has_errors:
            form.attach(DomainError(FORM, services.SIGN_IN_FAILED))
        return render_template("accounts/login.html", form=form), 401
    return render_template("accounts/login.html", form=form)


@blueprint.post("/logout")
@requires(Permission.SIGNED_IN)
def logout() -> ResponseReturnValue:
    language = select_language()
    logout_user()
    session.clear()
    session["lang"] = language
    flash(_("You have signed out."), "info")
    return redirect(url_for("accounts.login"))


@blueprint.route("/account/password", methods=["GET", "POST"])
@requires(Permission.SIGNED_IN)
def change_password() -> ResponseReturnValue:
    form = PasswordChangeForm()
    user: User = current_user._get_current_object()
    if submit(form, PasswordChangeSchema(), lambda d: services.change_own_password(user, d)):
        _start_session(user)  # this session continues under the new nonce; others end
        flash(
            _("Your password has been changed. Other sessions of your account have ended."),
            "success",
        )
        return redirect(url_for("home.index"))
    return render_template("accounts/change_password.html", form=form), form.status


@blueprint.get("/admin/users")
@requires(Permission.ACCOUNTS_MANAGE)
def list_users() -> ResponseReturnValue:
    role = request.args.get("role", "")
    page = queries.list_users(
        current_user,
        q=request.args.get("q", ""),
        role=role if role in set(Role) else "",
        active={"1": True, "0": False}.get(request.args.get("active", "")),
        page=request.args.get("page", 1, type=int),
    )
    return render_template("accounts/list.html", page=page, roles=_role_choices())


@blueprint.route("/admin/users/new", methods=["GET", "POST"])
@requires(Permission.ACCOUNTS_MANAGE)
def create_user() -> ResponseReturnValue:
    form = UserCreateForm()
    form.role.choices = _role_choices()
    form.unit_id.choices = _unit_choices()
    user = submit(form, UserCreateSchema(), lambda d: services.create_user(current_user, d))
    if user is not None:
        flash(_("Account %(username)s created.", username=user.username), "success")
        return redirect(url_for("accounts.show_user", user_id=user.id))
    return render_template("accounts/create.html", form=form), form.status


def _user_page(user: User, failed: Form | None = None) -> ResponseReturnValue:
    """The account page; ``failed`` is the form whose refusal is being shown."""
    forms: dict[str, Any] = {
        "update_form": UserUpdateForm(formdata=None, obj=user),
        "grant_form": GrantForm(formdata=None),
        "reset_form": PasswordResetForm(formdata=None),
        "confirm_form": ConfirmForm(formdata=None),
    }
    for name, form in forms.items():
        if failed is not None and type(form) is type(failed):
            forms[name] = failed
    forms["grant_form"].role.choices = _role_choices()
    forms["grant_form"].unit_id.choices = _unit_choices()
    status = failed.status if failed is not None else 200
    return render_template("accounts/show.html", user=user, **forms), status


@blueprint.get("/admin/users/<int:user_id>")
@requires(Permission.ACCOUNTS_MANAGE)
def show_user(user_id: int) -> ResponseReturnValue:
    return _user_page(queries.get_user_for(current_user, user_id))


def _act_on_user(
    user_id: int, form: Form, schema: Any, action: Any, done: str
) -> ResponseReturnValue:
    user = queries.get_user_for(current_user, user_id)
    if submit(form, schema, lambda data: action(current_user, user, data)):
        flash(done, "success")
        return redirect(url_for("accounts.show_user", user_id=user.id))
    return _user_page(user, failed=form)


@blueprint.post("/admin/users/<int:user_id>")
@requires(Permission.ACCOUNTS_MANAGE)
def update_user(user_id: int) -> ResponseReturnValue:
    return _act_on_user(
        user_id, UserUpdateForm(), UserUpdateSchema(), services.update_user, _("Account saved.")
    )


@blueprint.post("/admin/users/<int:user_id>/grants")
@requires(Permission.ACCOUNTS_MANAGE)
def add_grant(user_id: int) -> ResponseReturnValue:
    return _act_on_user(user_id, GrantForm(), GrantSchema(), services.add_grant, _("Role granted."))


@blueprint.post("/admin/users/<int:user_id>/grants/<int:grant_id>/delete")
@requires(Permission.ACCOUNTS_MANAGE)
def remove_grant(user_id: int, grant_id: int) -> ResponseReturnValue:
    return _act_on_user(
        user_id,
        ConfirmForm(),
        NoInput(),
        lambda actor, user, _data: services.remove_grant(actor, user, grant_id),
        _("Role removed."),
    )


@blueprint.post("/admin/users/<int:user_id>/password")
@requires(Permission.ACCOUNTS_MANAGE)
def reset_password(user_id: int) -> ResponseReturnValue:
    return _act_on_user(
        user_id,
        PasswordResetForm(),
        PasswordResetSchema(),
        services.reset_password,
        _("Password set. The account's open sessions have ended."),
    )


@blueprint.post("/admin/users/<int:user_id>/unlock")
@requires(Permission.ACCOUNTS_MANAGE)
def unlock_user(user_id: int) -> ResponseReturnValue:
    return _act_on_user(
        user_id,
        ConfirmForm(),
        NoInput(),
        lambda actor, user, _data: services.unlock(actor, user),
        _("Account unlocked."),
    )
