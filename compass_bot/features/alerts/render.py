"""An alert as plain text: the console's moderators' channel."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo

from compass_bot.features.alerts.model import (
    EXPIRED_LABEL,
    STATUS_LABELS,
    Alert,
    unescape_excerpt,
)
from compass_bot.visible import for_terminal


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
    if alert.about_a_name:
        field = alert.name_field_label
        name = for_terminal(unescape_excerpt(alert.excerpt)) if alert.excerpt else EXPIRED_LABEL
        found = f" (gevonden: {alert.matched})" if alert.matched else ""
        lines.append(f"  Naam ({field}): {name}{found}")
    else:
        where = alert.where(lambda channel: labels.get(channel) or f"kanaal {channel}") or "-"
        lines.append(f"  Waar: {where}")
        if alert.excerpt:
            lines.append(f"  Bericht: {for_terminal(unescape_excerpt(alert.excerpt))}")
    if alert.detail:
        lines.append("  Reden: " + alert.reason().replace("\n", "\n    "))
    if alert.involved:
        names = ", ".join(labels.get(m) or f"id {m}" for m in alert.involved)
        lines.append(f"  Betrokken leden: {names}")
    lines.append(f"  Wanneer: {when} · aantal keer: {alert.count}")
    if alert.handled_by and alert.handled_at:
        handled = alert.handled_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
        who = labels.get(alert.handled_by, f"id {alert.handled_by}")
        lines.append(f"  {STATUS_LABELS[alert.status]} door {who} om {handled}")
    if alert.note_by and alert.note_at:
        noted = alert.note_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
        who = labels.get(alert.note_by, f"id {alert.note_by}")
        lines.append(f"  Notitie van {who} om {noted}: {alert.note or EXPIRED_LABEL}")
    return "\n".join(lines)
