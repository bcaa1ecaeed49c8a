"""Embeds for answers, warnings and alerts. Rendering only: the words come from the service."""

from __future__ import annotations

from datetime import tzinfo

import discord

from compass_bot import texts
from compass_bot.features.alerts.model import EXPIRED_LABEL, STATUS_LABELS, Alert
from compass_bot.model import Warning
from compass_bot.policy import Clause

ANSWER_COLOUR = 0x2E86C1
MAX_FIELD = 1024


def clip(text: str, limit: int) -> str:
    """A text that fits an embed field (or title) of `limit` characters, "…" where cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def clause_title(clause: Clause, language: str = "nl") -> str:
    """The clause's title; in Dutch with its section and number. The sections have Dutch
    names only, noise in an English answer; the footer names the clause id either way."""
    if language == "en":
        return clip(clause.title_en, 256)
    number = f" {clause.number}" if clause.number is not None else ""
    return clip(f"{clause.title} ({clause.section}{number})", 256)


def clause_embed(
    clause: Clause,
    language: str = "nl",
    question: str | None = None,
    *,
    extra: tuple[tuple[str, str], ...] = (),
) -> discord.Embed:
    """A clause quoted verbatim; the English rendering added when the question was English.

    `extra`: more fields (label, text) the answer carries: the points the clause refers to,
    the second question, the people to talk to."""
    embed = discord.Embed(
        title=clause_title(clause, language), description=clause.text, colour=ANSWER_COLOUR
    )
    if language == "en":
        embed.add_field(name="English", value=clip(clause.text_en, MAX_FIELD), inline=False)
    for name, value in extra:
        embed.add_field(name=clip(name, 256), value=clip(value, MAX_FIELD), inline=False)
    if question:
        name = "Your question" if language == "en" else "Je vraag"
        embed.add_field(
            name=name, value=clip(discord.utils.escape_markdown(question), 200), inline=False
        )
    embed.set_footer(text=f"{texts.PROTOCOL_FOOTER} · {clause.id}")
    return embed


def warning_embed(warning: Warning) -> discord.Embed:
    embed = discord.Embed(
        title="Protocol sociale media", description=warning.intro, colour=0xF1C40F
    )
    embed.add_field(
        name=clause_title(warning.clause), value=clip(warning.clause.text, MAX_FIELD), inline=False
    )
    if warning.closing:
        embed.add_field(name="\u200b", value=clip(warning.closing, MAX_FIELD), inline=False)
    if warning.english:
        embed.add_field(name="English", value=clip(warning.english, MAX_FIELD), inline=False)
    embed.set_footer(text=f"{texts.PROTOCOL_FOOTER} · {warning.clause.id}")
    return embed


EXPIRED = EXPIRED_LABEL


def _member_line(alert: Alert) -> str:
    """A mention (which never pings in an embed) and the id, which survives a name change."""
    label = alert.member_label
    if not label or label == EXPIRED:
        return f"<@{alert.member_id}> (id {alert.member_id})"
    label = discord.utils.escape_mentions(discord.utils.escape_markdown(label))
    return f"<@{alert.member_id}> ({clip(label, 100)}, id {alert.member_id})"


def alert_embed(alert: Alert, tz: tzinfo) -> discord.Embed:
    """An alert for the moderators' channel: rule, member, where, when, excerpt, count, status.

    The excerpt was sanitised when the alert was recorded (no pings, markdown escaped);
    everything else shown here is escaped or an id.
    """
    colour = alert.colour if alert.status == "open" else 0x7F8C8D
    embed = discord.Embed(title=f"{alert.title} · melding #{alert.id}", colour=colour)
    embed.add_field(name="Regel", value=f"`{alert.rule}` {alert.title}", inline=False)
    embed.add_field(name="Lid", value=_member_line(alert), inline=False)
    if alert.about_a_name:
        field = alert.name_field_label
        embed.add_field(name=f"Naam ({field})", value=alert.excerpt or EXPIRED, inline=False)
        if alert.matched:
            embed.add_field(
                name="Gevonden",
                value=f"**{clip(discord.utils.escape_markdown(alert.matched), 200)}**",
                inline=True,
            )
    else:
        where = alert.where(lambda channel: f"<#{channel}>") or "-"
        if alert.jump_url:
            where += f" · [naar het bericht]({alert.jump_url})"
        embed.add_field(name="Waar", value=clip(where, MAX_FIELD), inline=False)
        excerpt = EXPIRED if alert.excerpt is None else alert.excerpt or "(geen tekst)"
        embed.add_field(name="Bericht", value=clip(excerpt, MAX_FIELD), inline=False)
    if alert.detail:
        reason = alert.reason()
        reason = discord.utils.escape_mentions(discord.utils.escape_markdown(reason))
        embed.add_field(name="Reden", value=clip(reason, MAX_FIELD), inline=False)
    if alert.involved:  # mentions in an embed show names and never ping
        members = ", ".join(f"<@{m}>" for m in alert.involved)
        embed.add_field(name="Betrokken leden", value=clip(members, MAX_FIELD), inline=False)
    first_local = alert.created_at.astimezone(tz)
    last_local = alert.updated_at.astimezone(tz)
    first = first_local.strftime("%Y-%m-%d %H:%M")
    same_day = first_local.date() == last_local.date()
    last = last_local.strftime("%H:%M" if same_day else "%Y-%m-%d %H:%M")
    embed.add_field(name="Wanneer", value=f"{first} (laatst {last})", inline=True)
    embed.add_field(name="Aantal keer", value=str(alert.count), inline=True)
    status = STATUS_LABELS.get(alert.status, alert.status)
    if alert.handled_by and alert.handled_at:
        when = alert.handled_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
        status += f" door <@{alert.handled_by}> om {when}"
    embed.add_field(name="Status", value=status, inline=False)
    if alert.note_by and alert.note_at:
        at = alert.note_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
        text = EXPIRED if alert.note is None else discord.utils.escape_mentions(alert.note)
        note = f"<@{alert.note_by}> om {at}: {text}"
        embed.add_field(name="Notitie", value=clip(note, MAX_FIELD), inline=False)
    embed.set_footer(text=texts.PROTOCOL_FOOTER)
    return embed
