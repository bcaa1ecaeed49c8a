"""What a valid config probably does not mean: one line each, said by `validate-config` and
at the bot's start. An empty file stays valid (old files must keep working); these lines
only say what it leaves switched off."""

from __future__ import annotations

from compass_bot.config.model import LoadedConfig

NO_SOCIAL_CHANNEL = (
    "school_time names no social channels or categories: the lesson-time rule watches no channel"
)


def config_warnings(loaded: LoadedConfig) -> list[str]:
    """`warning: ...` lines, per school of a board (`warning: school Noord: ...`): a board's
    defaults run no school themselves, so only the merged school entries count."""
    lines: list[str] = []
    for school in loaded.each_school():
        where = f"school {school.school}: " if school.school else ""
        if not school.config.school_time.watches_channels():
            lines.append(f"warning: {where}{NO_SOCIAL_CHANNEL}")
    return lines
