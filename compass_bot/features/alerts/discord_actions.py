"""The buttons under an alert: resolve, dismiss, a note (a form), and each feature's own
(`add_alert_action`)."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import discord
from discord import ui

from compass_bot.discord_front.convert import member_of
from compass_bot.discord_front.embeds import alert_embed
from compass_bot.discord_front.failures import answer_failure
from compass_bot.features.alerts.model import NOTE_LIMIT, ActionDone, Alert, AlertStatus
from compass_bot.features.alerts.repo_delivery import OutboxAlert
from compass_bot.features.alerts.texts import no_such_alert
from compass_bot.inputs import parse_number
from compass_bot.model import Member, Refusal
from compass_bot.storage.db import STORAGE_ERRORS

if TYPE_CHECKING:
    from compass_bot.discord_front.client import CompassBot

log = logging.getLogger("compass_bot.discord.alerts")


@dataclass(frozen=True, slots=True)
class AlertAction:
    """A feature's own button under its alerts (names: "Naam goedkeuren"): the staff action it
    needs (checked before anything is looked up) and what it does."""

    rule: str
    label: str
    style: discord.ButtonStyle
    action: str  # the access action, e.g. "approve_names"
    run: Callable[
        [CompassBot, discord.Interaction, Member, int, datetime],
        Awaitable[Alert | ActionDone | Refusal],
    ]
    shown: bool = True  # False: no button on new alerts, but an old one still gets its answer


_OWN: dict[str, tuple[str, discord.ButtonStyle]] = {
    "resolve": ("Afgehandeld", discord.ButtonStyle.success),
    "false": ("Onterecht", discord.ButtonStyle.secondary),
    "note": ("Notitie / Note", discord.ButtonStyle.secondary),
}
ALERT_ACTIONS: dict[str, AlertAction] = {}  # button word -> action; features add theirs at setup


def add_alert_action(word: str, action: AlertAction) -> None:
    """Called by a feature's extension `setup`: a button under that rule's open alerts."""
    ALERT_ACTIONS[word] = action


def alert_view(alert: Alert) -> discord.ui.View:
    """The buttons under an alert; none once it is handled."""
    view = discord.ui.View(timeout=None)
    if alert.status != "open":
        return view
    view.add_item(AlertButton("resolve", alert.id))
    view.add_item(AlertButton("false", alert.id))
    view.add_item(AlertButton("note", alert.id))
    for word, action in ALERT_ACTIONS.items():
        if action.rule == alert.rule and action.shown:
            view.add_item(AlertButton(word, alert.id))
    return view


class AlertButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"alert:(?P<action>[a-z]{1,20}):(?P<id>[0-9]{1,19})",
):
    """A button whose custom id carries the alert id, so it works after a restart."""

    def __init__(self, action: str, alert_id: int) -> None:
        own = _OWN.get(action)
        label, style = own if own else (ALERT_ACTIONS[action].label, ALERT_ACTIONS[action].style)
        super().__init__(
            discord.ui.Button(label=label, style=style, custom_id=f"alert:{action}:{alert_id}")
        )
        self.action = action
        self.alert_id = alert_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> AlertButton:
        alert_id = parse_number(match["id"])
        if alert_id is None:  # a forged custom id: no alert has that number
            raise ValueError("not an alert number")
        if match["action"] not in _OWN and match["action"] not in ALERT_ACTIONS:
            raise ValueError("not an alert action")
        return cls(match["action"], alert_id)

    async def callback(self, interaction: discord.Interaction) -> None:
        """Handle the click; a failure (a write the store refused) is answered privately
        in one line: discord.py only logs a dynamic item's error, leaving the click silent."""
        try:
            await self._handle(interaction)
        except Exception as exc:
            await answer_failure(interaction, exc, log, f"alert button {self.action}")

    async def _handle(self, interaction: discord.Interaction) -> None:
        bot: CompassBot = interaction.client  # type: ignore[assignment]
        app = bot.app
        actor = member_of(interaction.user)
        now = app.clock.now()
        extra = ALERT_ACTIONS.get(self.action) if self.action not in _OWN else None
        action = extra.action if extra else "handle_alert"
        refused = app.access.refusal(actor, action)
        if not bot.in_school_guild(interaction.guild) or refused is not None:
            # Refused before anything is looked up: the alert's existence is not revealed.
            text = refused.message if refused else app.access.actions[action].refused
            await interaction.response.send_message(text, ephemeral=True)
            return
        result: Alert | Refusal
        if self.action == "note":
            await open_note_form(interaction, self.alert_id)
            return
        if extra is not None:
            done = await extra.run(bot, interaction, actor, self.alert_id, now)
            if interaction.response.is_done():  # the action answered privately itself
                return
            if isinstance(done, ActionDone):  # the alert shows again, and the clicker is told
                await show_on_alert(interaction, done.alert)
                await interaction.followup.send(done.confirmation, ephemeral=True)
                return
            result = done
        else:
            status: AlertStatus = "resolved" if self.action == "resolve" else "false_positive"
            result = await app.alerts.set_alert_status(actor, self.alert_id, status, now)
        await show_on_alert(interaction, result)


