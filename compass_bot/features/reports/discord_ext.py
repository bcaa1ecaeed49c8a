"""Reports in Discord: "Melden bij moderatoren" on a message, "Lid melden" on a member,
`/melden` for clients without context menus, the form (reason and note), and the buttons
"Bericht verwijderen" and "Auteur waarschuwen" under a report's alert.

The snapshot of the message is taken when the member picks the menu, so it survives a
deletion before the form is sent. Every answer to the reporter is ephemeral.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import re
from datetime import datetime
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands, ui
from discord.app_commands import locale_str as _
from discord.ext import commands

from compass_bot.discord_front.convert import find_member, member_of
from compass_bot.discord_front.embeds import warning_embed
from compass_bot.discord_front.failures import answer_failure
from compass_bot.discord_front.translator import language_of
from compass_bot.features.alerts.discord_ext import AlertAction, add_alert_action
from compass_bot.features.alerts.model import ActionDone, Alert, AlertStatus
from compass_bot.features.reports import texts
from compass_bot.features.reports.rules import REASONS, RULE
from compass_bot.features.reports.service import (
    NOTE_LIMIT,
    Filed,
    ReportRequest,
    ReportService,
)
from compass_bot.model import Member, Refusal

if TYPE_CHECKING:
    from compass_bot.discord_front.client import CompassBot

log = logging.getLogger("compass_bot.discord.reports")
_LINK = re.compile(r"/channels/(\d{1,20})/(\d{1,20})/(\d{1,20})\s*$")
ONLY_IN_SCHOOL = (
    "Melden kan alleen in de server van de school. / You can only report in the school's server."
)
SLASH_USAGE = "Geef een berichtlink óf een lid. / Give a message link or a member."
MESSAGE_GONE = "Dat bericht bestaat niet (meer). / That message no longer exists."
UNREADABLE = (
    "De bot kan dat bericht nu niet lezen. Meld het vanaf het bericht zelf (klik er met rechts "
    "op of houd het ingedrukt > Apps > Melden bij moderatoren), of probeer het later opnieuw. / "
    "The bot cannot read that message right now. Report it from the message itself "
    "(right-click or long-press it > Apps > Report to moderators), or try again later."
)
# Reading a linked message must leave time to answer: Discord drops an interaction that is
# not answered within 3 s, and discord.py retries a 5xx for up to half a minute.
FETCH_SECONDS = 2.0


def _pick(pair: tuple[str, str], language: str) -> str:
    return pair[1] if language == "en" else pair[0]


class ReportModal(ui.Modal):
    """The reason (a select, each mapped to a clause) and an optional note of 500."""

    def __init__(self, bot: CompassBot, request: ReportRequest, language: str) -> None:
        super().__init__(title=_pick(texts.MODAL_TITLE, language), timeout=900)
        self.bot, self.request, self.language = bot, request, language
        self.reason_select: ui.Select[Any] = ui.Select(
            custom_id="reason",
            options=[
                discord.SelectOption(
                    label=r.label_en if language == "en" else r.label, value=r.code
                )
                for r in REASONS
            ],
        )
        self.note_input: ui.TextInput[Any] = ui.TextInput(
            custom_id="note",
            style=discord.TextStyle.paragraph,
            max_length=NOTE_LIMIT,
            required=False,
            placeholder=_pick(texts.NOTE_HINT, language)[:100],
        )
        self.add_item(
            ui.Label(text=_pick(texts.REASON_LABEL, language), component=self.reason_select)
        )
        self.add_item(ui.Label(text=_pick(texts.NOTE_LABEL, language), component=self.note_input))

    async def on_error(  # type: ignore[override]  # Modal narrows BaseView's signature
        self, interaction: discord.Interaction, error: Exception, /
    ) -> None:
        """A failure answers privately once, and is logged (never a silent form)."""
        await answer_failure(interaction, error, log, "a report")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        reason = self.reason_select.values[0] if self.reason_select.values else ""
        request = dataclasses.replace(
            self.request,
            reason=reason,
            note=self.note_input.value or None,
            at=self.bot.app.clock.now(),
        )
        result = await self.bot.app[ReportService].file(request, self.language)
        if isinstance(result, Refusal):
            await interaction.response.send_message(result.message, ephemeral=True)
            return
        await interaction.response.send_message(result.confirmation, ephemeral=True)
        if isinstance(result, Filed):
            self.bot.outbox_wakeup.set()


def message_request(
    interaction: discord.Interaction, message: discord.Message, at: datetime
) -> ReportRequest:
    """The report of a message as it is now: the snapshot."""
    author = message.author
    return ReportRequest(
        reporter=member_of(interaction.user),
        reported=member_of(author),
        reason="",
        at=at,
        guild_id=interaction.guild_id,
        channel_id=message.channel.id,
        message_id=message.id,
        content=message.content,
        attachments=tuple(a.filename for a in message.attachments),
        reported_is_bot=author.bot or message.webhook_id is not None,
        system_message=message.is_system(),
    )


def member_request(
    interaction: discord.Interaction, member: discord.Member | discord.User, at: datetime
) -> ReportRequest:
    return ReportRequest(
        reporter=member_of(interaction.user),
        reported=member_of(member),
        reason="",
        at=at,
        guild_id=interaction.guild_id,
        reported_is_bot=member.bot,
    )


class Reports(commands.Cog):
    def __init__(self, bot: CompassBot) -> None:
        self.bot = bot
        self.message_menu = app_commands.ContextMenu(
            name=_("Melden bij moderatoren", en="Report to moderators"),
            callback=self.report_message,
        )
        self.member_menu = app_commands.ContextMenu(
            name=_("Lid melden", en="Report member"), callback=self.report_member
        )
        for menu in (self.message_menu, self.member_menu):
            menu.guild_only = True
        self._dms: set[asyncio.Task[None]] = set()
        self.fetch_seconds = FETCH_SECONDS

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.message_menu)
        self.bot.tree.add_command(self.member_menu)
        for _school in self.bot.each_school():
            self.bot.app.alerts.status_listeners.append(self.alert_handled)

    async def cog_unload(self) -> None:
        for _school in self.bot.each_school():
            if self.alert_handled in self.bot.app.alerts.status_listeners:
                self.bot.app.alerts.status_listeners.remove(self.alert_handled)
        for task in list(self._dms):
            task.cancel()
        self.bot.tree.remove_command(self.message_menu.name, type=self.message_menu.type)
        self.bot.tree.remove_command(self.member_menu.name, type=self.member_menu.type)

    async def alert_handled(self, alert: Alert, status: AlertStatus, at: datetime) -> None:
        """With reports.notify_reporter: each reporter gets 'je melding is bekeken' by DM,
        nothing more (not who, what or the outcome); sent in the background, so the
        moderator's click is answered at once."""
        reporters = await self.bot.app[ReportService].reporters_to_thank(alert)
        if reporters:
            task = asyncio.create_task(self._thank(reporters), name="reports-looked-at")
            self._dms.add(task)
            task.add_done_callback(self._dms.discard)

    async def _thank(self, reporters: list[int]) -> None:
        for reporter_id in reporters:
            try:
                user = self.bot.get_user(reporter_id) or await self.bot.fetch_user(reporter_id)
                await user.send(texts.LOOKED_AT)
            except discord.HTTPException as exc:
                # no id: a log line next to the alert's handling would name the reporter
                log.info("could not DM a reporter that their report was seen: %s", exc)

    async def _open_form(self, interaction: discord.Interaction, request: ReportRequest) -> None:
        language = language_of(interaction)
        if not self.bot.in_school_guild(interaction.guild):
            await interaction.response.send_message(ONLY_IN_SCHOOL, ephemeral=True)
            return
        refused = await self.bot.app[ReportService].precheck(request, language)
        if refused is not None:
            await interaction.response.send_message(refused.message, ephemeral=True)
            return
        await interaction.response.send_modal(ReportModal(self.bot, request, language))

    async def report_message(
        self, interaction: discord.Interaction, message: discord.Message
    ) -> None:
        now = self.bot.app.clock.now()
        await self._open_form(interaction, message_request(interaction, message, now))

    async def report_member(
        self, interaction: discord.Interaction, member: discord.Member | discord.User
    ) -> None:
        now = self.bot.app.clock.now()
        await self._open_form(interaction, member_request(interaction, member, now))

    @app_commands.command(
        name=_("melden", en="report"),
        description=_(
            "Meld een bericht (link) of een lid bij de moderatoren",
            en="Report a message (link) or a member to the moderators",
        ),
    )
    @app_commands.describe(
        bericht=_("De link naar het bericht (Link kopiëren)", en="The message link (Copy Link)"),
        lid=_("Het lid", en="The member"),
    )
    @app_commands.rename(bericht=_("bericht", en="message"), lid=_("lid", en="member"))
    @app_commands.guild_only()
    async def melden(
        self,
        interaction: discord.Interaction,
        bericht: str | None = None,
        lid: discord.Member | None = None,
    ) -> None:
        now = self.bot.app.clock.now()
        if (bericht is None) == (lid is None):
            await interaction.response.send_message(SLASH_USAGE, ephemeral=True)
            return
        if lid is not None:
            await self._open_form(interaction, member_request(interaction, lid, now))
            return
        assert bericht is not None
        message = await self._linked_message(interaction, bericht)
        if isinstance(message, str):
            await interaction.response.send_message(message, ephemeral=True)
            return
        if message is None:  # a channel the member cannot see: refused as the rule says
            request = dataclasses.replace(
                member_request(interaction, interaction.user, now),
                reported=Member(0, "?"),
                message_id=0,
                reporter_can_see=False,
            )
            await self._open_form(interaction, request)
            return
        await self._open_form(interaction, message_request(interaction, message, now))

    async def _linked_message(
        self, interaction: discord.Interaction, link: str
    ) -> discord.Message | str | None:
        """The linked message; None when the member may not see it (or the channel does not
        exist); a text when it is not a message link of this server, no longer exists, or the
        bot cannot read it now. A report needs the message's author, so an unreadable message
        cannot be taken by link: the reporter is told so (and of the menu, which hands the bot
        the message), and the failure is logged rather than lost as 'you cannot see it'."""
        found = _LINK.search(link.strip()[:200])
        guild = interaction.guild
        if found is None or guild is None or int(found[1]) != guild.id:
            return SLASH_USAGE
        user = interaction.user
        if not isinstance(user, discord.Member):
            return None
        channel_id = int(found[2])
        try:
            async with asyncio.timeout(self.fetch_seconds):
                return await _read_linked(guild, user, channel_id, int(found[3]))
        except discord.HTTPException as exc:
            why = f"{exc.status} (code {exc.code})"
        except TimeoutError:
            why = f"no answer within {self.fetch_seconds:g} s"
        # ids and the status only: never the message, nor who reported it
        log.warning("could not read a message reported by link in channel %s: %s", channel_id, why)
        return UNREADABLE


