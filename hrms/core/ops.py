"""Running in production: engine options, one log line per request, a short 503 while the
database is unreachable (the pool reconnects by itself), and SQLite reads retried when another
worker's write made their snapshot stale."""

from __future__ import annotations

import logging
import random
import re
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app, g, make_response, request
from flask.logging import default_handler
from sqlalchemy import exc as sa_exc
from sqlalchemy import inspect as sa_inspect
from werkzeug.exceptions import InternalServerError
from werkzeug.middleware.proxy_fix import ProxyFix

from hrms.core.db import WRITE_LOCK_KEY
from hrms.core.errors import ERROR_EXPLANATIONS, ERROR_TITLES, error_response
from hrms.core.i18n import select_language
from hrms.core.security import wants_json
from hrms.extensions import db
from hrms.settings import Settings

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

#: the logger of the request lines (a child of the app's logger, so it shares its handler)
request_logger = logging.getLogger("hrms.request")

REQUEST_ID_HEADER = "X-Request-Id"
#: an id sent by the proxy in front (nginx's $request_id) is kept when it looks like one
INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
REQUEST_ID_KEY = "hrms.request_id"
USER_ID_KEY = "hrms.user_id"
RETRY_KEY = "hrms.retry"
#: how many times a read (GET/HEAD) is run again after SQLite refused its stale snapshot
SQLITE_READ_RETRIES = 6
#: seconds a client is asked to wait before trying again while the database is unreachable
RETRY_AFTER_SECONDS = 5
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
#: SQLITE_BUSY and SQLITE_LOCKED (extended codes keep them in the low byte)
SQLITE_BUSY_CODES = (5, 6)

_current_request_id: ContextVar[str | None] = ContextVar("hrms_request_id", default=None)


def engine_options(settings: Settings) -> dict[str, Any]:
    """Pool settings: every checkout is pinged first, so connections that died with a database
    restart are replaced instead of failing a request; connecting gives up after a few seconds
    so the user sees the 503 page rather than a hanging browser."""
    options: dict[str, Any] = {"pool_pre_ping": True}
    if settings.database_url.startswith("postgresql"):
        options |= {
            "pool_size": settings.db_pool_size,
            "max_overflow": settings.db_max_overflow,
            "pool_timeout": settings.db_connect_timeout * 2,
            "pool_recycle": 1800,
            "connect_args": {
                "connect_timeout": settings.db_connect_timeout,
                "application_name": "hrms",
                # psycopg prepares a statement run five times; PostgreSQL would then settle on
                # a generic plan, blind to the values: a date range over a province's staff
                # went from 10 ms to 500 ms. Plans are still made for the values each time.
                "options": "-c plan_cache_mode=force_custom_plan",
            },
        }
    return options


def database_unavailable(error: BaseException) -> bool:
    """Whether ``error`` means the database cannot be reached or is busy, not a bug."""
    if isinstance(error, InternalServerError) and error.original_exception is not None:
        error = error.original_exception
    if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError))


def _sqlite_busy(error: BaseException) -> bool:
    original = getattr(error, "orig", None)
    code = getattr(original, "sqlite_errorcode", None)
    return (
        isinstance(original, sqlite3.OperationalError)
        and code is not None
        and code & 0xFF in SQLITE_BUSY_CODES
    )


def init_app(app: Flask, settings: Settings) -> None:
    try:  # uploads and /healthz expect the storage folder (a shared volume) to be there
        settings.storage_path.mkdir(parents=True, exist_ok=True)
    except OSError:
        app.logger.warning("Storage folder %s cannot be created", settings.storage_path)
    _configure_logging(app, settings)
    _register_database_errors(app)

    @app.teardown_request
    def remember_user(error: BaseException | None) -> None:
        """For the request line: the signed-in user's id, without loading anything."""
        user = g.get("_login_user")
        state = sa_inspect(user, raiseerr=False) if user is not None else None
        identity = getattr(state, "identity", None)
        if identity:
            request.environ[USER_ID_KEY] = identity[0]

    wsgi: Any = RequestLog(app.wsgi_app)
    if settings.proxy_count:
        count = settings.proxy_count
        wsgi = ProxyFix(wsgi, x_for=count, x_proto=count, x_host=count, x_port=count)
    app.wsgi_app = wsgi  # type: ignore[method-assign]


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = _current_request_id.get() or "-"
        return True


