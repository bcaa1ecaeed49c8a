"""What the alerts feature says to moderators about an alert's state."""

from __future__ import annotations

from compass_bot.features.alerts.model import STATUS_LABELS, STATUS_LABELS_EN
from compass_bot.texts import counted, quoted

ALERT_STATUS_EXPORT = {"open": "open", "resolved": "afgehandeld", "false_positive": "onterecht"}


def no_such_alert(alert_id: int) -> str:
    """An alert number with no alert (never made, or erased): one text for every action."""
    return f"Er is geen melding #{alert_id}. / There is no alert #{alert_id}."


def open_heading(total: int, page: int, pages: int, handled: bool = False) -> str:
    """The line above a page of open (or handled) alerts (`page` counts from 0)."""
    head = counted(total, "afgehandelde melding(en)" if handled else "open melding(en)")
    if pages > 1:
        head += f" (pagina {page + 1} van {pages}, nieuwste eerst)"
    return head + (":" if total else ".")


def more_open(older: int, command: str) -> str:
    """The line under a page of open alerts with older ones after it: how many, and the
    command that shows the next page."""
    return (
        f"Nog {counted(older, 'oudere melding(en)')}: {command} / "
        f"{counted(older, 'older alert(s)')}: {command}"
    )


def unknown_rule(typed: str, usage: str) -> str:
    """/meldingen open|afgehandeld with a kind no alert has: what was typed, quoted."""
    return f"Onbekende regel {quoted(typed)}. / Unknown rule {quoted(typed)}. {usage}"


def not_days(typed: str, usage: str) -> str:
    """/meldingen export with something that is no number of days."""
    return (
        f"{quoted(typed)} is geen aantal dagen. / {quoted(typed)} is not a number of days. {usage}"
    )


DAYS_OUT_OF_RANGE = (
    "Het aantal dagen moet tussen 1 en 3660 liggen. / "
    "The number of days must be between 1 and 3660. {usage}"
)

# Discord's /meldingen open|afgehandeld (an embed per page) and /meldingen export.
LIST_TITLE = {
    False: "Open meldingen / Open alerts",
    True: "Afgehandelde meldingen / Handled alerts",
}
LIST_EMPTY = {
    False: "Geen open meldingen. / No open alerts.",
    True: "Geen afgehandelde meldingen. / No handled alerts.",
}
LIST_FOOTER = "Pagina {page} van {pages} · nieuwste eerst / Page {page} of {pages} · newest first"
LIST_LINK = "melding / alert"
BAD_DATES = "Gebruik datums als 2026-11-24. / Use dates such as 2026-11-24."
EXPORTED = "Meldingen van {first} tot en met {last}. / Alerts from {first} to {last}."


def handled_by(status: str, by: int | None, when: str) -> str:
    """How a handled alert on Discord's list was handled, by whom, when: both languages'
    words for the state, then the moderator (a mention) and the time once."""
    return f"{STATUS_LABELS[status]} / {STATUS_LABELS_EN[status]}: <@{by}> {when}"
