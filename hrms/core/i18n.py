"""Languages of the interface: Vietnamese by default, English on request."""

from flask import has_request_context, request, session

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"


def select_language() -> str:
    """The language chosen in this browser session; Vietnamese elsewhere (commands, jobs)."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    if request.path.startswith("/api/"):  # the API has no session: it follows Accept-Language
        return request.accept_languages.best_match(LANGUAGES, default=DEFAULT_LANGUAGE)
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return str(chosen)
    return DEFAULT_LANGUAGE
