"""What the alerts feature says to moderators about an alert's state."""

from __future__ import annotations

from compass_bot.texts import counted

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
