"""What the console prints: the bot's replies and DMs, warnings, the status line, and the
moderators' alerts as their channel would show them."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import TextIO

from compass_bot import texts
from compass_bot.app import App
from compass_bot.console.server import ConsoleMember, SimulatedServer
from compass_bot.features.alerts.render import alert_as_text
from compass_bot.model import Warning
from compass_bot.plain import as_plain_text
from compass_bot.refs import describe_ref
from compass_bot.visible import for_terminal


class ConsoleOutput(SimulatedServer):
    """The simulated server, printing to `out` what its members and moderators would see."""

    def __init__(self, app: App, out: TextIO = sys.stdout) -> None:
        self.out = out
        super().__init__(app)

    def local(self, moment: datetime) -> str:
        local = moment.astimezone(self.app.calendar.timetable.tz)
        return f"{texts.WEEKDAYS[local.weekday()]} {local:%Y-%m-%d %H:%M}"

    def say(self, text: str) -> None:
        """Print one message. Members' text is in it (names, posts, questions), so every
        control character a terminal would act on is written out (`for_terminal`): an ESC
        sequence in a nickname must not recolour or clear the moderator's screen."""
        lines = text.replace("\r\n", "\n").rstrip("\n").split("\n")  # other breaks: written out
        self.out.write("\n".join(map(for_terminal, lines)) + "\n")
        self.out.flush()

    def bot(self, text: str, where: str | None = None) -> None:
        """A reply from the bot. The features write their replies for Discord: their markdown
        is shown as plain text here (`plain.as_plain_text`), not as asterisks and backticks."""
        place = where or ("DM" if self.channel.name == "dm" else f"#{self.channel.name}")
        prefix = f"[bot → {self.me.member.label} · {place}]"
        self.say(f"{prefix} " + as_plain_text(text).replace("\n", "\n" + " " * 4))

    def refused(self, action: str) -> bool:
        """A staff command typed by someone else: the refusal (Dutch, then English) is said
        before any word of it is read, so a usage line or a lookup tells them nothing."""
        refusal = self.app.access.refusal(self.me.member, action)
        if refusal is not None:
            self.bot(refusal.message)
        return refusal is not None

    def dm(self, to: ConsoleMember, text: str) -> None:
        """A DM from the bot; to someone else (a name check) it says whose DM it is."""
        if to is self.me:
            self.bot(text, where="DM")
        else:
            shown = as_plain_text(text).replace("\n", "\n" + " " * 4)
            self.say(f"[bot · DM aan {to.member.label}] {shown}")

    def status(self) -> str:
        roles = ", ".join(name for _, name in self.me.member.roles) or "geen rollen"
        clock = self.local(self.now()) + (" (gesimuleerd)" if self.clock.moved else "")
        return f"Je bent {self.me.member.label} ({roles}) in #{self.channel.name}; het is {clock}."

    def show_warning(self, warning: Warning, to: ConsoleMember) -> None:
        english = f"\n\n{warning.english}" if warning.english else ""
        self.dm(to, f"{warning.intro}\n> {warning.clause.text}\n{warning.closing}{english}")

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
