"""`check-time`: the school-time verdict for one moment, from the command line.

Plain data in (a moment, role names, a channel name), the rule's verdict out as the JSON
contract {"allowed", "reason", "message", "next_allowed_at"}. No store, no Discord.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from difflib import get_close_matches
from typing import Any

from compass_bot.config import LoadedConfig
from compass_bot.features.schooltime.rules import Author, ChannelInfo, Scope, judge_post
from compass_bot.inputs import cut_short
from compass_bot.refs import any_ref_matches
from compass_bot.schedule import build_timetable
from compass_bot.schedule.timetable import missing_vacations

_SOCIAL_PLACEHOLDER = "(sociaal kanaal)"


def _ref_id(text: str, fallback: int) -> tuple[int, str]:
    """A role or channel given on the command line: digits are an id, anything else a name."""
    return (int(text), text) if text.isdigit() else (fallback, text)


def typed_name(text: str) -> str:
    """A channel or category as typed: ' #algemeen ' is the channel algemeen."""
    return text.strip().lstrip("#").strip()


def check_time(
    loaded: LoadedConfig,
    moment: datetime,
    roles: Sequence[str],
    channel: str | None,
    category: str | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """The verdict (the JSON contract), and the timetable's notes an admin must see for this
    moment: a year without school vacations makes a holiday read as lesson time."""
    cfg = loaded.config
    timetable = build_timetable(cfg.schedule, loaded.base_dir, today=moment)
    year = moment.astimezone(cfg.schedule.zone).year
    notes = missing_vacations(timetable, (year,))
    author = Author(member_id=0, roles=tuple(_ref_id(r, -(i + 1)) for i, r in enumerate(roles)))
    st = cfg.school_time
    if channel is None:
        # The default channel is a watched social one, whatever the config lists.
        info = ChannelInfo(id=0, name=_SOCIAL_PLACEHOLDER)
        scope = Scope.from_refs(
            social_channels=[*st.social_channels, _SOCIAL_PLACEHOLDER],
            social_categories=st.social_categories,
            exempt_channels=st.exempt_channels,
            staff_roles=st.staff(),
        )
    else:
        channel_id, name = _ref_id(typed_name(channel), 0)
        # a channel watched through its category (`social_categories`) is named with it
        category_id, category_name = _ref_id(typed_name(category), -1) if category else (None, None)
        info = ChannelInfo(channel_id, name, category_id, category_name)
        scope = st.to_scope()
    verdict = judge_post(moment, author, info, (), timetable, scope)
    result = {
        "allowed": verdict.allowed,
        "reason": verdict.reason,
        "message": verdict.message,
        "next_allowed_at": verdict.next_allowed_at.isoformat() if verdict.next_allowed_at else None,
    }
    return result, notes


def unnamed_hint(loaded: LoadedConfig, channel: str, category: str | None) -> str | None:
    """A line for stderr when the config names neither the channel nor its category: such a
    channel is not watched, and a typo ('algmeen') would read as that verdict. The nearest
    configured names are offered. None when the config names one of them."""
    st = loaded.config.school_time
    channel_id, name = _ref_id(typed_name(channel), 0)
    channels = [*st.social_channels, *st.exempt_channels]
    if any_ref_matches(channels, channel_id, name):
        return None
    if category is not None:
        category_id, category_name = _ref_id(typed_name(category), -1)
        if any_ref_matches(st.social_categories, category_id, category_name):
            return None
    typed = [name] if category is None else [name, typed_name(category)]
    names = _as_written([*channels, *st.social_categories])
    close = [
        names[c] for t in typed for c in get_close_matches(t.casefold(), names, n=2, cutoff=0.7)
    ]
    hint = f" Bedoelde je: {', '.join(close)}? / Did you mean: {', '.join(close)}?" if close else ""
    what = f"'{cut_short(name)}'"
    if category is not None:
        what += f" (in '{cut_short(typed_name(category))}')"
    return (
        f"check-time: {what} staat niet in school_time van de configuratie, dus niet bewaakt"
        f" / not in the config's school_time, so not watched.{hint}"
    )


def role_hint(loaded: LoadedConfig, roles: Sequence[str]) -> str | None:
    """A line for stderr when a --role is near a role the config names but is none of them
    ('Docnet' for 'Docent'): it would read as a student's role. None for any other role (a
    student's own role, "Leerling", is named nowhere in the config and is fine)."""
    cfg = loaded.config
    named = [*cfg.school_time.staff(), *(b.role for b in cfg.schedule.lunch_breaks.by_role)]
    names = _as_written(named)
    typos: list[tuple[str, str]] = []
    for role in roles:
        role_id, name = _ref_id(role, 0)
        if any_ref_matches(named, role_id, name):
            continue
        close = get_close_matches(name.casefold(), names, n=1, cutoff=0.8)
        # "Klas 3" beside a configured "Klas 2" is another year group, not a typo
        if close and _letters(close[0]) != _letters(name.casefold()):
            typos.append((name, names[close[0]]))  # as the config writes it: "Docent"
    if not typos:
        return None
    typed = ", ".join(f"'{cut_short(name)}'" for name, _ in typos)
    meant = ", ".join(close for _, close in typos)
    return (
        f"check-time: rol {typed} staat niet in de configuratie / role {typed} is not in the "
        f"config. Bedoelde je: {meant}? / Did you mean: {meant}?"
    )


def _as_written(refs: Sequence[int | str]) -> dict[str, str]:
    """The config's names by their casefolded form (compared so), each as the config writes
    it (suggested so: "Docent", not "docent")."""
    names: dict[str, str] = {}
    for ref in refs:
        if isinstance(ref, str):
            names.setdefault(ref.casefold(), ref)
    return names


def _letters(name: str) -> str:
    return "".join(ch for ch in name if not ch.isdigit())
