"""Languages of the interface: Vietnamese by default, English on request."""

from flask import session

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"


def select_language() -> str:
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return str(chosen)
    return DEFAULT_LANGUAGE