def _configure_logging(app: Flask, settings: Settings) -> None:
    """The app's log lines carry the request id, so a traceback can be matched to its request."""
    if not any(isinstance(f, _RequestIdFilter) for f in default_handler.filters):
        default_handler.addFilter(_RequestIdFilter())
        default_handler.setFormatter(
            logging.Formatter(
                "%(asctime)s %(levelname)s [%(process)d] %(name)s rid=%(request_id)s: %(message)s"
            )
        )
    if not any(isinstance(f, _RequestIdFilter) for f in app.logger.filters):
        app.logger.addFilter(_RequestIdFilter())  # records of the app's own logger, wherever shown
    app.logger.setLevel(settings.log_level)


def _standalone_page(status: int, title: Any, text: Any) -> str:
    """An error page rendered without the context processors, which would load the signed-in
    account (a query, failing again while the database is away)."""
    template = current_app.jinja_env.get_template("errors/standalone.html")
    return template.render(
        status=status, title=title, text=text, current_language=select_language()
    )


def _unavailable_response() -> Any:
    title = ERROR_TITLES[503]
    text = ERROR_EXPLANATIONS[503]
    if wants_json():
        response = error_response(503, text)
    else:
        response = make_response(_standalone_page(503, title, text), 503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _register_database_errors(app: Flask) -> None:
    def _roll_back() -> None:
        try:
            db.session.rollback()
        except sa_exc.SQLAlchemyError:
            app.logger.warning("Rollback failed after a database error", exc_info=True)

    def failed(error: BaseException) -> Any:
        _roll_back()
        if request.method in SAFE_METHODS and _sqlite_busy(error):
            # the snapshot of this read went stale when another worker wrote (its audit line
            # could not be added): the middleware runs it again
            request.environ[RETRY_KEY] = True
            app.logger.info("SQLite busy on a read: running it again")
        else:
            app.logger.error("Database unavailable: %s", error, exc_info=error)
        return _unavailable_response()

    log_exception = app.log_exception

    def log_unless_retried(exc_info: Any) -> None:
        """A stale SQLite read found at commit is run again, not an error worth a traceback."""
        error = exc_info[1] if exc_info else None
        if error is not None and request.method in SAFE_METHODS and _sqlite_busy(error):
            return
        log_exception(exc_info)

    app.log_exception = log_unless_retried  # type: ignore[method-assign]

    @app.errorhandler(sa_exc.OperationalError)
    @app.errorhandler(sa_exc.InterfaceError)
    @app.errorhandler(sa_exc.TimeoutError)
    def database_error(error: Exception) -> Any:
        return failed(error)

    @app.errorhandler(InternalServerError)
    def internal_error(error: InternalServerError) -> Any:
        """Errors raised after the view (the commit): a lost database is still a 503."""
        if database_unavailable(error):
            return failed(error.original_exception or error)
        if wants_json():
            return error_response(500, ERROR_EXPLANATIONS[500])
        return _standalone_page(500, ERROR_TITLES[500], ERROR_EXPLANATIONS[500]), 500


class RequestLog:
    """WSGI middleware: a request id (kept from the proxy or made here, returned as
    ``X-Request-Id``), one log line per request once the app has answered, and reads run
    again when SQLite refused them for a stale snapshot (the app marks those)."""

    def __init__(self, app: WSGIApplication) -> None:
        self.app = app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        incoming = environ.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if INCOMING_ID.match(incoming) else uuid.uuid4().hex
        environ[REQUEST_ID_KEY] = request_id
        started = time.perf_counter()
        token = _current_request_id.set(request_id)
        try:
            captured: list[Any] = []

            def capture(
                status: str, headers: list[tuple[str, str]], exc_info: Any = None
            ) -> Callable[[bytes], object]:
                captured[:] = [status, headers, exc_info]
                return lambda data: None

            for attempt in range(SQLITE_READ_RETRIES + 1):
                body = self.app(environ, capture)
                if environ.pop(RETRY_KEY, False) and attempt < SQLITE_READ_RETRIES:
                    close = getattr(body, "close", None)
                    if close is not None:
                        close()
                    time.sleep(random.uniform(0.005, 0.02) * 2**attempt)  # noqa: S311
                    environ[WRITE_LOCK_KEY] = True
                    continue
                break
            status, headers, exc_info = captured
            start_response(status, [*headers, (REQUEST_ID_HEADER, request_id)], exc_info)
        finally:
            _current_request_id.reset(token)

        request_logger.info(
            "%s %s %s user=%s %.1fms",
            environ.get("REQUEST_METHOD", "-"),
            environ.get("PATH_INFO", "-"),
            status.split(" ", 1)[0],
            environ.get(USER_ID_KEY, "-"),
            (time.perf_counter() - started) * 1000,
            extra={"request_id": request_id},
        )
        return body
