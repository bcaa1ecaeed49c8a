"""The console's commands: one table of its own and the features' commands, the help text, and
its own: /help, /stop, /als (who you are), /wie, /leden, /kanaal, /tijd (the clock), /reset."""

from __future__ import annotations

import calendar
import importlib
import re
import sys
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from difflib import get_close_matches
from typing import TextIO

from compass_bot.app import App
from compass_bot.console.output import ConsoleOutput
from compass_bot.console.server import NAME_CHARS, NAME_TOO_LONG, ROLE_KINDS, ConsoleMember
from compass_bot.features.base import CommandSpec, ConsoleHooks
from compass_bot.features.schooltime.rules import is_watched
from compass_bot.inputs import MAX_YEAR, MIN_YEAR, InputError, check_moment
from compass_bot.refs import NAME_LIMIT
from compass_bot.registry import FEATURES
from compass_bot.texts import quoted

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

ALERT_ACTIONS_SLOT = "{alert_actions}"  # in a usage line: the alert actions, " | " between

UNKNOWN_MEMBER = {  # {label}: as typed, quoted (compass_bot.texts.quoted)
    "nl": "Onbekend lid {label}. Zie /leden. / Unknown member {label}. See /leden.",
    "en": "Unknown member {label}. See /leden.",  # an English command (/report): English only
}


