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
    assert set(_contract("feature-layers")["containers"]) == packages | {"positions"}  # type: ignore[arg-type]


def test_no_feature_imports_another_features_views() -> None:
    import ast

    offenders = []
    allowed = {"hrms.core"}  # core.api holds conventions, not routes
    for path in [*(ROOT / "hrms").rglob("*.py"), *(ROOT / "positions").rglob("*.py")]:
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        own_feature = ".".join(module.split(".")[:2])
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                parts = name.split(".")
                feature = ".".join(parts[:2])
                routes = parts[-1] in ("views", "api") and feature not in allowed | {own_feature}
                if routes and module != "hrms.app":  # the factory registers every blueprint
                    offenders.append(f"{module} imports {name}")
    assert offenders == []
