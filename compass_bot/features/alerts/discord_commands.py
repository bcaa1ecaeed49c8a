"""The moderators' commands: `/meldingen open` and `/meldingen afgehandeld` (paged, newest
first) and `/meldingen export`."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from compass_bot.discord_front.convert import member_of
from compass_bot.features.alerts import texts
from compass_bot.inputs import parse_day
from compass_bot.model import Refusal
from compass_bot.registry import alert_kinds

if TYPE_CHECKING:
    from compass_bot.discord_front.client import CompassBot


class OpenAlertsView(discord.ui.View):
    """Paging through open (or handled) alerts, newest first (only the moderator who asked
    can page)."""

    def __init__(
        self,
        bot: CompassBot,
        owner: int,
        rule: str | None,
        page: int,
        pages: int,
        handled: bool = False,
    ) -> None:
        super().__init__(timeout=300)
        self.bot, self.owner, self.rule, self.page, self.pages = bot, owner, rule, page, pages
        self.handled = handled
        self.previous.disabled = page <= 0
        self.next.disabled = page >= pages - 1

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return interaction.user.id == self.owner

    async def show(self, interaction: discord.Interaction, page: int) -> None:
        embed, view = await open_alerts_page(
            self.bot, interaction.user, self.rule, page, self.handled
        )
        await interaction.response.edit_message(embed=embed, view=view)

    @discord.ui.button(label="◀", style=discord.ButtonStyle.secondary)
    async def previous(
        self, interaction: discord.Interaction, button: discord.ui.Button[Any]
    ) -> None:
        await self.show(interaction, self.page - 1)

    @discord.ui.button(label="▶", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await self.show(interaction, self.page + 1)


async def open_alerts_page(
    bot: CompassBot,
    user: discord.User | discord.Member,
    rule: str | None,
    page: int,
    handled: bool = False,
) -> tuple[discord.Embed, discord.ui.View | None]:
    """One page of open alerts, newest first, each linking to its message; `handled`: the
    handled ones, last handled first, each with how, by whom and when."""
    service = bot.app.alerts
    listed = service.handled_alerts if handled else service.open_alerts
    result = await listed(member_of(user), rule, page)
    if isinstance(result, Refusal):
        return discord.Embed(description=result.message), None
    alerts, total, page, pages = result.alerts, result.total, result.page, result.pages
    tz = bot.app.calendar.timetable.tz
    channel = bot.setup.moderators_channel
    base = (
        f"https://discord.com/channels/{channel.guild.id}/{channel.id}"
        if isinstance(channel, discord.abc.GuildChannel)
        else None
    )
    lines = []
    for a in alerts:
        when = a.updated_at.astimezone(tz).strftime("%d-%m %H:%M")
        line = f"**#{a.id}** `{a.rule}` <@{a.member_id}> · {when} · {a.count}×"
        if a.status != "open" and a.handled_at is not None:
            done = a.handled_at.astimezone(tz).strftime("%d-%m %H:%M")
            line += f" · {texts.handled_by(a.status, a.handled_by, done)}"
        if base is not None and a.delivered_message_id is not None:
            line += f" · [{texts.LIST_LINK}]({base}/{a.delivered_message_id})"
        lines.append(line)
    which = f" · {rule}" if rule else ""
    embed = discord.Embed(
        title=f"{texts.LIST_TITLE[handled]} ({total}){which}",
        description="\n".join(lines) or texts.LIST_EMPTY[handled],
    )
    embed.set_footer(text=texts.LIST_FOOTER.format(page=page + 1, pages=pages))
    view = OpenAlertsView(bot, user.id, rule, page, pages, handled) if pages > 1 else None
    return embed, view


def _rule_choices() -> list[app_commands.Choice[str]]:
    """The `regel` choices of `/meldingen open` and `/meldingen afgehandeld`: every alert kind."""
    return [
        app_commands.Choice(name=f"{kind.rule} ({kind.title})"[:100], value=kind.rule)
        for kind in alert_kinds().values()
    ]


class Alerts(commands.Cog):
    """The moderators' commands on the outbox."""

    def __init__(self, bot: CompassBot) -> None:
        self.bot = bot

    meldingen = app_commands.Group(name=_("meldingen"), description=_("Meldingen voor moderatoren"))

    @meldingen.command(name=_("open"), description=_("Meldingen voor moderatoren"))
    @app_commands.choices(regel=_rule_choices())
    async def open(self, interaction: discord.Interaction, regel: str | None = None) -> None:
        await self._list(interaction, regel, handled=False)

    @meldingen.command(name=_("afgehandeld"), description=_("Afgehandelde meldingen"))
    @app_commands.choices(regel=_rule_choices())
    async def afgehandeld(self, interaction: discord.Interaction, regel: str | None = None) -> None:
        """Who already dealt with a case, when and how."""
        await self._list(interaction, regel, handled=True)

    async def _list(
        self, interaction: discord.Interaction, regel: str | None, handled: bool
    ) -> None:
        embed, view = await open_alerts_page(self.bot, interaction.user, regel, 0, handled)
        if view is None:
            await interaction.response.send_message(embed=embed, ephemeral=True)
        else:
            await interaction.response.send_message(embed=embed, view=view, ephemeral=True)

    @meldingen.command(name=_("export"), description=_("Meldingen voor moderatoren"))
    @app_commands.describe(
        van="Eerste dag, JJJJ-MM-DD (standaard 30 dagen geleden)",
        tot="Laatste dag, JJJJ-MM-DD (standaard vandaag)",
    )
    async def export(
        self, interaction: discord.Interaction, van: str | None = None, tot: str | None = None
    ) -> None:
        tz = self.bot.app.calendar.timetable.tz
        today = self.bot.app.clock.now().astimezone(tz).date()
        try:
            first = parse_day(van) if van else today - timedelta(days=30)
            last = parse_day(tot) if tot else today
        except ValueError:  # not a date, or a year out of range (9999-12-31 + 1 day overflows)
            await interaction.response.send_message(texts.BAD_DATES, ephemeral=True)
            return
        since = datetime.combine(first, datetime.min.time(), tzinfo=tz)
        until = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=tz)
        result = await self.bot.app.alerts.export_alerts(member_of(interaction.user), since, until)
        if isinstance(result, Refusal):
            await interaction.response.send_message(result.message, ephemeral=True)
            return
        data = io.BytesIO(result.encode("utf-8"))
        await interaction.response.send_message(
            texts.EXPORTED.format(first=first, last=last),
            file=discord.File(data, filename=f"meldingen-{first}-{last}.csv"),
            ephemeral=True,
        )
