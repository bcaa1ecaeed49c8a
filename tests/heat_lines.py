"""Short chats for the heat rule's tests: (author, text) or (author, text, replied-to index)
lines replayed at a steady pace through `rules.replay` without the learned model, so a test
reads the rule's own reasoning."""

from __future__ import annotations

from datetime import datetime, timedelta

from compass_bot.features.heat.rules import Heat, HeatSettings, Message, replay
from compass_bot.features.heat.rules_model import OFF

Line = tuple[str, str] | tuple[str, str, int]


def replay_lines(
    lines: tuple[Line, ...], settings: HeatSettings, start: datetime, every_seconds: int
) -> list[Heat]:
    """The rule's verdict on each line, posted `every_seconds` apart from `start`."""
    messages = [
        Message(
            line[0],
            start + timedelta(seconds=every_seconds * i),
            line[1],
            line[2] if len(line) == 3 else None,
        )
        for i, line in enumerate(lines)
    ]
    return replay(messages, settings, model=OFF)


def actions(heats: list[Heat]) -> list[str]:
    return [h.action for h in heats]
