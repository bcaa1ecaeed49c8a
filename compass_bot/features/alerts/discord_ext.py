"""Moderator alerts on Discord: the extension that loads the outbox's delivery, the buttons
under each alert and the moderators' commands (one module per idea, named `discord_*.py`).

The names other features use (`AlertAction`, `add_alert_action`, `alert_view`,
`moderators_channel`) stay importable from here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from compass_bot.features.alerts.discord_actions import (
    ALERT_ACTIONS,
    AlertAction,
    AlertButton,
    add_alert_action,
    alert_view,
)
from compass_bot.features.alerts.discord_commands import Alerts, OpenAlertsView, open_alerts_page
from compass_bot.features.alerts.discord_delivery import (
    AlertDelivery,
    moderators_channel,
    texts_summary,
)

if TYPE_CHECKING:
    from compass_bot.discord_front.client import CompassBot

__all__ = [
    "ALERT_ACTIONS",
    "AlertAction",
    "AlertButton",
    "AlertDelivery",
    "Alerts",
    "OpenAlertsView",
    "add_alert_action",
    "alert_view",
    "moderators_channel",
    "open_alerts_page",
    "texts_summary",
]


async def setup(bot: CompassBot) -> None:
    # This extension loads first; the features' own buttons are added by their setup after it,
    # so the table holds the actions of the features this bot loaded (as a fresh module did).
    ALERT_ACTIONS.clear()
    bot.add_dynamic_items(AlertButton)
    await bot.add_cog(AlertDelivery(bot))
    await bot.add_cog(Alerts(bot))