async def show_on_alert(interaction: discord.Interaction, result: Alert | Refusal) -> None:
    """Edit the pressed alert to show what was done (or answer a refusal privately)."""
    if isinstance(result, Refusal):
        await interaction.response.send_message(result.message, ephemeral=True)
        return
    bot: CompassBot = interaction.client  # type: ignore[assignment]
    app = bot.app
    await interaction.response.edit_message(
        embed=alert_embed(result, app.calendar.timetable.tz), view=alert_view(result)
    )
    # The edit above shows the change; mark it delivered so the outbox doesn't repeat it.
    if interaction.message is not None:
        # The outbox hands out OutboxAlerts; anything else leaves the alert pending.
        version = result.version if isinstance(result, OutboxAlert) else 0
        try:
            await app.alerts.repo.mark_delivered(result.id, interaction.message.id, version)
        except STORAGE_ERRORS as exc:
            # The click is done and shown; unmarked, the alert stays pending, so the outbox
            # edits the message again: nothing to tell the clicker, nothing lost.
            log.warning(
                "alert %s was shown but not marked (%s); the outbox edits it", result.id, exc
            )


async def open_note_form(interaction: discord.Interaction, alert_id: int) -> None:
    """The note form, starting from the alert's current note (the new one replaces it)."""
    bot: CompassBot = interaction.client  # type: ignore[assignment]
    alert = await bot.app.alerts.repo.alert(alert_id)
    if alert is None:
        await interaction.response.send_message(no_such_alert(alert_id), ephemeral=True)
        return
    await interaction.response.send_modal(NoteModal(alert_id, alert.note))


class NoteModal(ui.Modal):
    """A moderator's note on an alert: one text of at most NOTE_LIMIT characters."""

    def __init__(self, alert_id: int, current: str | None) -> None:
        super().__init__(title=f"Notitie bij melding #{alert_id}"[:45], timeout=900)
        self.alert_id = alert_id
        self.text: ui.TextInput[Any] = ui.TextInput(
            label="Notitie / Note",
            custom_id="note",
            style=discord.TextStyle.paragraph,
            max_length=NOTE_LIMIT,
            default=current,
        )
        self.add_item(self.text)

    async def on_error(  # type: ignore[override]  # Modal narrows BaseView's signature
        self, interaction: discord.Interaction, error: Exception, /
    ) -> None:
        """A failure answers privately once, and is logged (never a silent form)."""
        await answer_failure(interaction, error, log, "an alert note")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        bot: CompassBot = interaction.client  # type: ignore[assignment]
        actor = member_of(interaction.user)
        result = await bot.app.alerts.add_note(
            actor, self.alert_id, self.text.value, bot.app.clock.now()
        )
        await show_on_alert(interaction, result)
