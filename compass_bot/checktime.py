"""`check-time`: the school-time verdict for one moment, from the command line.

Plain data in (a moment, role names, a channel name), the rule's verdict out as the JSON
contract {"allowed", "reason", "message", "next_allowed_at"}. No store, no Discord.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from compass_bot.config import LoadedConfig
from compass_bot.features.schooltime.rules import Author, ChannelInfo, Scope, judge_post
from compass_bot.schedule import build_timetable

_SOCIAL_PLACEHOLDER = "(sociaal kanaal)"


def _ref_id(text: str, fallback: int) -> tuple[int, str]:
    """A role or channel given on the command line: digits are an id, anything else a name."""
    return (int(text), text) if text.isdigit() else (fallback, text)


def _name(text: str) -> str:
    """A channel or category as typed: ' #algemeen ' is the channel algemeen."""
    return text.strip().lstrip("#").strip()


def check_time(
    loaded: LoadedConfig,
    moment: datetime,
    roles: Sequence[str],
    channel: str | None,
    category: str | None = None,
) -> dict[str, Any]:
    cfg = loaded.config
    timetable = build_timetable(cfg.schedule, loaded.base_dir, today=moment)
    author = Author(member_id=0, roles=tuple(_ref_id(r, -(i + 1)) for i, r in enumerate(roles)))
    st = cfg.school_time
    if channel is None:
        # The default channel is a watched social one, whatever the config lists.
        info = ChannelInfo(id=0, name=_SOCIAL_PLACEHOLDER)
        scope = Scope.from_refs(
            social_channels=[*st.social_channels, _SOCIAL_PLACEHOLDER],
            social_categories=st.social_categories,
            exempt_channels=st.exempt_channels,
            staff_roles=st.staff_roles,
        )
    else:
        channel_id, name = _ref_id(_name(channel), 0)
        # a channel watched through its category (`social_categories`) is named with it
        category_id, category_name = _ref_id(_name(category), -1) if category else (None, None)
        info = ChannelInfo(channel_id, name, category_id, category_name)
        scope = st.to_scope()
    verdict = judge_post(moment, author, info, (), timetable, scope)
    return {
        "allowed": verdict.allowed,
        "reason": verdict.reason,
        "message": verdict.message,
        "next_allowed_at": verdict.next_allowed_at.isoformat() if verdict.next_allowed_at else None,
    }