class ConsoleCommands(ConsoleOutput):
    """The simulated server with the commands typed at it (lines starting with `/`)."""

    def __init__(self, app: App, out: TextIO = sys.stdout) -> None:
        super().__init__(app, out)
        self.running = True
        self._save_failed = False
        self.hooks: tuple[ConsoleHooks, ...] = tuple(
            importlib.import_module(f.console).hooks() for f in FEATURES if f.console
        )
        self._commands = self._command_table()

    def _command_table(self) -> dict[str, tuple[CommandSpec, bool]]:
        """Every command name (the console's own and the features'), unique."""
        own = (
            CommandSpec(("help", "hulp"), "", ConsoleCommands.cmd_help),
            CommandSpec(("stop", "quit"), "", ConsoleCommands.cmd_stop),
            CommandSpec(("als",), "", ConsoleCommands.cmd_als),
            CommandSpec(("wie",), "", ConsoleCommands.cmd_wie),
            CommandSpec(("kanaal",), "", ConsoleCommands.cmd_kanaal),
            CommandSpec(("tijd",), "", ConsoleCommands.cmd_tijd),
            CommandSpec(("leden",), "", ConsoleCommands.cmd_leden),
            CommandSpec(("reset",), "", ConsoleCommands.cmd_reset),
        )
        table: dict[str, tuple[CommandSpec, bool]] = {}
        for spec in own + tuple(c for h in self.hooks for c in h.commands):
            for name in spec.names:
                if name in table:
                    raise ValueError(f"console command /{name} is declared twice")
                table[name] = (spec, spec in own)
        return table

    def alert_action_words(self) -> list[str]:
        """The words of the features' actions under an alert (`/melding NR WORD`)."""
        return [word for h in self.hooks for word in h.alert_actions]

    def help_text(self) -> str:
        """The console's own lines, then each feature's usage lines, in registry order; the
        features' alert actions fill ALERT_ACTIONS_SLOT, so /help names every one there is."""
        actions = " | ".join(self.alert_action_words())
        lines = [HELP_START]
        lines += [
            spec.usage.replace(ALERT_ACTIONS_SLOT, actions)
            for h in self.hooks
            for spec in h.commands
            if spec.usage
        ]
        return "\n".join(lines) + "\n" + HELP_END

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
        if len(name) > NAME_CHARS:
            self.say(NAME_TOO_LONG)
            return
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
            known = self.members.get(label.casefold())
            if known is None:  # a new member joins the server: checked as Discord's join is
                cm = self._add_member(label, roles)
                await self.joined(cm)
            else:
                cm = known
                wanted = self._kind_role(key)
                if all(role.casefold() != wanted.casefold() for _, role in cm.member.roles):
                    # an existing member keeps their roles: saying so, not a silent swap
                    self.say(
                        f"{cm.member.label} bestaat al, zonder de rol {wanted}: je bent nu"
                        f" dat lid met de eigen rollen (een andere naam: /als {key} NAAM)."
                    )
        else:
            close = get_close_matches(key, ROLE_KINDS, n=1, cutoff=0.75)
            typed = ", ".join((f"{close[0]} {name}".strip(), *extra)) if close else ""
            meant = f" Bedoelde je /als {typed}?" if close else ""
            self.say(
                f"Onbekende soort {first!r}.{meant} Kies uit {', '.join(ROLE_KINDS)}, of een "
                "lid uit /leden. " + usage
            )
            return
        self.me = cm
        self.say(self.status())

    async def joined(self, cm: ConsoleMember) -> None:
        """A member new to the server: what the features do on a join (`Console`)."""

    async def cmd_kanaal(self, name: str, args: list[str], rest: str) -> None:
        if (
            not args
            or not args[0].lstrip("#")
            or args[0].lower() == "in"
            or (len(args) >= 2 and args[1].lower() != "in")
        ):
            # "/kanaal in Sociaal" names no channel; "/kanaal a b" is no name and category
            self.say("Gebruik: /kanaal NAAM [in CATEGORIE] of /kanaal dm")
            return
        category = None
        if len(args) >= 3 and args[1].lower() == "in":
            category = " ".join(args[2:])
        if max(len(args[0]), len(category or "")) > NAME_LIMIT:
            self.say(
                f"Een kanaalnaam mag op Discord hoogstens {NAME_LIMIT} tekens hebben. / "
                f"A channel name on Discord has at most {NAME_LIMIT} characters."
            )
            return
        if any(unicodedata.category(ch) == "Cc" for ch in args[0] + (category or "")):
            self.say(  # Discord has no such channel: it would only be "#⟨U+0000⟩" here
                "Een kanaalnaam mag geen besturingstekens bevatten. / "
                "A channel name cannot contain control characters."
            )
            return
        new = args[0].lstrip("#").casefold() not in self.known_channels()
        self.channel = self.channel_named(args[0], category)
        watched = is_watched(self.channel, self.config.school_time)
        kind = (
            "DM met de bot"
            if self.channel.name == "dm"
            else ("sociaal kanaal (schooltijdregel geldt)" if watched else "les- of schoolkanaal")
        )
        if new:  # the console makes it, as a lesson or school channel unless its category says
            kind = f"een nieuw {kind} in deze console; de config noemt het niet"
        self.say(f"Je bent nu in #{self.channel.name}: {kind}.{self._nearby(args[0])}")

    def _nearby(self, typed: str) -> str:
        """A typo ('algmeen') makes a new channel the config does not name, so the rules read
        it as a lesson channel: the nearest configured name is offered, as check-time does."""
        close = self.configured_channel_near(typed)
        return f" (Bedoelde je #{close}? Die staat in de configuratie.)" if close else ""

    def typo_of_channel(self, typed: str) -> str | None:
        """The line refusing a channel this server does not have (the config does not name
        it, nobody went there with /kanaal): a command on it would act on a made-up channel.
        With the nearest name when one is close ('Geen kanaal #algmeen. Bedoelde je
        #algemeen?'); None for a channel of the server."""
        name = typed.lstrip("#")
        known = self.known_channels()
        if not name:
            return "Geen kanaal: na # komt de naam van een kanaal."
        if name.casefold() in known:
            return None
        close = get_close_matches(name.casefold(), known, n=1, cutoff=0.8)
        if close:
            return f"Geen kanaal #{name}. Bedoelde je #{known[close[0]]}?"
        return (
            f"Geen kanaal #{name} in deze console: de config noemt het niet en niemand ging "
            f"erheen (/kanaal {name} maakt het)."
        )

    def configured_channels(self) -> dict[str, str]:
        """The channel names the config gives, and the DM, by their folded name (a channel
        the config names by id has no name the console could go to)."""
        config, st = self.config, self.config.school_time
        refs = (
            "dm",
            config.console.channel,
            *st.social_channels,
            *st.exempt_channels,
            *config.heat.watched_channels,
            *config.personal_data.exempt_channels,
            config.channels.questions,
            config.channels.moderators,
        )
        return {r.casefold(): r for r in refs if isinstance(r, str)}

    def known_channels(self) -> dict[str, str]:
        """Every channel of the console's server by its folded name: the configured ones and
        those someone went to here (`/kanaal` makes a channel)."""
        return self.configured_channels() | {
            c.name.casefold(): c.name for c in self.channels.values()
        }

    def configured_channel_near(self, typed: str) -> str | None:
        """The channel name in the config that `typed` looks like a typo of ('algmeen':
        'algemeen'); None when `typed` is configured itself or near no configured name."""
        names = self.configured_channels()
        if typed.casefold().lstrip("#") in names:
            return None
        close = get_close_matches(typed.casefold().lstrip("#"), names, n=1, cutoff=0.8)
        return names[close[0]] if close else None

    async def cmd_tijd(self, name: str, args: list[str], rest: str) -> None:
        """Move the simulated clock; it keeps running from there (UTC arithmetic, DST-safe)."""
        tz = self.app.calendar.timetable.tz
        if not args:  # asking the time moves nothing
            self.say(
                f"Het is nu {self.local(self.now())}"
                + (" (gesimuleerd; /tijd nu zet de echte tijd terug)." if self.clock.moved else ".")
            )
            return
        if args[0] == "nu":
            self.clock.reset()
        else:
            moment: datetime | None
            if args[0][:1] in "+-" and args[0][1:].isdecimal() and args[0][1:].isascii():
                try:
                    moment = self.now() + timedelta(minutes=int(args[0]))
                except OverflowError:
                    moment = datetime.max.replace(tzinfo=tz)  # far past the years below
            else:
                read = _parse_console_moment(" ".join(args), self.now().astimezone(tz))
                if not isinstance(read, datetime):
                    self.say(
                        read
                        or "Gebruik: /tijd 2026-11-24 10:15, /tijd 10:15, /tijd +15 of /tijd nu"
                    )
                    return
                moment = read
            try:  # the years as the console shows them: a move by minutes lands in UTC
                check_moment(moment.astimezone(tz))
            except (InputError, OverflowError):
                self.say(
                    f"Zo ver kan de klok niet: blijf tussen de jaren {MIN_YEAR} en {MAX_YEAR}."
                )
                return
            self.clock.set(moment)
        self.say(
            f"Het is nu {self.local(self.now())}" + (" (gesimuleerd)." if self.clock.moved else ".")
        )

    def member(self, label: str, language: str = "nl") -> ConsoleMember | None:
        """The member called `label`, or None after one line saying so (in English for an
        English command, such as /report)."""
        # a name as typed first ("@everyone" can be a member's name), then without the @
        found = self.members.get(label.casefold()) or self.members.get(label.lstrip("@").casefold())
        if found is None:
            self.say(UNKNOWN_MEMBER["en" if language == "en" else "nl"].format(label=quoted(label)))
        return found


