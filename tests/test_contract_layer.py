"""The contract types have one home (``draftroom/contracts``): every response a REST route
documents is one of them, http modules define none, and the package depends on nothing of
draftroom but itself (``domain`` does not import it)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel

from tests.support.contract import app_routes

PACKAGE = Path(__file__).resolve().parents[1] / "draftroom"
CONTRACTS = PACKAGE / "contracts"
ALLOWED = ("__future__", "typing", "typing_extensions", "pydantic", "draftroom.contracts")


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def _classes(model: Any) -> list[type]:
    """The classes a documented model is made of (``list[X]`` -> X)."""
    args = get_args(model)
    if args:
        return [c for arg in args for c in _classes(arg)]
    return [model] if isinstance(model, type) else []


def test_every_documented_response_is_a_contract_type() -> None:
    routes = app_routes()
    outside: list[str] = []
    for rule in routes.urls.map.iter_rules():
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            documented = routes.documented(method, rule.rule) or {}
            for status, model in documented.items():
                for cls in _classes(model):
                    if not cls.__module__.startswith("draftroom.contracts."):
                        outside.append(f"{method} {rule.rule} {status}: {cls.__module__}")
    assert outside == []


def test_http_modules_define_no_response_models() -> None:
    from draftroom import http

    found = []
    for path in sorted(Path(http.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(b, ast.Name) and b.id in ("TypedDict", "RootModel") for b in node.bases
            ):
                found.append(f"{path.name}: {node.name}")
            if isinstance(node, ast.ClassDef) and node.name.endswith("Out"):
                found.append(f"{path.name}: {node.name}")
    assert found == []


def test_contracts_import_only_the_standard_library_pydantic_and_themselves() -> None:
    import sys

    stdlib = sys.stdlib_module_names
    bad = {
        f"{path.name}: {module}"
        for path in CONTRACTS.glob("*.py")
        for module in _imported_modules(path)
        if module.split(".")[0] not in stdlib and not module.startswith(ALLOWED)
    }
    assert bad == set()


def test_domain_does_not_import_the_contracts() -> None:
    bad = [
        str(path.relative_to(PACKAGE))
        for path in (PACKAGE / "domain").rglob("*.py")
        if any(m.startswith("draftroom.contracts") for m in _imported_modules(path))
    ]
    assert bad == []


def test_the_rule_sees_a_model_outside_the_contracts() -> None:
    class Elsewhere(BaseModel):
        x: int

    assert _classes(list[Elsewhere]) == [Elsewhere]
    assert not Elsewhere.__module__.startswith("draftroom.contracts.")
