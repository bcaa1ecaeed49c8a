"""How a member is named by mention in the text the bot keeps, and how an erasure takes the
name out: the one place that knows every form, so no feature keeps a copy of the pattern.

A mention of member 123 is, in stored text:

- `<@123>` or `<@!123>`: a Discord mention as typed (a report's note, a moderator's note on an
  alert, a teacher's reason for a grant, a question stored before mentions were masked);
- `\\[@123\\]` or `\\[@!123\\]`: the same mention as an excerpt keeps it (written out as
  `[@123]` so it cannot ping, then markdown escaped: `sanitise_excerpt`);
- `@label`: the console's simulated mention (`CONSOLE_MENTION`), in an excerpt with its
  punctuation markdown escaped (`@anna\\_b`).

`/privacy wissen` replaces each with `ERASED_MENTION` in the other members' stored texts (each
feature's `erase_mentions` hook, through `erase_mentions_in`), so an alert about someone else
stays but no longer names the erased member. An id is matched whole: a longer id that starts
with it is someone else, and so is a console name that merely starts with the label.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Final

from compass_bot.features.alerts.model import sanitise_excerpt

if TYPE_CHECKING:
    from compass_bot.storage.db import Database

# the console's way to mention a member: @ and the member's label, up to a space or punctuation
_CONSOLE_NAME_CHAR: Final = r"[^\s@,.:;!?]"
CONSOLE_MENTION: Final = re.compile(f"@({_CONSOLE_NAME_CHAR}+)")
ERASED_MENTION: Final = "@[gewist lid]"
# as an excerpt keeps it (markdown escaped), so the excerpt still shows "@[gewist lid]"
ERASED_MENTION_ESCAPED: Final = sanitise_excerpt(ERASED_MENTION)


@dataclass(frozen=True, slots=True)
class MentionOf:
    """The mentions of one member: by id (Discord), and by `label` in the console."""

    member_id: int
    label: str | None = None

    def erased(self, text: str, escaped: bool = False) -> tuple[str, int]:
        """`text` with every mention of the member replaced by `ERASED_MENTION` (markdown
        escaped for an excerpt: `escaped`), and how many there were."""
        marker = ERASED_MENTION_ESCAPED if escaped else ERASED_MENTION
        return _pattern(self.member_id, self.label).subn(lambda _: marker, text)


def _escapable(label: str) -> str:
    """The label as a pattern that also matches it markdown escaped (a backslash before each
    punctuation character, as an excerpt writes it)."""
    return "".join(re.escape(c) if c.isalnum() else r"\\?" + re.escape(c) for c in label)


@lru_cache(maxsize=64)
def _pattern(member_id: int, label: str | None) -> re.Pattern[str]:
    forms = [rf"<@!?{member_id}>", rf"\\?\[@!?{member_id}\\?\]"]  # the id ends at > or ]
    if label:
        forms.append(f"@{_escapable(label)}(?!{_CONSOLE_NAME_CHAR})")  # not a longer name
    return re.compile("|".join(forms), re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Erased:
    """What `erase_mentions_in` changed: the rows (by id) and how many mentions went."""

    rows: tuple[int, ...] = ()
    mentions: int = 0


async def erase_mentions_in(
    db: Database,
    table: str,
    columns: Sequence[str],
    mention: MentionOf,
    escaped: Collection[str] = (),
) -> Erased:
    """Replace the member's mentions in the text `columns` of `table` (keyed by `id`; the
    `escaped` columns hold excerpts, markdown escaped). No commit: an erasure is one
    transaction. Every form holds an @, so only those rows are read."""
    names = ", ".join(f'"{c}"' for c in columns)
    where = " OR ".join(f"\"{c}\" LIKE '%@%'" for c in columns)
    rows = await db.fetchall(f'SELECT id, {names} FROM "{table}" WHERE {where}')
    changed: list[int] = []
    count = 0
    for row in rows:
        new: dict[str, str] = {}
        for column in columns:
            if (text := row[column]) is None:
                continue
            erased, n = mention.erased(str(text), escaped=column in escaped)
            if n:
                new[column], count = erased, count + n
        if new:
            sets = ", ".join(f'"{c}" = ?' for c in new)
            await db.execute(
                f'UPDATE "{table}" SET {sets} WHERE id = ?', (*new.values(), row["id"])
            )
            changed.append(int(row["id"]))
    return Erased(tuple(changed), count)
