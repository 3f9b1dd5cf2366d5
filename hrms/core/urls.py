"""Redirect targets taken from the request."""

from urllib.parse import urlsplit


def safe_next(target: str | None, fallback: str) -> str:
    """Only same-site paths: an open redirect would let a link send users to a fake login."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    if "\\" in target:  # browsers read "/\evil.example" as another host
        return fallback
    return target