async def _read_linked(
    guild: discord.Guild, user: discord.Member, channel_id: int, message_id: int
) -> discord.Message | str | None:
    """`_linked_message` past the link: the member's view first, then the bot's read. A
    channel missing from the cache (an archived thread) is asked of Discord; only its 404
    means 'does not exist'. Discord's other errors (403: the bot may not read it; 5xx) are
    raised."""
    channel = guild.get_channel_or_thread(channel_id)
    if channel is None:
        try:
            channel = await guild.fetch_channel(channel_id)
        except (discord.NotFound, discord.InvalidData):  # gone, or another server's
            return None
    try:
        perms = channel.permissions_for(user)
    except discord.ClientException:  # a thread whose parent channel is gone
        return None
    if not (perms.view_channel and perms.read_message_history):
        return None
    if not isinstance(channel, discord.TextChannel | discord.Thread):
        return None
    try:
        return await channel.fetch_message(message_id)
    except discord.NotFound:
        return MESSAGE_GONE


# -- the buttons under a report's alert --------------------------------------------------------


async def delete_from_alert(
    bot: CompassBot, interaction: discord.Interaction, actor: Member, alert_id: int, now: datetime
) -> ActionDone | Refusal:
    """'Bericht verwijderen': the reported message goes, when the bot may manage messages."""
    service = bot.app[ReportService]
    alert = await service.message_to_delete(actor, alert_id)
    if isinstance(alert, Refusal):
        return alert
    guild = interaction.guild
    channel = guild.get_channel_or_thread(alert.channel_id or 0) if guild else None
    if guild is None or channel is None:
        return Refusal(texts.ALREADY_DELETED)
    if not channel.permissions_for(guild.me).manage_messages:
        return Refusal(texts.MAY_NOT_DELETE)
    try:
        await bot.http.delete_message(
            channel.id, alert.message_id or 0, reason="Protocol sociale media: gemeld bericht"
        )
    except discord.NotFound:
        return Refusal(texts.ALREADY_DELETED)
    except discord.Forbidden:
        return Refusal(texts.MAY_NOT_DELETE)
    await service.message_deleted(actor, alert, now)
    return ActionDone(alert, texts.DELETED)


