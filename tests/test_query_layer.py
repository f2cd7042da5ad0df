"""The layering rule, read from the source: SQL (raw statements, Piccolo tables) lives in
``draftroom/db`` only, and the transports (HTTP, Socket.IO, tasks) never reach the database
themselves (they call services)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "draftroom"
DB = PACKAGE / "db"
TRANSPORTS = ("http", "realtime", "tasks")

STATEMENT = re.compile(
    r"^\s*(SELECT\s|INSERT\s+INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|WITH\s+\w+\s+AS\s*\()"
)


def _modules(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if not p.is_relative_to(DB))


def _imports(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_no_sql_statement_outside_the_query_layer() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)}:{node.lineno}"
        for path in _modules(PACKAGE)
        for node in ast.walk(ast.parse(path.read_text(), str(path)))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and STATEMENT.match(node.value)
    ]
    assert offenders == []


def test_piccolo_tables_are_used_by_the_query_layer_only() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in _modules(PACKAGE)
        if any(
            name.startswith("draftroom.db.tables")
            for name in _imports(ast.parse(path.read_text(), str(path)))
        )
    ]
    assert offenders == []


def test_transports_never_touch_the_database() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for transport in TRANSPORTS
        for path in _modules(PACKAGE / transport)
        if any(
            name.startswith(("draftroom.db.queries", "draftroom.db.tables", "asyncpg.Pool"))
            or name in ("draftroom.db.engine.pool", "draftroom.db.engine.DB")
            for name in _imports(ast.parse(path.read_text(), str(path)))
        )
    ]
    assert offenders == []


def test_the_rule_sees_a_statement() -> None:
    """The check itself: a statement in a string constant is found."""
    tree = ast.parse('SQL = "SELECT id FROM draft WHERE id = $1"')
    constants = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)]
    assert any(STATEMENT.match(c) for c in constants if isinstance(c, str))
