"""The console's simulated server: its members, roles and channels, their ids, and the clock."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from compass_bot.app import App
from compass_bot.atomic import write_atomically
from compass_bot.features.schooltime.rules import ChannelInfo
from compass_bot.model import Member

NAME_CHARS: Final = 32  # Discord's longest username, display name or nickname
NAME_TOO_LONG: Final = (
    f"Een naam mag op Discord hoogstens {NAME_CHARS} tekens hebben. / "
    f"A name on Discord has at most {NAME_CHARS} characters."
)
ROLE_KINDS = ("leerling", "docent", "moderator", "schoolleiding")


@dataclass
class ConsoleMember:
    member: Member
    username: str
    global_name: str | None = None
    nick: str | None = None


class SimulatedServer:
    """The server the console's user acts in: members, roles and channels with stable ids, as
    Discord would give them to the features."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.config = app.config
        self.clock = app.clock
        self.guild_id = 1
        self._start()
        self.server_file = server_file(app.db.path)
        self._written: str | None = None  # the last text saved: an unchanged one is not rewritten
        # None, or one line to show at the start: the saved server could not be read
        self.restore_problem = self.restore()

    def _start(self) -> None:
        """The simulated server as it is at the start: four members, one per kind."""
        self._role_ids: dict[str, int] = {}
        self.role_names: dict[int, str] = {}
        self.channels: dict[int, ChannelInfo] = {}
        self.members: dict[str, ConsoleMember] = {}
        for kind in ROLE_KINDS:
            self._add_member(f"{kind}1", [self._kind_role(kind)])
        self.me = self.members["leerling1"]
        self.channel = self.channel_named(self.config.console.channel, None)
        self.state: dict[str, object] = {}  # the features' console state (the last answer)
        # posts the bot removed (hidden for data, deleted in lesson time or from an alert):
        # gone for every feature, as on Discord (none can be reported or deleted again)
        self.removed_posts: set[int] = set()
        self._messages = 0

    def _next_message_id(self) -> int:
        """Message ids count up from the start, so a scripted run prints the same each time."""
        self._messages += 1
        return 900_000_000 + self._messages

    def _kind_role(self, kind: str) -> str:
        roles = self.config.roles
        refs = {
            "leerling": roles.students,
            "docent": roles.teachers,
            "moderator": roles.moderators,
            "schoolleiding": roles.leadership,
        }[kind]
        if not refs:
            return kind.capitalize()
        ref = refs[0]
        return ref if isinstance(ref, str) else f"rol-{ref}"

    def _role(self, name: str) -> tuple[int, str]:
        """A role of the simulated server, created on first use (by `/als`)."""
        if name.startswith("rol-") and name[4:].isdigit():
            self.role_names[int(name[4:])] = name
            return int(name[4:]), name
        key = name.casefold()
        if key not in self._role_ids:
            self._role_ids[key] = 500 + len(self._role_ids)
            self.role_names[self._role_ids[key]] = name
        return self._role_ids[key], self.role_names[self._role_ids[key]]

    def known_role(self, name: str) -> tuple[int, str] | None:
        """A role the simulated server already has (as Discord would resolve it), or None."""
        if name.startswith("rol-") and name[4:].isdigit() and int(name[4:]) in self.role_names:
            return int(name[4:]), name
        role_id = self._role_ids.get(name.casefold())
        return None if role_id is None else (role_id, self.role_names[role_id])

    def _add_member(self, label: str, role_names: list[str]) -> ConsoleMember:
        member_id = member_id_of(label)
        cm = ConsoleMember(
            Member(member_id, label, tuple(self._role(r) for r in role_names)), username=label
        )
        self.members[label.casefold()] = cm
        return cm

    # -- carried over between runs -----------------------------------------------------------

    def saved(self) -> dict[str, Any]:
        """The simulated server as it carries over to the next run: its members with their
        roles and names, the roles' ids and the message count (ids stay unique). The database
        beside it keeps the alerts, grants and approvals about these members. Each run starts
        as the first student in the configured channel, as a script expects."""
        return {
            "version": 1,
            "roles": [[self.role_names[i], i] for i in self._role_ids.values()],
            "members": [
                {
                    "label": cm.member.label,
                    "username": cm.username,
                    "global_name": cm.global_name,
                    "nick": cm.nick,
                    "roles": [name for _, name in cm.member.roles],
                }
                for cm in self.members.values()
            ],
            "messages": self._messages,
        }

    def save(self) -> str | None:
        """Write `saved()` atomically beside the console's database when it changed since
        the last write (most lines change no member); None, or why not."""
        data = json.dumps(self.saved(), ensure_ascii=False)
        if data == self._written:
            return None
        try:
            write_atomically(self.server_file, data.encode("utf-8"))
        except OSError as exc:
            return f"{self.server_file}: {exc.strerror or exc}"
        self._written = data
        return None

    def restore(self) -> str | None:
        """The server of the last run, when one was saved; None when restored or none was
        saved, else one line why not (the four members of a new server are used then)."""
        try:
            text = self.server_file.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            return f"{self.server_file}: {getattr(exc, 'strerror', None) or exc}"
        try:
            self._restore(json.loads(text))
        except (ValueError, TypeError, KeyError, AttributeError):
            self._start()  # half restored is worse than a new server
            return f"{self.server_file}: not a saved console server"
        return None

    def _restore(self, data: dict[str, Any]) -> None:
        if data.get("version") != 1:
            raise ValueError("unknown version")
        for name, role_id in data["roles"]:
            self._role_ids[str(name).casefold()] = int(role_id)
            self.role_names[int(role_id)] = str(name)
        members: dict[str, ConsoleMember] = {}
        for entry in data["members"]:
            label = str(entry["label"])
            roles = tuple(self._role(str(r)) for r in entry["roles"])
            cm = ConsoleMember(
                Member(member_id_of(label), label, roles),
                username=str(entry["username"]),
                global_name=_text_or_none(entry["global_name"]),
                nick=_text_or_none(entry["nick"]),
            )
            members[label.casefold()] = cm
        self.members = members
        self.me = members[self.me.member.label.casefold()]  # each run starts as leerling1
        self._messages = int(data["messages"])

    def channel_named(self, name: str, category: str | None) -> ChannelInfo:
        """The channel of that name, made when new; named without a category, a channel the
        console knows keeps its own (a channel does not leave its category by being named)."""
        name = name.lstrip("#")
        channel_id = _stable_id(name, 10_000_000)
        known = self.channels.get(channel_id)
        if category is None and known is not None:
            return known
        category_id = None if not category else _stable_id(category, 50_000_000)
        info = ChannelInfo(channel_id, name, category_id, category)
        self.channels[channel_id] = info
        return info

    def now(self) -> datetime:
        return self.clock.now()

    def labels(self) -> dict[int, str]:
        """Names for the ids the console knows: channels, roles and members."""
        known = {c.id: f"#{c.name}" for c in self.channels.values()}
        known.update(self.role_names)
        known.update({cm.member.id: cm.member.label for cm in self.members.values()})
        return known


def server_file(database: Path) -> Path:
    """Where the console's simulated server is saved: beside the console's own database."""
    return database.with_name(f"{database.stem}.server.json")


def _text_or_none(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError("not a text")
    return value


def _stable_id(name: str, base: int) -> int:
    """A channel's or category's id, the same for the same name in every run (the console's
    database keeps grants and switched-off channels by id) and apart for different names, so
    #ab and #ba are two channels: base..base + 39_999_999, below the members' ids."""
    digest = hashlib.sha256(name.casefold().encode("utf-8")).digest()
    return base + int.from_bytes(digest[:4], "big") % 40_000_000


def member_id_of(label: str) -> int:
    """A console member's id, the same for the same name in every run: the console's
    database carries over (without --fresh), so an alert stays with the member it is about
    (numbered in order of joining, anna's alert became piet's in the next run)."""
    digest = hashlib.sha256(label.casefold().encode("utf-8")).digest()
    # 100_000_000..899_999_999: apart from the console's message ids (900_000_001 on)
    return 100_000_000 + int.from_bytes(digest[:4], "big") % 800_000_000
