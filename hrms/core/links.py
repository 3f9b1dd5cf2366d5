"""Links to many records of one kind, for pages that link thousands of rows.

``url_for`` matches and builds the route each time it is called (some 20 µs); a page of 500
rows linked two or three times each spends tens of milliseconds on it. The links of one
endpoint differ only by the id: the route is built once, with a marker in the id's place,
and each link is that text with the id put in.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import url_for

#: an id no route holds elsewhere in its path
_MARKER = 987654321987


def links(endpoint: str, name: str, ids: Iterable[int], **values: Any) -> dict[int, str]:
    """``{id: url_for(endpoint, **{name: id}, **values)}``, building the route once."""
    sample = url_for(endpoint, **{**values, name: _MARKER})
    marker = str(_MARKER)
    if sample.count(marker) != 1:
        return {id_: url_for(endpoint, **{**values, name: id_}) for id_ in ids}
    head, _, tail = sample.partition(marker)
    return {id_: f"{head}{int(id_)}{tail}" for id_ in ids}
