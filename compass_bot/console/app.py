"""The offline console front end: the whole bot in a terminal, no Discord needed.

Like Hubot's shell adapter or Errbot's text backend: you type as a member of the school
server. Plain lines are messages in the current channel; lines starting with `/` set who
you are, where you are and what time it is, or run the bot's slash commands. Moderator
alerts print as they would reach the moderators' channel, through the same outbox the
Discord front end uses. It reads stdin line by line, so it can be driven through a pipe;
stdin is watched by the event loop (no blocking thread), so Ctrl-C ends it at once.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import shlex
import signal
import stat
import sys
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from typing import TextIO

from compass_bot import texts
from compass_bot.app import App
from compass_bot.features.alerts.render import alert_as_text
from compass_bot.features.base import CommandSpec, ConsoleHooks
from compass_bot.features.schooltime.rules import ChannelInfo, is_watched
from compass_bot.model import Member, MessagePosted, Warning
from compass_bot.refs import describe_ref, ref_matches
from compass_bot.registry import FEATURES

HELP_START = """\
Console van compass-bot. Typ een bericht, of een opdracht:
  /als leerling | docent | moderator | schoolleiding [NAAM] [, extra rol, ...]   wie je bent
  /als LID                          een bestaand lid worden (zie /leden)
  /kanaal NAAM [in CATEGORIE] | /kanaal dm                              waar je typt
  /tijd 2026-11-24 10:15 | /tijd 10:15 | /tijd +15 | /tijd nu          de klok (loopt door)"""
HELP_END = """\
  /reset                            opnieuw beginnen: alles van deze console vergeten
  /leden, /wie, /help, /stop (of Ctrl-C)
