"""`--school NAME` on the command line: which school of the config a command is about.

A one-school file needs no `--school` (a name that is not its server errors, as the
digest always did); a board's file needs one for every command that reads one school's
config or data, and says which names exist.
"""

from __future__ import annotations

from compass_bot.config.model import LoadedConfig
from compass_bot.refs import describe_ref


class SchoolChoiceError(Exception):
    """`--school` missing or naming no school of this config: one line for the admin."""


def _guild_matches(school: LoadedConfig, wanted: str) -> bool:
    guild = school.config.discord.guild
    if isinstance(guild, int):
        return wanted == str(guild)
    return guild is not None and wanted.casefold() == guild.casefold()


def school_names(loaded: LoadedConfig) -> str:
    """`Noord, Zuid`: the board's schools as the admin named them."""
    return ", ".join(school.school or "?" for school in loaded.schools)


def pick_school(loaded: LoadedConfig, wanted: str | None) -> LoadedConfig:
    """The school `wanted` names (its name case-insensitively, or its server's name or id);
    the file's own config for a one-school file. Raises SchoolChoiceError."""
    name = wanted.strip() if wanted is not None else None
    if not loaded.schools:
        guild = loaded.config.discord.guild
        if name is None or _guild_matches(loaded, name):
            return loaded
        if guild is None:
            # a name can match nothing here; taking it would run the command for a
            # school the admin did not mean (and `--school Foo` would look honoured)
            raise SchoolChoiceError(
                f"unknown school {name!r}: this config serves one school and names no"
                " server (discord.guild); leave out --school"
            )
        raise SchoolChoiceError(
            f"unknown school {name!r}: this config serves {describe_ref(guild)}"
        )
    count = len(loaded.schools)
    if not name:
        raise SchoolChoiceError(
            f"this config runs {count} schools ({school_names(loaded)}): name one with --school"
        )
    for school in loaded.schools:
        if (school.school or "").casefold() == name.casefold():
            return school
    for school in loaded.schools:
        if _guild_matches(school, name):
            return school
    raise SchoolChoiceError(
        f"unknown school {name!r}: this config runs {count} schools ({school_names(loaded)})"
    )
