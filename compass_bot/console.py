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
import os
import shlex
import signal
import stat
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from typing import Literal, TextIO

from compass_bot import texts
from compass_bot.alerts import RULE_TITLES, AlertStatus
from compass_bot.features.schooltime.rules import ChannelInfo, PermissionGrant, is_watched
from compass_bot.inputs import parse_number
from compass_bot.refs import describe_ref, ref_matches
from compass_bot.render import alert_as_text, clause_as_text, clause_heading
from compass_bot.service import (
    Answer,
    CompassService,
    Member,
    MessagePosted,
    NamesSeen,
    QuestionAsked,
    Refusal,
    Warning,
)

HELP = """\
Console van compass-bot. Typ een bericht, of een opdracht:
  /als leerling | docent | moderator | schoolleiding [NAAM] [, extra rol, ...]   wie je bent
  /als LID                          een bestaand lid worden (zie /leden)
  /kanaal NAAM [in CATEGORIE] | /kanaal dm                              waar je typt
  /tijd 2026-11-24 10:15 | /tijd 10:15 | /tijd +15 | /tijd nu          de klok (loopt door)
  /vraag VRAAG (of /ask)            een vraag over het protocol
  /protocol lijst | regel ID | onbeantwoord
  /nuttig ja|nee                    feedback op het laatste antwoord
  /toestemming geven leerling|rol|kanaal DOEL [MINUTEN] [REDEN] | lijst | intrekken NR
  /bijnaam NAAM | /gebruikersnaam NAAM | /weergavenaam NAAM               je namen wijzigen
  /naam goedkeuren LID | lijst | intrekken LID
  /naamcontrole                     alle leden controleren
  /meldingen open [REGEL] | export [DAGEN]
  /melding NR afgehandeld | onterecht | goedkeuren                        knoppen onder een melding
  /privacy wissen LID
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
    """One console session: a simulated server around one CompassService."""

    def __init__(self, service: CompassService, out: TextIO = sys.stdout) -> None:
        self.service = service
        self.out = out
        self.config = service.config
        self.clock = service.clock
        self.running = True
        self.guild_id = 1
        self._last_command = ""
        self._start()

    def _start(self) -> None:
        """The simulated server as it is at the start: four members, one per kind."""
        self._role_ids: dict[str, int] = {}
        self._role_names: dict[int, str] = {}
        self.channels: dict[int, ChannelInfo] = {}
        self.members: dict[str, ConsoleMember] = {}
        for kind in ROLE_KINDS:
            self._add_member(f"{kind}1", [self._kind_role(kind)])
        self.me = self.members["leerling1"]
        self.channel = self._channel(self.config.console.channel, None)
        self.last_question: tuple[str, Answer] | None = None
        self._messages = 0

    def _next_message_id(self) -> int:
        """Message ids count up from the start, so a scripted run prints the same each time."""
        self._messages += 1
        return 900_000_000 + self._messages

    # -- the simulated server ------------------------------------------------------------------

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
            self._role_names[int(name[4:])] = name
            return int(name[4:]), name
        key = name.casefold()
        if key not in self._role_ids:
            self._role_ids[key] = 500 + len(self._role_ids)
            self._role_names[self._role_ids[key]] = name
        return self._role_ids[key], self._role_names[self._role_ids[key]]

    def _known_role(self, name: str) -> tuple[int, str] | None:
        """A role the simulated server already has (as Discord would resolve it), or None."""
        if name.startswith("rol-") and name[4:].isdigit() and int(name[4:]) in self._role_names:
            return int(name[4:]), name
        role_id = self._role_ids.get(name.casefold())
        return None if role_id is None else (role_id, self._role_names[role_id])

    def _add_member(self, label: str, role_names: list[str]) -> ConsoleMember:
        member_id = 100_000 + len(self.members) + 1
        cm = ConsoleMember(
            Member(member_id, label, tuple(self._role(r) for r in role_names)), username=label
        )
        self.members[label.casefold()] = cm
        return cm

    def _channel(self, name: str, category: str | None) -> ChannelInfo:
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
        local = moment.astimezone(self.service.timetable.tz)
        return f"{texts.WEEKDAYS[local.weekday()]} {local:%Y-%m-%d %H:%M}"

    def labels(self) -> dict[int, str]:
        """Names for the ids the console knows: channels, roles and members."""
        known = {c.id: f"#{c.name}" for c in self.channels.values()}
        known.update(self._role_names)
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

    # -- the loop ------------------------------------------------------------------------------

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
        """A plain line: a message in the current channel, as a member would post it."""
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
            await self.ask(question)
            if self.channel.name == "dm":
                return
        outcome = await self.service.message_posted(
            MessagePosted(
                member=self.me.member,
                channel=self.channel,
                at=self.now(),
                content=text,
                message_id=self._next_message_id(),
                guild_id=self.guild_id,
                to_the_bot=to_the_bot,  # a question to the bot is school use: never warned
            )
        )
        if outcome.warning:
            self.show_warning(outcome.warning, self.me)
        elif outcome.verdict.reason == "to_the_bot":
            pass
        elif outcome.verdict.allowed and outcome.verdict.reason != "not_watched":
            self.say(f"(geplaatst; schooltijdregel: {outcome.verdict.message})")
        if outcome.delete_post:
            self.say(f"(bot verwijdert je bericht in #{self.channel.name})")

    def show_warning(self, warning: Warning, to: ConsoleMember) -> None:
        self.dm(to, f"{warning.intro}\n> {warning.clause.text}\n{warning.closing}")

    async def ask(self, question: str) -> None:
        answer = self.service.ask(QuestionAsked(question, self.me.member.id, self.now()))
        self.last_question = (question, answer)
        await self.service.remember_question(answer, question, self.now())
        self.bot(self.render_answer(answer))

    def render_answer(self, answer: Answer) -> str:
        lang = texts.lang_of(answer.language)
        if answer.status == "answer" and answer.clause:
            text = clause_as_text(answer.clause, lang)
            if answer.truncated:
                text = texts.TRUNCATED_NOTE[lang] + "\n" + text
            return text + "\n" + texts.FEEDBACK_PROMPT[lang]
        if answer.status == "doubtful":
            options = "\n".join(f"  [{c.id}] {clause_heading(c, lang)}" for c in answer.suggestions)
            return f"{answer.message}\n{options}\n{texts.CHOOSE_RULE[lang]}"
        return answer.message

    # -- slash commands ------------------------------------------------------------------------

    async def command(self, line: str) -> None:
        try:
            parts = shlex.split(line)
        except ValueError:
            parts = line.split()
        if not parts:
            return
        name, args = parts[0].lower(), parts[1:]
        self._last_command = name
        handler = self._commands().get(name)
        if handler is None:
            self.say(f"Onbekende opdracht /{name}. Typ /help.")
            return
        await handler(args, line[len(parts[0]) :].strip())

    def _commands(self) -> dict[str, Callable[[list[str], str], Awaitable[None]]]:
        return {
            "help": self.cmd_help,
            "hulp": self.cmd_help,
            "stop": self.cmd_stop,
            "quit": self.cmd_stop,
            "als": self.cmd_als,
            "wie": self.cmd_wie,
            "kanaal": self.cmd_kanaal,
            "tijd": self.cmd_tijd,
            "vraag": self.cmd_vraag,
            "ask": self.cmd_vraag,
            "protocol": self.cmd_protocol,
            "nuttig": self.cmd_nuttig,
            "toestemming": self.cmd_toestemming,
            "bijnaam": self.cmd_rename,
            "gebruikersnaam": self.cmd_rename,
            "weergavenaam": self.cmd_rename,
            "naam": self.cmd_naam,
            "naamcontrole": self.cmd_naamcontrole,
            "meldingen": self.cmd_meldingen,
            "melding": self.cmd_melding,
            "privacy": self.cmd_privacy,
            "leden": self.cmd_leden,
            "reset": self.cmd_reset,
        }

    async def cmd_help(self, args: list[str], rest: str) -> None:
        self.say(HELP)

    async def cmd_stop(self, args: list[str], rest: str) -> None:
        self.running = False

    async def cmd_wie(self, args: list[str], rest: str) -> None:
        self.say(self.status())

    async def cmd_leden(self, args: list[str], rest: str) -> None:
        for cm in self.members.values():
            roles = ", ".join(n for _, n in cm.member.roles) or "geen rollen"
            names = [f"gebruikersnaam {cm.username}"]
            names += [f"weergavenaam {cm.global_name}"] if cm.global_name else []
            names += [f"bijnaam {cm.nick}"] if cm.nick else []
            self.say(f"  {cm.member.label}: {roles}; {', '.join(names)}")

    async def cmd_reset(self, args: list[str], rest: str) -> None:
        """Start again from a clean state: empty database, the four members, the real clock."""
        refused = await self.service.reset_console_state()
        if refused is not None:
            self.say(refused.message)
            return
        self.clock.reset()
        self._start()
        self.say("Opnieuw begonnen: alle meldingen, toestemmingen en namen zijn vergeten.")
        self.say(self.status())

    async def cmd_als(self, args: list[str], rest: str) -> None:
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

    async def cmd_kanaal(self, args: list[str], rest: str) -> None:
        if not args:
            self.say("Gebruik: /kanaal NAAM [in CATEGORIE] of /kanaal dm")
            return
        category = None
        if len(args) >= 3 and args[1].lower() == "in":
            category = " ".join(args[2:])
        self.channel = self._channel(args[0], category)
        watched = is_watched(self.channel, self.config.school_time)
        kind = (
            "DM met de bot"
            if self.channel.name == "dm"
            else ("sociaal kanaal (schooltijdregel geldt)" if watched else "les- of schoolkanaal")
        )
        self.say(f"Je bent nu in #{self.channel.name}: {kind}.")

    async def cmd_tijd(self, args: list[str], rest: str) -> None:
        """Move the simulated clock; it keeps running from there (UTC arithmetic, DST-safe)."""
        tz = self.service.timetable.tz
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

    async def cmd_vraag(self, args: list[str], rest: str) -> None:
        await self.ask(rest)

    async def cmd_protocol(self, args: list[str], rest: str) -> None:
        sub = args[0].lower() if args else "lijst"
        if sub in ("lijst", "list"):
            for clause in self.service.book:
                self.say(f"  {clause.id:<15} {clause_heading(clause)}")
        elif sub in ("regel", "rule") and len(args) > 1:
            found = self.service.book.get(args[1]) or next(
                iter(self.service.book.search_titles(" ".join(args[1:]), 1)), None
            )
            if found is None:
                self.say(f"Geen regel {args[1]!r}. Zie /protocol lijst.")
            else:
                self.bot(clause_as_text(found))
        elif sub in ("onbeantwoord", "unanswered"):
            result = await self.service.unanswered(self.me.member)
            if isinstance(result, Refusal):
                self.bot(result.message)
            elif not result:
                self.bot("Er zijn geen onbeantwoorde of niet-nuttige vragen.")
            else:
                for q in result:
                    answered = f" → {q.clause_id}" if q.clause_id else ""
                    kind = texts.QUESTION_KINDS.get(q.kind, q.kind)
                    self.say(f"  ({kind}) {q.question}{answered}")
        else:
            self.say("Gebruik: /protocol lijst | regel ID | onbeantwoord")

    async def cmd_nuttig(self, args: list[str], rest: str) -> None:
        vote = args[0].casefold() if len(args) == 1 else ""
        if vote not in ("ja", "nee", "yes", "no"):
            self.say("Gebruik: /nuttig ja of /nuttig nee")
            return
        if not self.last_question or self.last_question[1].status != "answer":
            self.say("Er is geen antwoord om te beoordelen.")
            return
        question, answer = self.last_question
        helpful = vote in ("ja", "yes")
        clause_id = answer.clause.id if answer.clause else None
        await self.service.feedback(question, clause_id, helpful, self.now())
        self.bot(texts.FEEDBACK_THANKS[texts.lang_of(answer.language)])

    def _member(self, label: str) -> ConsoleMember | None:
        found = self.members.get(label.lstrip("@").casefold())
        if found is None:
            self.say(f"Onbekend lid {label!r}. Zie /leden.")
        return found

    async def cmd_toestemming(self, args: list[str], rest: str) -> None:
        sub = args[0].lower() if args else ""
        if sub == "geven" and len(args) >= 3:
            scope_word, target = args[1].lower(), args[2]
            minutes = args[3] if len(args) > 3 else None  # checked by the service
            reason = " ".join(args[4:]) or None
            scope: Literal["member", "role", "channel"]
            if scope_word in ("leerling", "lid", "student"):
                cm = self._member(target)
                if cm is None:
                    return
                scope, target_id, label = "member", cm.member.id, cm.member.label
            elif scope_word in ("rol", "klas", "role"):
                role = self._known_role(target)
                if role is None:
                    known = ", ".join(sorted(set(self._role_names.values()), key=str.casefold))
                    self.say(
                        f"Onbekende rol {target!r}. Rollen in deze server: {known} "
                        "(een nieuwe rol: /als leerling, ROL)."
                    )
                    return
                scope, (target_id, label) = "role", role
            elif scope_word in ("kanaal", "channel"):
                channel = self._channel(target, None)
                scope, target_id, label = "channel", channel.id, f"#{channel.name}"
            else:
                self.say("Gebruik: /toestemming geven leerling|rol|kanaal DOEL [MINUTEN] [REDEN]")
                return
            result = await self.service.grant_permission(
                self.me.member,
                scope,
                target_id,
                label,
                self.now(),
                minutes,
                reason,
            )
            if isinstance(result, Refusal):
                self.bot(result.message)
            else:
                self.bot(f"Toestemming #{result.id} voor {label} tot {self.local(result.ends_at)}.")
        elif sub == "lijst":
            listed = self.service.list_permissions(self.me.member, self.now())
            if isinstance(listed, Refusal):
                self.bot(listed.message)
            elif not listed:
                self.bot("Er is nu geen actieve toestemming.")
            else:
                self.bot("\n".join(self._grant_line(g) for g in listed))
        elif sub == "intrekken" and (number := parse_number(args[1] if len(args) >= 2 else None)):
            revoked = await self.service.revoke_permission(self.me.member, number, self.now())
            self.bot(
                revoked.message
                if isinstance(revoked, Refusal)
                else f"Toestemming #{revoked.id} ingetrokken."
            )
        else:
            self.say("Gebruik: /toestemming geven ... | lijst | intrekken NR")

    def _grant_line(self, g: PermissionGrant) -> str:
        target = self.labels().get(g.target_id, str(g.target_id))
        return (
            f"#{g.id} {texts.SCOPE_LABELS.get(g.scope, g.scope)} {target}: "
            f"{self.local(g.starts_at)} tot {self.local(g.ends_at)}"
            + (f" ({g.reason})" if g.reason else "")
        )

    async def cmd_rename(self, args: list[str], rest: str) -> None:
        line_cmd = {"bijnaam": "nick", "gebruikersnaam": "username", "weergavenaam": "global_name"}
        # which of the three names: the command word itself was consumed; recover it
        field = next((v for k, v in line_cmd.items() if self._last_command == k), "nick")
        value = rest or None
        if field == "username" and not value:
            self.say("Een gebruikersnaam mag niet leeg zijn.")
            return
        setattr(self.me, field, value)
        await self.names_changed(self.me)

    async def names_changed(self, cm: ConsoleMember) -> None:
        outcome = await self.service.names_seen(
            NamesSeen(cm.member, self.now(), cm.username, cm.global_name, cm.nick, self.guild_id)
        )
        if outcome.warning:
            self.show_warning(outcome.warning, cm)
        if outcome.reset_nickname:
            cm.nick = None
            self.say(f"(bot zet de bijnaam van {cm.member.label} terug)")
        if not outcome.flagged and not outcome.uncertain:
            self.say(f"(namen van {cm.member.label} zijn in orde)")

    async def cmd_naam(self, args: list[str], rest: str) -> None:
        sub = args[0].lower() if args else ""
        if sub == "goedkeuren" and len(args) >= 2:
            cm = self._member(args[1])
            if cm is None:
                return
            names = [n for n in (cm.username, cm.global_name, cm.nick) if n]
            result = await self.service.approve_names(
                self.me.member, cm.member.id, names, self.now()
            )
            self.bot(
                result.message
                if isinstance(result, Refusal)
                else f"Goedgekeurd voor {cm.member.label}: "
                + ", ".join(f"'{a.name}'" for a in result)
            )
        elif sub == "lijst":
            listed = await self.service.approved_names(self.me.member)
            if isinstance(listed, Refusal):
                self.bot(listed.message)
            else:
                labels = self.labels()
                self.bot(
                    "\n".join(
                        f"{labels.get(a.member_id, f'lid {a.member_id}')}: '{a.name}'"
                        for a in listed
                    )
                    or "Geen goedgekeurde namen."
                )
        elif sub == "intrekken" and len(args) >= 2:
            cm = self._member(args[1])
            if cm is None:
                return
            count = await self.service.revoke_names(self.me.member, cm.member.id, self.now())
            self.bot(
                count.message
                if isinstance(count, Refusal)
                else f"{count} goedkeuring(en) ingetrokken."
            )
        else:
            self.say("Gebruik: /naam goedkeuren LID | lijst | intrekken LID")

    async def cmd_naamcontrole(self, args: list[str], rest: str) -> None:
        refused = self.service.may_check_names(self.me.member)
        if refused is not None:
            self.bot(refused.message)
            return
        hits = 0
        for cm in list(self.members.values()):
            flagged, uncertain = self.service.check_names(
                NamesSeen(cm.member, self.now(), cm.username, cm.global_name, cm.nick)
            )
            if flagged or uncertain:
                hits += 1
                await self.names_changed(cm)
        self.bot(
            f"Naamcontrole klaar: {len(self.members)} leden, {hits} met een naam om te bekijken."
        )

    async def cmd_meldingen(self, args: list[str], rest: str) -> None:
        usage = f"Gebruik: /meldingen open [{' | '.join(RULE_TITLES)}] | export [DAGEN]"
        sub = args[0].lower() if args else "open"
        if sub == "open":
            rule = args[1].lower() if len(args) > 1 else None
            if len(args) > 2 or (rule is not None and rule not in RULE_TITLES):
                self.say(f"Onbekende regel {' '.join(args[1:])!r}. {usage}")
                return
            result = await self.service.open_alerts(self.me.member, rule)
            if isinstance(result, Refusal):
                self.bot(result.message)
                return
            alerts, total = result
            self.bot(f"{total} open melding(en)" + (":" if alerts else "."))
            for alert in alerts:
                self.say(alert_as_text(alert, self.service.timetable.tz, self.labels()))
        elif sub == "export":
            if len(args) > 2 or (
                len(args) == 2 and not (args[1].isascii() and args[1].isdecimal())
            ):
                self.say(f"{' '.join(args[1:])!r} is geen aantal dagen. {usage}")
                return
            days = int(args[1]) if len(args) > 1 else 30
            if not 1 <= days <= 3660:
                self.say(f"Het aantal dagen moet tussen 1 en 3660 liggen. {usage}")
                return
            csv_text = await self.service.export_alerts(
                self.me.member, self.now() - timedelta(days=days), self.now() + timedelta(seconds=1)
            )
            self.say(csv_text.message if isinstance(csv_text, Refusal) else csv_text)
        else:
            self.say(usage)

    async def cmd_melding(self, args: list[str], rest: str) -> None:
        if len(args) < 2 or not args[0].lstrip("#").isdigit():
            self.say("Gebruik: /melding NR afgehandeld | onterecht | goedkeuren")
            return
        alert_id, action = int(args[0].lstrip("#")), args[1].lower()
        if action == "goedkeuren":
            alert = await self.service.store.alert(alert_id)
            target = next(
                (c for c in self.members.values() if alert and c.member.id == alert.member_id), None
            )
            names = (
                [n for n in (target.username, target.global_name, target.nick) if n]
                if target
                else []
            )
            result = await self.service.approve_from_alert(
                self.me.member, alert_id, names, self.now()
            )
        elif action in ("afgehandeld", "onterecht"):
            status: AlertStatus = "resolved" if action == "afgehandeld" else "false_positive"
            result = await self.service.set_alert_status(
                self.me.member, alert_id, status, self.now()
            )
        else:
            self.say("Gebruik: /melding NR afgehandeld | onterecht | goedkeuren")
            return
        if isinstance(result, Refusal):
            self.bot(result.message)

    async def cmd_privacy(self, args: list[str], rest: str) -> None:
        if len(args) < 2 or args[0].lower() != "wissen":
            self.say("Gebruik: /privacy wissen LID")
            return
        cm = self._member(args[1])
        if cm is None:
            return
        result = await self.service.erase_member(self.me.member, cm.member.id, self.now())
        self.bot(
            result.message
            if isinstance(result, Refusal)
            else f"Alles over {cm.member.label} gewist: "
            + ", ".join(f"{v} {texts.ERASED_LABELS.get(k, k)}" for k, v in result.items())
        )

    # -- the moderators' channel ---------------------------------------------------------------

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
        for alert in await self.service.store.pending_alerts(datetime.max.replace(tzinfo=UTC)):
            verb = "nieuw" if alert.delivered_message_id is None else "bijgewerkt"
            self.say(
                f"[{label} · {verb}] "
                + alert_as_text(alert, self.service.timetable.tz, self.labels())
            )
            await self.service.store.mark_delivered(
                alert.id, alert.delivered_message_id or alert.id, alert.version
            )


async def run_console(service: CompassService, stdin: TextIO = sys.stdin) -> None:
    console = Console(service)
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