"""

ROLE_KINDS = ("leerling", "docent", "moderator", "schoolleiding")


def _settle(ready: asyncio.Future[None]) -> None:
    if not ready.done():
        ready.set_result(None)


class _StdinLines:
    """Lines from stdin, read when the event loop sees them ready: no thread blocks on a read,
    so Ctrl-C (and the loop's end) never waits for Enter. Files and StringIO, which never
    block, are read directly."""

    def __init__(self, stdin: TextIO) -> None:
        self._stdin = stdin
        self._buffer = b""
        self._eof = False
        self._fd: int | None = None
        try:
            fd = stdin.fileno()
            mode = os.fstat(fd).st_mode
        except (AttributeError, OSError, ValueError):
            return
        if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISSOCK(mode):
            self._fd = fd

    async def _readable(self, fd: int) -> bool:
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[None] = loop.create_future()
        try:
            loop.add_reader(fd, _settle, ready)
        except OSError:  # not pollable after all (e.g. /dev/null): read it directly
            return False
        try:
            await ready
        finally:
            loop.remove_reader(fd)
        return True

    async def readline(self) -> str:
        fd = self._fd
        if fd is None:
            return self._stdin.readline()
        while b"\n" not in self._buffer and not self._eof:
            if not await self._readable(fd):
                self._fd = None
                rest = self._buffer.decode("utf-8", "replace")
                self._buffer = b""
                return rest + self._stdin.readline()
            chunk = os.read(fd, 65536)
            self._eof = not chunk
            self._buffer += chunk
        line, sep, after = self._buffer.partition(b"\n")
        self._buffer = after
        return (line + sep).decode("utf-8", "replace")


@dataclass
class ConsoleMember:
    member: Member
    username: str
    global_name: str | None = None
    nick: str | None = None


class Console:
    """One console session: a simulated server around one App (every feature's service).

    The console's own commands set who you are, where and when; every feature adds its
    commands, what it does with a post, and the actions on its alerts (`ConsoleHooks`)."""

    def __init__(self, app: App, out: TextIO = sys.stdout) -> None:
        self.app = app
        self.out = out
        self.config = app.config
        self.clock = app.clock
        self.running = True
        self.guild_id = 1
        self.hooks: tuple[ConsoleHooks, ...] = tuple(
            importlib.import_module(f.console).hooks() for f in FEATURES if f.console
        )
        self._commands = self._command_table()
        self._start()

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
        member_id = 100_000 + len(self.members) + 1
        cm = ConsoleMember(
            Member(member_id, label, tuple(self._role(r) for r in role_names)), username=label
        )
        self.members[label.casefold()] = cm
        return cm

    def channel_named(self, name: str, category: str | None) -> ChannelInfo:
        name = name.lstrip("#")
        channel_id = 700_000 + sum(ord(c) for c in name.casefold()) * 7 % 99_991
        category_id = None
        if category:
            category_id = 800_000 + sum(ord(c) for c in category.casefold()) % 99_991
        info = ChannelInfo(channel_id, name, category_id, category)
        self.channels[channel_id] = info
        return info

    def now(self) -> datetime:
        return self.clock.now()

    def local(self, moment: datetime) -> str:
        local = moment.astimezone(self.app.calendar.timetable.tz)
        return f"{texts.WEEKDAYS[local.weekday()]} {local:%Y-%m-%d %H:%M}"

    def labels(self) -> dict[int, str]:
        """Names for the ids the console knows: channels, roles and members."""
        known = {c.id: f"#{c.name}" for c in self.channels.values()}
        known.update(self.role_names)
        known.update({cm.member.id: cm.member.label for cm in self.members.values()})
        return known

    def say(self, text: str) -> None:
        self.out.write(text.rstrip("\n") + "\n")
        self.out.flush()

    def bot(self, text: str, where: str | None = None) -> None:
        place = where or ("DM" if self.channel.name == "dm" else f"#{self.channel.name}")
        prefix = f"[bot → {self.me.member.label} · {place}]"
        self.say(f"{prefix} " + text.replace("\n", "\n" + " " * 4))

    def dm(self, to: ConsoleMember, text: str) -> None:
        """A DM from the bot; to someone else (a name check) it says whose DM it is."""
        if to is self.me:
            self.bot(text, where="DM")
        else:
            self.say(f"[bot · DM aan {to.member.label}] " + text.replace("\n", "\n" + " " * 4))

    async def run(self, stdin: TextIO = sys.stdin) -> None:
        """Read and handle lines until /stop, the end of stdin or Ctrl-C (then say goodbye).

        A script sees no wall-clock time unless it asks (`/wie`), so a scripted run that
        sets `/tijd` first prints the same every time.
        """
        interactive = stdin.isatty()
        loop = asyncio.get_running_loop()
        interrupted = asyncio.Event()
        try:
            loop.add_signal_handler(signal.SIGINT, interrupted.set)
            handles_sigint = True
        except (NotImplementedError, RuntimeError, ValueError):  # not the main thread
            handles_sigint = False
        self.say(
            "compass-bot console (offline). Typ /help voor de opdrachten, /stop of Ctrl-C om "
            "te stoppen."
        )
        if interactive:
            self.say(self.status())
        reader = _StdinLines(stdin)
        try:
            while self.running and not interrupted.is_set():
                if interactive:
                    self.out.write(f"{self.me.member.label}@#{self.channel.name}> ")
                    self.out.flush()
                read = asyncio.ensure_future(reader.readline())
                stop = asyncio.ensure_future(interrupted.wait())
                await asyncio.wait({read, stop}, return_when=asyncio.FIRST_COMPLETED)
                for pending in (read, stop):
                    pending.cancel()
                await asyncio.gather(read, stop, return_exceptions=True)
                if interrupted.is_set():
                    if interactive:
                        self.out.write("\n")
                    break
                line = read.result()
                if not line:
                    break
                await self.handle_line(line.rstrip("\r\n"))
        finally:
            if handles_sigint:
                loop.remove_signal_handler(signal.SIGINT)
        self.say("Tot ziens.")

    def status(self) -> str:
        roles = ", ".join(name for _, name in self.me.member.roles) or "geen rollen"
        clock = self.local(self.now()) + (" (gesimuleerd)" if self.clock.moved else "")
        return f"Je bent {self.me.member.label} ({roles}) in #{self.channel.name}; het is {clock}."

    async def handle_line(self, line: str) -> None:
        line = line.strip()
        if not line:
            return
        try:
            if line.startswith("/"):
                await self.command(line[1:])
            else:
                await self.message(line)
            await self.deliver_alerts()
        except BrokenPipeError:
            raise  # the reader went away (e.g. `| head`): stop, don't try to report it
        except Exception as exc:  # the console must survive any one bad line
            self.say(f"(fout: {exc.__class__.__name__}: {exc})")

    async def message(self, text: str) -> None:
        """A plain line: a message in the current channel, as a member would post it.

        Addressed to the bot (a DM, a mention, the questions channel) it is a question for
        the features that answer; as a post (not in a DM) every feature judges it in turn."""
        mention = text.lower().startswith(("@compass-bot", "@bot", "@compass bot"))
        questions = self.config.channels.questions
        in_questions = questions is not None and ref_matches(
            questions, self.channel.id, self.channel.name
        )
        to_the_bot = self.channel.name == "dm" or mention or in_questions
        if to_the_bot:
            question = (
                text.split(" ", 1)[1] if mention and " " in text else ("" if mention else text)
            )
            for hooks in self.hooks:
                if hooks.on_question is not None:
                    await hooks.on_question(self, question)
            if self.channel.name == "dm":
                return
        event = MessagePosted(
            member=self.me.member,
            channel=self.channel,
            at=self.now(),
            content=text,
            message_id=self._next_message_id(),
            guild_id=self.guild_id,
            to_the_bot=to_the_bot,  # a question to the bot is school use: never warned
        )
        for hooks in self.hooks:
            if hooks.on_post is not None:
                await hooks.on_post(self, event)

    def show_warning(self, warning: Warning, to: ConsoleMember) -> None:
        self.dm(to, f"{warning.intro}\n> {warning.clause.text}\n{warning.closing}")

    def _command_table(self) -> dict[str, tuple[CommandSpec, bool]]:
        """Every command name (the console's own and the features'), unique."""
        own = (
            CommandSpec(("help", "hulp"), "", Console.cmd_help),
            CommandSpec(("stop", "quit"), "", Console.cmd_stop),
            CommandSpec(("als",), "", Console.cmd_als),
            CommandSpec(("wie",), "", Console.cmd_wie),
            CommandSpec(("kanaal",), "", Console.cmd_kanaal),
            CommandSpec(("tijd",), "", Console.cmd_tijd),
            CommandSpec(("leden",), "", Console.cmd_leden),
            CommandSpec(("reset",), "", Console.cmd_reset),
        )
        table: dict[str, tuple[CommandSpec, bool]] = {}
        for spec in own + tuple(c for h in self.hooks for c in h.commands):
            for name in spec.names:
                if name in table:
                    raise ValueError(f"console command /{name} is declared twice")
                table[name] = (spec, spec in own)
        return table

    def help_text(self) -> str:
        """The console's own lines, then each feature's usage lines, in registry order."""
        lines = [HELP_START]
        lines += [spec.usage for h in self.hooks for spec in h.commands if spec.usage]
        return "\n".join(lines) + "\n" + HELP_END

    async def command(self, line: str) -> None:
        try:
            parts = shlex.split(line)
        except ValueError:
            parts = line.split()
        if not parts:
            return
        name, args = parts[0].lower(), parts[1:]
        found = self._commands.get(name)
        if found is None:
            self.say(f"Onbekende opdracht /{name}. Typ /help.")
            return
        spec, _ = found
        await spec.handler(self, name, args, line[len(parts[0]) :].strip())

    async def cmd_help(self, name: str, args: list[str], rest: str) -> None:
        self.say(self.help_text())

    async def cmd_stop(self, name: str, args: list[str], rest: str) -> None:
        self.running = False

    async def cmd_wie(self, name: str, args: list[str], rest: str) -> None:
        self.say(self.status())

    async def cmd_leden(self, name: str, args: list[str], rest: str) -> None:
        for cm in self.members.values():
            roles = ", ".join(n for _, n in cm.member.roles) or "geen rollen"
            names = [f"gebruikersnaam {cm.username}"]
            names += [f"weergavenaam {cm.global_name}"] if cm.global_name else []
            names += [f"bijnaam {cm.nick}"] if cm.nick else []
            self.say(f"  {cm.member.label}: {roles}; {', '.join(names)}")

    async def cmd_reset(self, name: str, args: list[str], rest: str) -> None:
        """Start again from a clean state: empty database, the four members, the real clock."""
        refused = await self.app.reset_console_state()
        if refused is not None:
            self.say(refused.message)
            return
        self.clock.reset()
        self._start()
        self.say("Opnieuw begonnen: alle meldingen, toestemmingen en namen zijn vergeten.")
        self.say(self.status())

    async def cmd_als(self, name: str, args: list[str], rest: str) -> None:
        usage = (
            "Gebruik: /als leerling | docent | moderator | schoolleiding [NAAM] [, extra rol] "
            "of /als LID (zie /leden)"
        )
        parts = [p.strip() for p in rest.split(",") if p.strip()]
        if not parts:
            self.say(usage)
            return
        first, *extra = parts
        kind, _, name = first.partition(" ")
        key, name = kind.casefold(), name.strip()
        if first.casefold() in self.members:
            cm = self.members[first.casefold()]
            if extra:
                cm.member = replace(
                    cm.member, roles=cm.member.roles + tuple(self._role(r) for r in extra)
                )
        elif key in ROLE_KINDS:
            roles = [self._kind_role(key), *extra]
            label = name or (
                f"{key}1" if not extra else f"{key}-{'-'.join(extra)}".replace(" ", "")
            )
            cm = self.members.get(label.casefold()) or self._add_member(label, roles)
        else:
            self.say(
                f"Onbekende soort {first!r}: kies uit {', '.join(ROLE_KINDS)}, of een lid uit "
                "/leden. " + usage
            )
            return
        self.me = cm
        self.say(self.status())

    async def cmd_kanaal(self, name: str, args: list[str], rest: str) -> None:
        if not args:
            self.say("Gebruik: /kanaal NAAM [in CATEGORIE] of /kanaal dm")
            return
        category = None
        if len(args) >= 3 and args[1].lower() == "in":
            category = " ".join(args[2:])
        self.channel = self.channel_named(args[0], category)
        watched = is_watched(self.channel, self.config.school_time)
        kind = (
            "DM met de bot"
            if self.channel.name == "dm"
            else ("sociaal kanaal (schooltijdregel geldt)" if watched else "les- of schoolkanaal")
        )
        self.say(f"Je bent nu in #{self.channel.name}: {kind}.")

    async def cmd_tijd(self, name: str, args: list[str], rest: str) -> None:
        """Move the simulated clock; it keeps running from there (UTC arithmetic, DST-safe)."""
        tz = self.app.calendar.timetable.tz
        if not args or args[0] == "nu":
            self.clock.reset()
        elif args[0][:1] in "+-" and args[0][1:].isdecimal() and args[0][1:].isascii():
            self.clock.advance(timedelta(minutes=int(args[0])))
        else:
            moment = _parse_console_moment(" ".join(args), self.now().astimezone(tz))
            if moment is None:
                self.say("Gebruik: /tijd 2026-11-24 10:15, /tijd 10:15, /tijd +15 of /tijd nu")
                return
            self.clock.set(moment)
        self.say(
            f"Het is nu {self.local(self.now())}" + (" (gesimuleerd)." if self.clock.moved else ".")
        )

    def member(self, label: str) -> ConsoleMember | None:
        found = self.members.get(label.lstrip("@").casefold())
        if found is None:
            self.say(f"Onbekend lid {label!r}. Zie /leden.")
        return found

    async def deliver_alerts(self) -> None:
        """Print pending alerts as the moderators' channel would show them, then mark sent."""
        channel = self.config.channels.moderators
        label = (
            f"#{channel}"
            if isinstance(channel, str)
            else f"#{describe_ref(channel)}"
            if channel
            else "#moderators"
        )
        for alert in await self.app.alerts.repo.pending_alerts(datetime.max.replace(tzinfo=UTC)):
            verb = "nieuw" if alert.delivered_message_id is None else "bijgewerkt"
            self.say(
                f"[{label} · {verb}] "
                + alert_as_text(alert, self.app.calendar.timetable.tz, self.labels())
            )
            await self.app.alerts.repo.mark_delivered(
                alert.id, alert.delivered_message_id or alert.id, alert.version
            )


async def run_console(app: App, stdin: TextIO = sys.stdin) -> None:
    console = Console(app)
    await console.run(stdin)


def _parse_console_moment(text: str, local_now: datetime) -> datetime | None:
    """`2026-11-24 10:15` or `10:15` (today, school-local), as an aware moment; None if neither."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            clock_time = time.fromisoformat(text)
        except ValueError:
            return None
        moment = datetime.combine(local_now.date(), clock_time)
    except OverflowError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=local_now.tzinfo)
    return moment
