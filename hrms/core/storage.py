"""Where uploaded files live: one folder (a shared volume when several servers run), files under
random names spread over two levels of sub-folders, each checked against its SHA-256 on reading."""

from __future__ import annotations

import hashlib
from pathlib import Path

from hrms.settings import current_settings


def storage_path(stored_name: str) -> Path:
    """Files are spread over two levels of folders so no folder grows huge."""
    return current_settings().storage_path / stored_name[:2] / stored_name[2:4] / stored_name


def read_checked(stored_name: str, sha256: str) -> bytes:
    """The stored content, refused if it no longer matches the checksum taken on upload."""
    content = storage_path(stored_name).read_bytes()
    if hashlib.sha256(content).hexdigest() != sha256:
        raise OSError(f"{stored_name}: stored content does not match its checksum")
    return content
