"""Which channels the cool-down rule watches: the configured ones (`heat.watched_channels`,
else the school-time social channels and categories), less those staff switched off with
`/afkoelen uit`; a thread follows its parent.

Every post in the school's server asks, so the answer is kept per channel with the
`ChannelInfo` it was given for: the conversion keeps one object per channel id, name and
category (`discord_front/convert.py`), so the same object again is the common, cheapest case;
another object that says the same (a thread's, built per post) is compared field by field; a
renamed or moved channel, or another config, is judged anew. The switched-off set is read on
every post, never kept in the answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from compass_bot.refs import any_ref_matches

if TYPE_CHECKING:
    from compass_bot.app import Kernel
    from compass_bot.config import LoadedConfig


class ChannelInfo(Protocol):
    """Where a post was made, as `MessagePosted.channel` gives it (a thread has a parent)."""

    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def category_id(self) -> int | None: ...
    @property
    def category_name(self) -> str | None: ...
    @property
    def parent(self) -> ChannelInfo | None: ...


class WatchedChannels:
    """The channels switched off (loaded from the store by `HeatService`) and, per channel
    id, the channel as last seen and whether the config watches it."""

    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel
        self._off: set[int] = set()
        self._watched: dict[int, tuple[ChannelInfo, bool]] = {}
        self._watched_for: LoadedConfig | None = None  # the config `_watched` was read from

    def watches(self, channel: ChannelInfo) -> bool:
        """Whether the rule watches this channel (a thread follows its parent)."""
        off = self._off
        if off and (channel.id in off or (channel.parent is not None and channel.parent.id in off)):
            return False
        known = self._watched.get(channel.id)
        if known is not None and known[0] is channel and self._watched_for is self.kernel.loaded:
            return known[1]
        return self._look_up(channel, known)

    def _look_up(self, channel: ChannelInfo, known: tuple[ChannelInfo, bool] | None) -> bool:
        """`watches` for a channel not seen as this object under this config: the answer
        kept when it says the same, else the config's."""
        loaded = self.kernel.loaded
        if self._watched_for is not loaded:  # another config: every answer is read anew
            self._watched.clear()
            self._watched_for = loaded
            known = None
        if known is not None:
            seen = known[0]
            if (
                seen.name == channel.name
                and seen.category_id == channel.category_id
                and seen.category_name == channel.category_name
                and seen.parent == channel.parent
            ):
                self._watched[channel.id] = (channel, known[1])
                return known[1]
        watched = self._configured(channel)  # first seen, or renamed or moved since
        self._watched[channel.id] = (channel, watched)
        return watched

    def _configured(self, channel: ChannelInfo) -> bool:
        base = channel.parent or channel
        category = (base.category_id or 0, base.category_name or "")
        cfg = self.kernel.config
        refs = cfg.heat.watched_channels
        if refs:
            return any_ref_matches(refs, base.id, base.name) or (
                base.category_id is not None and any_ref_matches(refs, *category)
            )
        st = cfg.school_time
        if any_ref_matches(st.exempt_channels, base.id, base.name):
            return False
        if any_ref_matches(st.social_channels, base.id, base.name):
            return True
        return base.category_id is not None and any_ref_matches(st.social_categories, *category)
