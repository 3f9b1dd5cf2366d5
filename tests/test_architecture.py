"""The import contracts of design.md stay complete as features are added."""

from __future__ import annotations

import pkgutil
import tomllib
from pathlib import Path

import hrms

ROOT = Path(__file__).resolve().parent.parent
#: what positions and hrms.core may import from hrms
SHARED = {"hrms.core", "hrms.extensions", "hrms.settings"}


def _contract(contract_id: str) -> dict[str, object]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if c["id"] == contract_id)


def _features() -> set[str]:
    return {f"hrms.{module.name}" for module in pkgutil.iter_modules(hrms.__path__)} - SHARED


def test_positions_is_forbidden_every_feature() -> None:
    assert set(_contract("positions-only-core")["forbidden_modules"]) == _features()  # type: ignore[arg-type]


def test_core_is_forbidden_every_feature() -> None:
    forbidden = set(_contract("core-knows-no-feature")["forbidden_modules"])  # type: ignore[arg-type]
    assert forbidden == _features() | {"positions"}


def test_every_feature_package_is_layered() -> None:
    packages = {
        f"hrms.{module.name}" for module in pkgutil.iter_modules(hrms.__path__) if module.ispkg
    } - SHARED
    assert set(_contract("feature-layers")["containers"]) == packages  # type: ignore[arg-type]