_MONTHS_NL = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_DATE_START = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?![0-9])")


def _parse_console_moment(text: str, local_now: datetime) -> datetime | str | None:
    """`2026-11-24 10:15` or `10:15` (today, school-local; `10.15` as Dutch clocks write it),
    as an aware moment; a line saying why when it names a day or a time that does not exist
    (29 February of a common year, 02:30 the night the clocks go forward); None if neither."""
    text = re.sub(r"(?<![0-9.])([0-9]{1,2})\.([0-9]{2})$", r"\1:\2", text.strip())
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            clock_time = time.fromisoformat(text)
        except ValueError:
            return _no_such_day(text)
        moment = datetime.combine(local_now.date(), clock_time)
    except OverflowError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=local_now.tzinfo)
        try:
            kept = moment.astimezone(UTC).astimezone(moment.tzinfo)
        except OverflowError:
            return moment  # the years are checked by the caller
        if kept.replace(tzinfo=None) != moment.replace(tzinfo=None):
            return _skipped(moment, kept)
    return moment


def _no_such_day(text: str) -> str | None:
    """ "2026 heeft geen 29 februari" for a date that looks right but is not in the calendar."""
    m = _DATE_START.match(text)
    if m is None:
        return None
    year, month, day = (int(part) for part in m.groups())
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    if day <= calendar.monthrange(year, month)[1]:
        return None  # the date exists: something else is wrong
    return (
        f"{year} heeft geen {day} {_MONTHS_NL[month - 1]}. / "
        f"{year} has no {day} {_MONTHS_EN[month - 1]}."
    )


def _skipped(typed: datetime, kept: datetime) -> str:
    """A wall time the clocks skip: said, and the clock left where it was."""
    shift = int((kept.replace(tzinfo=None) - typed.replace(tzinfo=None)).total_seconds() // 60)
    nl, en = ("een uur", "an hour") if shift == 60 else (f"{shift} minuten", f"{shift} minutes")
    return (
        f"{typed:%Y-%m-%d %H:%M} bestaat niet: die nacht gaat de klok {nl} vooruit "
        f"(zomertijd). De klok blijft staan; kies bijvoorbeeld {kept:%H:%M}. / "
        f"{typed:%Y-%m-%d %H:%M} does not exist: that night the clocks go forward {en} "
        f"(summer time). The clock stays; pick e.g. {kept:%H:%M}."
    )
