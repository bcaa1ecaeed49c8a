"""`--school NAME` on the command line: which school of the config a command is about.

A one-school file needs no `--school` (a name that is not its server errors, as the
digest always did); a board's file needs one for every command that reads one school's
config or data, and says which names exist.
"""

from __future__ import annotations

from collections.abc import Callable

from compass_bot.config.model import LoadedConfig
from compass_bot.inputs import cut_short
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


def pick_school(
    loaded: LoadedConfig, wanted: str | None, notice: Callable[[str], object] | None = None
) -> LoadedConfig:
    """The school `wanted` names (its name case-insensitively, or its server's name or id);
    the file's own config for a one-school file. Raises SchoolChoiceError. An entry's name
    wins over another school's server of that name; `notice` then gets one line saying so."""
    name = wanted.strip() if wanted is not None else None
    if not loaded.schools:
        guild = loaded.config.discord.guild
        if name is None or _guild_matches(loaded, name):
            return loaded
        if guild is None:
            # a name can match nothing here; taking it would run the command for a
            # school the admin did not mean (and `--school Foo` would look honoured)
            raise SchoolChoiceError(
                f"unknown school {cut_short(name)!r}: this config serves one school and names no"
                " server (discord.guild); leave out --school"
            )
        raise SchoolChoiceError(
            f"unknown school {cut_short(name)!r}: this config serves {describe_ref(guild)}"
        )
    count = len(loaded.schools)
    if not name:
        raise SchoolChoiceError(
            f"this config runs {count} schools ({school_names(loaded)}): name one with --school"
        )
    for school in loaded.schools:
        if (school.school or "").casefold() == name.casefold():
            if notice is not None and (line := _also_a_server(loaded, name, school)):
                notice(line)
            return school
    for school in loaded.schools:
        if _guild_matches(school, name):
            return school
    raise SchoolChoiceError(
        f"unknown school {cut_short(name)!r}: this config runs {count} schools ({school_names(loaded)})"
    )


def _also_a_server(loaded: LoadedConfig, name: str, picked: LoadedConfig) -> str | None:
    """The line for a name that is `picked`'s entry and also another school's server (the
    board keeps servers apart, so there is at most one); None when it is not."""
    for other in loaded.schools:
        guild = other.config.discord.guild
        if other is not picked and guild is not None and _guild_matches(other, name):
            # the entry's name always picks it: entry names win and differ between schools
            return (
                f"--school {cut_short(name)!r} took school {picked.school}; it also matches the server "
                f"{describe_ref(guild)} of school {other.school}: for that one use "
                f"--school {other.school}"
            )
    return None
