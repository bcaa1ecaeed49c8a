"""Embeds for answers, warnings and alerts. Rendering only: the words come from the service."""

from __future__ import annotations

from datetime import tzinfo

import discord

from compass_bot import texts
from compass_bot.alerts import RULE_COLOURS, STATUS_LABELS, Alert
from compass_bot.policy import Clause
from compass_bot.service import Warning

ANSWER_COLOUR = 0x2E86C1
MAX_FIELD = 1024


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def clause_title(clause: Clause, language: str = "nl") -> str:
    title = clause.title_en if language == "en" else clause.title
    number = f" {clause.number}" if clause.number is not None else ""
    return _clip(f"{title} ({clause.section}{number})", 256)


def clause_embed(
    clause: Clause, language: str = "nl", question: str | None = None
) -> discord.Embed:
    """A clause quoted verbatim; the English rendering added when the question was English."""
    embed = discord.Embed(
        title=clause_title(clause, language), description=clause.text, colour=ANSWER_COLOUR
    )
    if language == "en":
        embed.add_field(name="English", value=_clip(clause.text_en, MAX_FIELD), inline=False)
    if question:
        name = "Your question" if language == "en" else "Je vraag"
        embed.add_field(
            name=name, value=_clip(discord.utils.escape_markdown(question), 200), inline=False
        )
    embed.set_footer(text=f"{texts.PROTOCOL_FOOTER} · {clause.id}")
    return embed


def warning_embed(warning: Warning) -> discord.Embed:
    embed = discord.Embed(
        title="Protocol sociale media", description=warning.intro, colour=0xF1C40F
    )
    embed.add_field(
        name=clause_title(warning.clause), value=_clip(warning.clause.text, MAX_FIELD), inline=False
    )
    if warning.closing:
        embed.add_field(name="\u200b", value=_clip(warning.closing, MAX_FIELD), inline=False)
    embed.set_footer(text=f"{texts.PROTOCOL_FOOTER} · {warning.clause.id}")
    return embed


def alert_embed(alert: Alert, tz: tzinfo) -> discord.Embed:
    """An alert for the moderators' channel: rule, member, where, when, excerpt, count, status."""
    colour = RULE_COLOURS.get(alert.rule, 0x95A5A6) if alert.status == "open" else 0x7F8C8D
    embed = discord.Embed(title=f"{alert.title} · melding #{alert.id}", colour=colour)
    embed.add_field(name="Regel", value=f"`{alert.rule}` {alert.title}", inline=False)
    embed.add_field(
        name="Lid",
        value=f"<@{alert.member_id}> ({alert.member_label}, id {alert.member_id})",
        inline=False,
    )
    if alert.rule == "aanwijzing-2":
        field = texts.NAME_FIELDS.get(alert.name_field or "", alert.name_field or "naam")
        embed.add_field(name=f"Naam ({field})", value=alert.excerpt or "(verlopen)", inline=False)
        if alert.matched:
            embed.add_field(
                name="Gevonden",
                value=f"**{discord.utils.escape_markdown(alert.matched)}**",
                inline=True,
            )
    else:
        where = f"<#{alert.channel_id}>" if alert.channel_id else "-"
        if alert.jump_url:
            where += f" · [naar het bericht]({alert.jump_url})"
        embed.add_field(name="Waar", value=where, inline=False)
        if alert.excerpt:
            embed.add_field(name="Bericht", value=alert.excerpt, inline=False)
    if alert.detail:
        embed.add_field(name="Reden", value=_clip(alert.detail, MAX_FIELD), inline=False)
    first = alert.created_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    last = alert.updated_at.astimezone(tz).strftime("%H:%M")
    embed.add_field(name="Wanneer", value=f"{first} (laatst {last})", inline=True)
    embed.add_field(name="Aantal keer", value=str(alert.count), inline=True)
    status = STATUS_LABELS[alert.status]
    if alert.handled_by and alert.handled_at:
        when = alert.handled_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
        status += f" door <@{alert.handled_by}> om {when}"
    embed.add_field(name="Status", value=status, inline=False)
    embed.set_footer(text=texts.PROTOCOL_FOOTER)
    return embed
