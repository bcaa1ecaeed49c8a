"""What `/status` says: Dutch first, English second (figures only, nothing about members)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from compass_bot.features.operations.service import BotStatus
from compass_bot.texts import counted, for_count

REFUSED = "Alleen moderatoren en de schoolleiding kunnen de status van de bot bekijken."
REFUSED_EN = "Only moderators and leadership can see the bot's status."
UNREADABLE = "De status is nu niet te lezen. / The status cannot be read now: {detail}"
UNREADABLE_IN_DISCORD = (
    "De status is nu niet te lezen; de reden staat in het log van de bot. / The status "
    "cannot be read now; the reason is in the bot's log."
)


def status_text(status: BotStatus, tz: ZoneInfo, *, deliveries: bool = True) -> str:
    """The same figures as `python -m compass_bot status`, for a moderator. `deliveries`
    False: the alerts went to the console, whose message ids are no Discord time."""
    db = status.database
    if not deliveries:
        last = "- (console)"
    elif db.last_delivery is not None:
        last = db.last_delivery.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    else:
        last = "nog nooit / never"
    return "\n".join(
        (
            f"**compass-bot {db.version}**",
            f"Scholen / Schools: {', '.join(status.schools) or '-'}",
            f"Intents: {status.intents.describe(on='aan/on', off='uit/off')}",
            f"Outbox: {counted(db.pending_alerts, 'melding(en) wacht(en)')} / "
            f"{for_count('alert(s) waiting', db.pending_alerts)}",
            f"Laatste bezorging / Last delivery: {last}",
            f"Database: {db.database_bytes} bytes (schema {db.schema_version})",
        )
    )
