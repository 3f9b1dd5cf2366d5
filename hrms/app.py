"""Application factory: settings → extensions → blueprints → route audit."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask, Response, request

from hrms.core import errors as core_errors
from hrms.core import ops, transaction
from hrms.core.dates import format_date
from hrms.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, select_language
from hrms.core.security import audit_routes
from hrms.extensions import babel, bootstrap, csrf, db, limiter, login_manager, migrate
from hrms.settings import Settings

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def resource_dir(name: str) -> Path:
    """Top-level folders (templates, migrations) live in the package when installed as a wheel."""
    packaged = PACKAGE_DIR / name
    return packaged if packaged.is_dir() else PROJECT_DIR / name


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        "hrms",
        template_folder=str(resource_dir("templates")),
        static_folder=str(PACKAGE_DIR / "static"),
        instance_path=os.environ.get("HRMS_INSTANCE_PATH") or str(PROJECT_DIR / "instance"),
    )
    settings = Settings.from_env(os.environ, Path(app.instance_path))
    app.config.update(
        HRMS_SETTINGS=settings,
        SECRET_KEY=settings.secret_key,
        SQLALCHEMY_DATABASE_URI=settings.database_url,
        SQLALCHEMY_ENGINE_OPTIONS=ops.engine_options(settings),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.session_cookie_secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=settings.session_cookie_secure,
        BABEL_DEFAULT_LOCALE=DEFAULT_LANGUAGE,
        BABEL_DEFAULT_TIMEZONE="Asia/Ho_Chi_Minh",
        BABEL_TRANSLATION_DIRECTORIES=str(PACKAGE_DIR / "translations"),
        BOOTSTRAP_SERVE_LOCAL=True,
        WTF_CSRF_TIME_LIMIT=None,
        # room for the largest accepted file plus the form around it; larger bodies are a 413
        MAX_CONTENT_LENGTH=(settings.max_upload_mb + 1) * 1024 * 1024,
        RATELIMIT_HEADERS_ENABLED=True,
    )
    if overrides:
        app.config.update(overrides)

    _init_extensions(app)
    _register_blueprints(app)
    _connect_staffing(app)
    _connect_salary_schedule()
    _connect_headcount()
    _register_template_helpers(app)
    _register_security_headers(app)
    core_errors.register_error_handlers(app)
    ops.init_app(app, settings)
    transaction.init_app(app)
    audit_routes(app)
    _register_commands(app)
    return app


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(resource_dir("migrations")), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_language)
    bootstrap.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.session_protection = "basic"


def _register_blueprints(app: Flask) -> None:
    # modules that add routes to a blueprint defined in another module of their feature
    import hrms.reviews.views_annual
    import hrms.salary.views_all  # noqa: F401
    from hrms.accounts.views import blueprint as accounts
    from hrms.api.api import blueprint as api
    from hrms.attachments.views import blueprint as attachments
    from hrms.audit.views import blueprint as audit
    from hrms.codes.api import blueprint as codes_api
    from hrms.codes.views import blueprint as codes
    from hrms.core.health import blueprint as health
    from hrms.corrections.views import blueprint as corrections
    from hrms.employees.api import blueprint as employees_api
    from hrms.employees.views import blueprint as employees
    from hrms.home.views import blueprint as home
    from hrms.org.api import blueprint as units_api
    from hrms.org.views import blueprint as org
    from hrms.reports.api import blueprint as reports_api
    from hrms.reports.views import blueprint as reports
    from hrms.reviews.api import blueprint as reviews_api
    from hrms.reviews.views import blueprint as reviews
    from hrms.salary.api import blueprint as salary_api
    from hrms.salary.views import blueprint as salary
    from hrms.staffing.api import blueprint as staffing_api
    from hrms.staffing.views import blueprint as staffing
    from positions.api import blueprint as positions_api
    from positions.views import blueprint as positions

    for blueprint in (
        health,
        home,
        accounts,
        org,
        audit,
        codes,
        employees,
        corrections,
        attachments,
        positions,
        staffing,
        reviews,
        reports,
        salary,
    ):
        app.register_blueprint(blueprint)
    for blueprint in (
        api,
        units_api,
        codes_api,
        employees_api,
        positions_api,
        staffing_api,
        reviews_api,
        reports_api,
        salary_api,
    ):
        csrf.exempt(blueprint)  # the API authenticates with bearer tokens, never cookies
        app.register_blueprint(blueprint)


def _connect_staffing(app: Flask) -> None:
    """Positions know nothing of people: the staffing feature tells them how many are placed
    (to refuse a headcount below it) and moves placements to each newly approved plan version."""
    from hrms.staffing.queries import placed_counts
    from hrms.staffing.services import follow_new_plan
    from positions.services import OCCUPANCY, plan_approved

    app.extensions[OCCUPANCY] = placed_counts
    plan_approved.connect(follow_new_plan)


def _connect_salary_schedule() -> None:
    """The next raise and retirement date kept on each dossier follow every flush that changes
    what they derive from (decisions, annual ratings, identity, salary rules)."""
    from hrms.salary.schedule import connect

    connect()


def _connect_headcount() -> None:
    """The statistics' headcount aggregate follows every flush that changes a dossier's counted
    columns."""
    from hrms.reports.headcount import connect

    connect()


def _register_template_helpers(app: Flask) -> None:
    from hrms.home.navigation import navigation_for

    app.jinja_env.filters["date"] = format_date
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES

    @app.context_processor
    def inject() -> dict[str, Any]:
        return {"navigation_for": navigation_for, "current_language": select_language()}


def _register_security_headers(app: Flask) -> None:
    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.endpoint and not request.endpoint.endswith("static"):
            # pages show personal data: never keep them in shared caches or the back-button cache
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def _register_commands(app: Flask) -> None:
    from hrms.commands import register

    register(app)
