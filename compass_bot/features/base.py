"""How a feature takes part in the bot: one `Feature` declaration per feature package.

`compass_bot/features/__init__.py` lists them (`FEATURES`); everything that must reach every
feature is collected from these declarations rather than from hand-kept lists: the schema
(migrations), the staff actions and their refusals, the services, erasure and retention
(`FeatureService`), the console commands and the Discord extensions.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from compass_bot.access import Action
from compass_bot.storage.db import Migration

if TYPE_CHECKING:
    from compass_bot.app import Kernel
    from compass_bot.config import Config
    from compass_bot.console.app import Console
    from compass_bot.console.server import ConsoleMember
    from compass_bot.features.alerts.model import ActionDone, Alert
    from compass_bot.mentions import MentionOf
    from compass_bot.model import MessagePosted, Refusal
    from compass_bot.refs import Ref


class FeatureService(Protocol):
    """A feature's service as the app and privacy reach it.

    `load` reads the hot state into memory at start (and after the console's /reset).
    `erase_member` and `purge` cover what the feature stores about members; `erase_mentions`
    (after every feature's `erase_member`) replaces the erased member's mentions in the text
    it keeps of others (`compass_bot.mentions.erase_mentions_in`). All three run inside the
    one transaction privacy opens (`Database.transaction`; no commit here), and `forget`
    then drops the feature's in-memory state about the member. A feature that stores nothing
    returns {}.
    """

    async def load(self, now: datetime) -> None: ...

    async def erase_member(self, member_id: int) -> Mapping[str, int]: ...

    async def erase_mentions(self, mention: MentionOf) -> Mapping[str, int]: ...

    async def purge(self, before: datetime) -> Mapping[str, int]: ...

    def forget(self, member_id: int) -> None: ...


class KeepsNoMentions:
    """`erase_mentions` of a feature that stores no text of members (heat: channels and times,
    its in-memory post for an alert dropped by `forget`;
    names: a member's own approved name; personal data: nothing but its alerts, whose
    excerpts are the alerts feature's): no mention of a member to take out."""

    async def erase_mentions(self, mention: MentionOf) -> Mapping[str, int]:
        return {}


class KeepsNoMemberData(KeepsNoMentions):
    """The privacy hooks of a feature that stores nothing about members (the digest counts,
    AutoMod's bridge, the status): there is nothing to load, erase, purge or forget."""

    async def load(self, now: datetime) -> None:
        return None

    async def erase_member(self, member_id: int) -> Mapping[str, int]:
        return {}

    async def purge(self, before: datetime) -> Mapping[str, int]:
        return {}

    def forget(self, member_id: int) -> None:
        return None


ConsoleHandler = Callable[["Console", str, list[str], str], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """A console command: its names, the usage line for /help, and the handler, which gets the
    console, the name it was called by, the words after it and the rest of the line."""

    names: tuple[str, ...]
    usage: str
    handler: ConsoleHandler


@dataclass(frozen=True, slots=True)
class AlertKind:
    """How alerts of one rule read: title and colour, and what the alert is about (a post,
    with where and an excerpt, or a name); `personal_detail` says the stored reason holds
    personal text (names), which the retention purge then clears."""

    rule: str
    title: str
    colour: int
    about: str = "post"  # "post" | "name"
    personal_detail: bool = False
    reason_text: Callable[[str, str], str] = lambda detail, language: detail  # (detail, lang)
    involved: Callable[[str], tuple[int, ...]] = lambda detail: ()  # members named by ids
    field_labels: Mapping[str, str] = field(default_factory=dict)  # a name alert's name field
    # Everyday words (Dutch and English) a moderator may filter these alerts by, beside the
    # rule id and the title's own words (`registry.alert_kind_named`): "naam", "school time".
    words: tuple[str, ...] = ()


def _always(config: Config) -> bool:
    return True


def watched_places(config: Config) -> tuple[Ref, ...]:
    """The channels and categories the config names as watched: `heat.watched_channels`, else
    school_time's social channels and categories (heat's own default); where a delete or a
    slowmode happens."""
    school_time = config.school_time
    own = tuple(config.heat.watched_channels)
    return own or (*school_time.social_channels, *school_time.social_categories)


@dataclass(frozen=True, slots=True)
class Permission:
    """A Discord permission a feature needs in the server, and when: always, or only with the
    config that uses it (`when`), so the invite asks for no more than the enabled features do.
    `name` is a discord.py `Permissions` flag (e.g. "manage_messages"); `why` is shown by
    `invite-url --explain`.

    `where`: the channels and categories (config refs) it is used in. The start-up check
    (`discord_front/permissions.lacking`) accepts a grant on each of them (a channel or
    category permission, as the README suggests for Manage Channels) where the bot's role
    lacks it. By default the watched channels (`watched_places`); None: anywhere in the
    server, so only the role counts. A permission Discord grants per server only (Manage
    Server, Manage Nicknames) always needs the role."""

    name: str
    why: str
    when: Callable[[Config], bool] = _always
    where: Callable[[Config], Sequence[Ref]] | None = watched_places


# What every installation needs, in any channel: see the channels, answer and warn there
# (threads too), show answers and alerts as embeds, and read the post a reply refers to. No
# Attach Files: private replies (the alert export, /overzicht) upload with the permission
# Discord gives the app itself; the weekly digest's chart asks for its own (features/digest).
BASE_PERMISSIONS: tuple[Permission, ...] = (
    Permission(
        "view_channel", "see the channels it watches and the moderators' channel", where=None
    ),
    Permission("send_messages", "answer questions, warn, post alerts", where=None),
    Permission("send_messages_in_threads", "answer in threads", where=None),
    Permission("embed_links", "answers and alerts are embeds", where=None),
    Permission("read_message_history", "reply to the post it answers", where=None),
)


@dataclass(frozen=True, slots=True)
class Feature:
    """One feature's declaration. `build` makes its service from the shared kernel."""

    name: str
    data_statement: str  # what it stores about members, and for how long (required)
    build: Callable[[Kernel], FeatureService]
    migrations: tuple[Migration, ...] = ()
    actions: tuple[Action, ...] = ()
    alert_kinds: tuple[AlertKind, ...] = ()
    console: str | None = None  # a module with `def hooks() -> ConsoleHooks`
    discord_extension: str | None = None  # a module with `async def setup(bot)`
    # table -> Dutch label, written for any count ("melding(en)", "naam/namen"; texts.for_count)
    erased_labels: Mapping[str, str] = field(default_factory=dict)
    # the same in English ("alert(s)"): the erasure's summary says it in both languages
    erased_labels_en: Mapping[str, str] = field(default_factory=dict)
    # Discord permissions it needs beyond BASE_PERMISSIONS (the invite and the README use them).
    permissions: tuple[Permission, ...] = ()
    # Its top-level slash commands meant for staff: synced with `default_member_permissions`
    # (config `discord.staff_permission`) so students do not see them; the runtime check stays.
    staff_commands: tuple[str, ...] = ()
    # Its check of every post and edit: "Cog.method", a cog its Discord extension adds. The one
    # screening listener (`discord_front/screening.py`) calls the checks in `FEATURES` order.
    post_check: str | None = None


PostHook = Callable[["Console", "MessagePosted"], Awaitable[None]]
JoinHook = Callable[["Console", "ConsoleMember"], Awaitable[None]]
QuestionHook = Callable[["Console", str], Awaitable[None]]
AlertAction = Callable[["Console", int], Awaitable["Alert | ActionDone | Refusal"]]


@dataclass(frozen=True, slots=True)
class ConsoleHooks:
    """A feature in the console: its commands, what it does with a post or a question typed
    to the bot or with a member who joins (`/als` with a new name, as Discord's member join),
    and its actions under an alert (`/melding NR WORD`: word -> (rule, action))."""

    commands: Sequence[CommandSpec] = ()
    on_post: PostHook | None = None
    on_join: JoinHook | None = None
    on_question: QuestionHook | None = None
    alert_actions: Mapping[str, tuple[str, AlertAction]] = field(default_factory=dict)
