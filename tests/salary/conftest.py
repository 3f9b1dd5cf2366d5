from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask_babel import force_locale


@pytest.fixture
def _in_english(service_context: None) -> Iterator[None]:
    """Services called directly answer in their English wording (the msgids): that each has
    its Vietnamese translation is tests/test_translations.py's job."""
    with force_locale("en"):
        yield
