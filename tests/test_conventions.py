"""The layout's rules, checked: one home per feature, a pure core, and the cross-cutting parts
(schema, erasure, console commands, alert kinds) collected from the features' declarations."""

from __future__ import annotations

import ast
import hashlib
import importlib
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from compass_bot.app import App
from compass_bot.features.base import Feature
from compass_bot.features.privacy.service import PrivacyService
from compass_bot.model import Member
from compass_bot.registry import FEATURES, alert_kinds, migrations
from compass_bot.storage.db import Database
from tests.conftest import make_loaded

PACKAGE = Path(__file__).resolve().parents[1] / "compass_bot"
FEATURE_DIR = PACKAGE / "features"
T0 = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)

# The released migrations never change: a new schema step is a new number.
RELEASED = {
    1: "71d700d86b3d42fa",
    2: "7a0d03cb257dca01",
    3: "9bef394f4ed36ead",
    4: "c6be655695534264",
    5: "00ea0f644e064842",
    6: "c477a5f24f4e84b1",
    7: "88fb6b54a66dbc31",
    8: "65d4416b3d7cadbf",
    9: "c410ee967b1f96c7",
    10: "277f521351b2758b",
    11: "f47558f8630a38e8",
    12: "eb0faa1906282cd5",
    13: "17dc603e3a5676b9",
}


