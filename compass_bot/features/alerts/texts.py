"""What the alerts feature says to moderators about an alert's state."""

from __future__ import annotations

ALERT_STATUS_EXPORT = {"open": "open", "resolved": "afgehandeld", "false_positive": "onterecht"}