async def warn_from_alert(
    bot: CompassBot, interaction: discord.Interaction, actor: Member, alert_id: int, now: datetime
) -> ActionDone | Refusal:
    """'Auteur waarschuwen': a DM citing the chosen clause verbatim; never the reporter."""
    service = bot.app[ReportService]
    result = await service.warn_author(actor, alert_id)
    if isinstance(result, Refusal):
        return result
    guild = interaction.guild
    member = await find_member(guild, result.alert.member_id) if guild else None
    if member is None:
        return Refusal(texts.MEMBER_GONE)
    try:
        await member.send(embed=warning_embed(result.warning))
    except discord.HTTPException as exc:
        log.info("could not DM member %s about a report: %s", member.id, exc)
        return Refusal(texts.DM_CLOSED)
    await service.author_warned(actor, result, now)
    return ActionDone(result.alert, texts.WARNED)


async def reveal_from_alert(
    bot: CompassBot, interaction: discord.Interaction, actor: Member, alert_id: int, now: datetime
) -> Alert | Refusal:
    """'Melder tonen': who reported, to the leadership member alone (ephemeral), audited."""
    result = await bot.app[ReportService].reveal(actor, alert_id, now)
    if isinstance(result, Refusal):
        return result
    alert, reporters = result
    text = (
        texts.REVEALED.format(who=", ".join(f"<@{r}>" for r in reporters))
        if reporters
        else texts.REVEALED_NONE
    )
    await interaction.response.send_message(
        text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
    )
    return alert


async def setup(bot: CompassBot) -> None:
    add_alert_action(
        "delete",
        AlertAction(
            RULE,
            "Bericht verwijderen",
            discord.ButtonStyle.danger,
            "report_delete",
            delete_from_alert,
        ),
    )
    add_alert_action(
        "warn",
        AlertAction(
            RULE, "Auteur waarschuwen", discord.ButtonStyle.primary, "report_warn", warn_from_alert
        ),
    )
    # Off: no button on new alerts; an old one (the setting switched off later) is answered
    # with the service's refusal instead of failing silently.
    add_alert_action(
        "reveal",
        AlertAction(
            RULE,
            "Melder tonen",
            discord.ButtonStyle.secondary,
            "report_reveal",
            reveal_from_alert,
            shown=bot.app.config.reports.reveal_reporter == "leadership",
        ),
    )
    await bot.add_cog(Reports(bot))