def _imports(path: Path) -> set[str]:
    """Every module a file imports (also under TYPE_CHECKING)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def _feature_of(path: Path) -> str | None:
    parts = path.relative_to(PACKAGE).parts
    return parts[1] if parts[0] == "features" and len(parts) > 2 else None


def _fingerprint(sql: str) -> str:
    return hashlib.sha256(" ".join(sql.split()).encode()).hexdigest()[:16]


def test_the_pure_core_imports_no_discord_no_storage_no_clock() -> None:
    pure = [*FEATURE_DIR.glob("*/rules*.py"), *(PACKAGE / "policy").glob("*.py")]
    assert len(pure) >= 5
    banned = ("discord", "aiosqlite", "sqlite3", "compass_bot.storage", "compass_bot.clock")
    for path in pure:
        bad = [m for m in _imports(path) if m.startswith(banned) or m == "compass_bot.app"]
        assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"


def test_only_the_discord_shells_import_discord() -> None:
    for path in PACKAGE.rglob("*.py"):
        feature_shell = path.name.startswith("discord_") and _feature_of(path) is not None
        shell = feature_shell or "discord_front" in path.parts
        if not shell:
            uses = [m for m in _imports(path) if m == "discord" or m.startswith("discord.")]
            assert not uses, f"{path.relative_to(PACKAGE)} imports {uses}"


def test_features_do_not_import_each_other_but_through_alerts() -> None:
    """Alerts is the platform every feature reports through; privacy reads the registry."""
    for path in FEATURE_DIR.rglob("*.py"):
        own = _feature_of(path)
        if own is None:
            continue
        for module in _imports(path):
            if not module.startswith("compass_bot.features."):
                continue
            other = module.split(".")[2]
            assert other in (own, "alerts", "base"), f"{path.relative_to(PACKAGE)} imports {module}"


def test_migrations_run_one_to_n_and_the_released_ones_never_change() -> None:
    declared = migrations()
    assert [m.number for m in declared] == list(range(1, len(declared) + 1))
    for migration in declared:
        if migration.number in RELEASED:
            assert _fingerprint(migration.sql) == RELEASED[migration.number], (
                f"migration {migration.number} ({migration.name}) was edited: add a new one"
            )


def test_every_feature_declares_what_it_stores_and_its_service_reaches_privacy() -> None:
    names = [f.name for f in FEATURES]
    assert len(set(names)) == len(names)
    for feature in FEATURES:
        assert feature.data_statement.strip(), feature.name
        for hook in ("load", "erase_member", "erase_mentions", "purge", "forget"):
            assert callable(getattr(feature.build, hook, None)), (feature.name, hook)


def test_console_commands_are_unique_and_have_a_usage_line() -> None:
    seen: set[str] = set()
    for feature in FEATURES:
        if feature.console is None:
            continue
        for spec in importlib.import_module(feature.console).hooks().commands:
            assert spec.usage.strip().startswith("/"), spec.names
            assert not seen & set(spec.names), spec.names
            seen.update(spec.names)


def test_every_alert_kind_has_a_title_and_a_known_clause() -> None:
    from compass_bot.policy import load_clauses

    book = load_clauses()
    for rule, kind in alert_kinds().items():
        assert kind.title and 0 <= kind.colour <= 0xFFFFFF
        assert rule in {c.id for c in book}, rule


SUBJECT_COLUMNS = ("member_id", "target_id", "reporter_id", "reported_id")


async def test_erasure_reaches_every_table_that_holds_a_member(tmp_path: Path) -> None:
    """A row for member X in every table with a column naming the member (not the staff who
    acted: granted_by, approved_by, handled_by stay as the school's record), then erase X."""
    member, other = 4242, 77
    db = await Database.open(tmp_path / "db")
    app = await App.create(make_loaded(tmp_path), db=db)
    try:
        tables = [
            r["name"]
            for r in await db.fetchall(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        covered: list[tuple[str, str]] = []
        for table in tables:
            columns = await db.fetchall(f'PRAGMA table_info("{table}")')
            for column in (c for c in columns if c["name"] in SUBJECT_COLUMNS):
                for who in (member, other):
                    await _seed(db, table, columns, column["name"], who)
                covered.append((table, column["name"]))
        await db.commit()
        assert len(covered) >= 4, covered
        moderator = Member(9, "mod", ((1, "Moderator"),))
        result = await app[PrivacyService].erase(moderator, member, T0)
        assert isinstance(result, dict)
        for table, column in covered:
            left = await db.fetchall(f'SELECT * FROM "{table}" WHERE "{column}" = ?', (member,))
            if table == "permission_grants":  # a role or channel grant with that number is not X
                left = [r for r in left if r["scope"] == "member"]
            assert not left, f"{table}.{column} still holds the erased member"
            assert await db.fetchall(f'SELECT * FROM "{table}" WHERE "{column}" = ?', (other,))
    finally:
        await app.close()


async def _seed(
    db: Database, table: str, columns: list[sqlite3.Row], column: str, who: int
) -> None:
    """One row with `who` in `column`, every other NOT NULL column given a plain value."""
    values: dict[str, object] = {column: who}
    for c in columns:
        name = c["name"]
        if name in values or c["pk"] or (not c["notnull"]) or c["dflt_value"] is not None:
            continue
        kind = (c["type"] or "").upper()
        if name == "scope":
            values[name] = "member"
        elif name == "kind":
            values[name] = "unanswered"
        elif name.endswith("_at"):
            values[name] = (T0 - timedelta(days=1)).isoformat()
        elif "INT" in kind:
            values[name] = 1
        else:
            values[name] = "x"
    if "scope" in {c["name"] for c in columns}:
        values["scope"] = "member"
    marks = ", ".join("?" for _ in values)
    names = ", ".join(f'"{n}"' for n in values)
    await db.execute(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', tuple(values.values()))


@pytest.mark.parametrize("feature", FEATURES, ids=lambda f: f.name)
def test_each_feature_lives_in_its_own_folder(feature: Feature) -> None:
    folder = FEATURE_DIR / feature.name
    assert (folder / "feature.py").exists() and (folder / "service.py").exists()
    if feature.discord_extension:
        assert feature.discord_extension == f"compass_bot.features.{feature.name}.discord_ext"


MODULE_LINES = 500
CLASS_LINES = 300


def test_modules_and_classes_stay_small_enough_to_read() -> None:
    """One idea per module: a module over about 500 lines or a class over about 300 holds
    more than one, and is split by idea (issue #12), not trimmed to the number."""
    too_big: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        name = path.relative_to(PACKAGE.parent)
        if (lines := source.count("\n")) > MODULE_LINES:
            too_big.append(f"{name}: {lines} lines")
        for node in ast.walk(ast.parse(source)):
            size = (node.end_lineno or 0) - node.lineno + 1 if isinstance(node, ast.ClassDef) else 0
            if isinstance(node, ast.ClassDef) and size > CLASS_LINES:
                too_big.append(f"{name}: class {node.name}, {size} lines")
    assert too_big == []
