"""Plain-text rendering for the command line and the console front end.

The Discord front end renders the same results as embeds (compass_bot/discord_front);
the words themselves come from `texts` and the clause texts from policy_text/.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from datetime import tzinfo

from compass_bot import texts
from compass_bot.alerts import STATUS_LABELS, Alert, unescape_excerpt
from compass_bot.policy import Clause, ClauseBook, Match


def clause_heading(clause: Clause, language: str = "nl") -> str:
    title = clause.title_en if language == "en" else clause.title
    number = f" {clause.number}" if clause.number is not None else ""
    return f"{title} ({clause.section}{number}; {clause.id})"


def clause_as_text(clause: Clause, language: str = "nl") -> str:
    lines = [clause_heading(clause, language), _wrap(clause.text)]
    if language == "en":
        lines.append(_wrap("English: " + clause.text_en))
    lines.append(f"-- {texts.PROTOCOL_FOOTER}")
    return "\n".join(lines)


def _wrap(text: str) -> str:
    return "\n".join(textwrap.fill(p, 88) for p in text.split("\n"))


def answer_as_text(book: ClauseBook, match: Match) -> str:
    """How the command line shows a match to a person."""
    lang = texts.lang_of(match.language)
    related = "\n".join(f"  - {clause_heading(book[c], lang)}" for c in match.related)
    if match.status == "answer" and match.clause:
        answer = clause_as_text(book[match.clause], lang)
        return f"{answer}\n{texts.SECOND_QUESTION[lang]}\n{related}" if related else answer
    if match.status == "doubtful" and match.alternatives:
        options = "\n".join(f"  - {clause_heading(book[c], lang)}" for c in match.alternatives[:3])
        return f"{texts.DOUBTFUL[lang]}\n{options}"
    if related:  # refused, but the protocol says something just beside the question
        return f"{texts.NO_MATCH[lang]}\n{texts.NEARBY[lang]}\n{related}"
    return texts.NO_MATCH[lang]


def alert_as_text(alert: Alert, tz: tzinfo, labels: Mapping[int, str] | None = None) -> str:
    """An alert as the moderators' channel would show it, in plain text.

    `labels` names the channels and members the console knows by id; ids show only
    for what it does not know. Excerpts are shown as typed (no Discord escapes).
    """
    labels = labels or {}
    when = alert.updated_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    head = f"Melding #{alert.id} · {alert.title} ({alert.rule}) · {STATUS_LABELS[alert.status]}"
    member = labels.get(alert.member_id) or alert.member_label
    lines = [head, f"  Lid: {member}"]
    if alert.rule == "aanwijzing-2":
        field = texts.NAME_FIELDS.get(alert.name_field or "", alert.name_field or "naam")
        name = unescape_excerpt(alert.excerpt) if alert.excerpt else "(verlopen)"
        found = f" (gevonden: {alert.matched})" if alert.matched else ""
        lines.append(f"  Naam ({field}): {name}{found}")
    else:
        where = labels.get(alert.channel_id or 0) or (
            f"kanaal {alert.channel_id}" if alert.channel_id else "-"
        )
        lines.append(f"  Waar: {where}")
        if alert.excerpt:
            lines.append(f"  Bericht: {unescape_excerpt(alert.excerpt)}")
    if alert.detail:
        lines.append(f"  Reden: {texts.reason_text(alert.detail)}")
    lines.append(f"  Wanneer: {when} · aantal keer: {alert.count}")
    if alert.handled_by and alert.handled_at:
        handled = alert.handled_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
        who = labels.get(alert.handled_by, f"id {alert.handled_by}")
        lines.append(f"  {STATUS_LABELS[alert.status]} door {who} om {handled}")
    return "\n".join(lines)
