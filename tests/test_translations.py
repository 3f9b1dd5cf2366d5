"""The message catalogs: Vietnamese complete, placeholders kept, in step with the sources.

When a test here fails after you added or changed a string: ``make extract-messages``, translate
the new entries in ``hrms/translations/vi/LC_MESSAGES/messages.po``, then ``make translations``.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

from hrms.core.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "hrms" / "translations"
#: the keywords of `make extract-messages`: Babel's defaults plus ``--keywords _l``
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None}
#: a printf-style conversion as Python's ``%`` operator reads it, named or not
PLACEHOLDER = re.compile(
    r"%(?:\([^)]*\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]"
)


def catalog_path(language: str, suffix: str = "po") -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / f"messages.{suffix}"


@cache
def load_catalog(language: str) -> Catalog:
    with catalog_path(language).open("rb") as handle:
        return read_po(handle, locale=language)


def entries(catalog: Catalog) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) of every active entry, the header left out."""
    found = []
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        string = message.string
        msgstr = string if isinstance(string, str) else (string[0] if string else "")
        found.append((msgid, msgstr, message.fuzzy))
    return found


def _scanned(path: str) -> bool:
    """The folders `make extract-messages` reads (``--ignore-dirs ".* ._"``): Babel's default
    also skips every folder whose name starts with "_", such as the templates' ``_macros``."""
    return not Path(path).name.startswith(".")


@cache
def source_msgids() -> frozenset[str]:
    """What `pybabel extract` finds in the sources, with the mapping of babel.cfg."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, "babel.cfg")
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS, directory_filter=_scanned
    ):
        found.add(message if isinstance(message, str) else message[0])
    return frozenset(found)


def placeholders(text: str) -> Counter[str]:
    return Counter(PLACEHOLDER.findall(text))


def test_the_vietnamese_catalog_is_complete() -> None:
    catalog = load_catalog("vi")
    assert str(catalog.locale) == "vi"
    assert catalog.charset.lower() == "utf-8"
    assert not catalog.fuzzy, "the catalog header is marked fuzzy"
    found = entries(catalog)
    assert found, "the Vietnamese catalog is empty"
    untranslated = [msgid for msgid, msgstr, _fuzzy in found if not msgstr.strip()]
    fuzzy = [msgid for msgid, _msgstr, is_fuzzy in found if is_fuzzy]
    assert not untranslated, f"untranslated in vi/messages.po: {untranslated}"
    assert not fuzzy, f"fuzzy (to review, then drop the flag) in vi/messages.po: {fuzzy}"


def test_the_vietnamese_translations_keep_the_placeholders() -> None:
    """``%(name)s`` must survive translation, and no stray ``%`` may appear: Jinja applies
    ``%`` to every translated string, so one would break the page."""
    found = entries(load_catalog("vi"))
    assert any(placeholders(msgid) for msgid, _msgstr, _fuzzy in found)  # the check bites
    wrong = {
        msgid: msgstr
        for msgid, msgstr, _fuzzy in found
        if placeholders(msgid) != placeholders(msgstr)
    }
    assert not wrong, f"placeholders differ between msgid and msgstr: {wrong}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalog_matches_the_sources(language: str) -> None:
    in_sources = source_msgids()
    assert "Sign in" in in_sources  # the templates were read
    assert "Administrator" in in_sources  # the ``_l`` strings were read
    in_catalog = {msgid for msgid, _msgstr, _fuzzy in entries(load_catalog(language))}
    missing = sorted(in_sources - in_catalog)
    stale = sorted(in_catalog - in_sources)
    assert not missing, (
        f"strings in the sources but not in {language}/messages.po "
        f"(run `make extract-messages`, then translate them): {missing}"
    )
    assert not stale, (
        f"entries of {language}/messages.po no longer in the sources "
        f"(run `make extract-messages`): {stale}"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalog_is_up_to_date(language: str) -> None:
    compiled_path = catalog_path(language, "mo")
    assert compiled_path.is_file(), f"{compiled_path} is missing: run `make translations`"
    with compiled_path.open("rb") as handle:
        compiled = read_mo(handle)
    expected = {
        msgid: msgstr for msgid, msgstr, _fuzzy in entries(load_catalog(language)) if msgstr
    }
    actual = {msgid: msgstr for msgid, msgstr, _fuzzy in entries(compiled) if msgstr}
    assert actual == expected, f"{compiled_path} is older than the .po: run `make translations`"


def test_the_interface_is_vietnamese_by_default_and_english_on_request(client: FlaskClient) -> None:
    html = client.get("/login").text
    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html
    assert "Sign in" not in html

    assert client.get("/language/en").status_code == 302
    html = client.get("/login").text
    assert '<html lang="en">' in html
    assert "Sign in" in html
    assert "Đăng nhập" not in html

    client.get("/language/vi")
    assert "Đăng nhập" in client.get("/login").text
