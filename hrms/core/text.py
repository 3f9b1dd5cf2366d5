"""Vietnamese text helpers."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ → d), collapse spaces: "Nguyễn  Văn Ân" → "nguyen van an"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip().lower()


def normalize_spaces(text: str) -> str:
    """NFC and single spaces, so the same name typed twice is stored the same way."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def prefix_upper_bound(prefix: str) -> str:
    """Smallest string above every string that starts with ``prefix``: ``x >= prefix AND
    x < prefix_upper_bound(prefix)`` is a prefix search that a B-tree index answers."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)
