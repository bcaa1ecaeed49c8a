"""How the running bot logs: plain lines (colour only at a terminal) or one JSON object a line
for log collectors, and never a secret, whatever a library puts in a message.

discord.py's own set-up colours whenever it guesses it runs in Docker, so a collector or
`docker logs` file would be full of escape codes: this module decides from the stream alone.
What the bot logs never holds message text by construction (the features log ids and
lengths); the filter here is the second lock for the token.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Literal, TextIO

from compass_bot.inputs import json_line

LogFormat = Literal["text", "json"]
LOG_FORMATS: tuple[LogFormat, ...] = ("text", "json")
PLAIN = "%(asctime)s %(levelname)-8s %(name)s: %(message)s"
REDACTED = "[redacted]"


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, and the traceback
    as one string field, so a multi-line traceback stays one record for the collector."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        return json_line(entry)  # one record, one line, for any log reader


class RedactSecrets(logging.Filter):
    """Replaces each secret (the token) in a record's message and traceback before any
    formatter sees it."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)

    def _clean(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        cleaned = self._clean(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = self._clean(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def setup_logging(
    log_format: LogFormat,
    *,
    secrets: Iterable[str] = (),
    level: int = logging.INFO,
    stream: TextIO | None = None,
    colour: logging.Formatter | None = None,
) -> logging.Handler:
    """Send the root logger's records to `stream` (stderr) in `log_format`; `colour` is used
    for text only when the stream is a terminal."""
    out = stream if stream is not None else sys.stderr
    handler = logging.StreamHandler(out)
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    elif colour is not None and out.isatty():
        handler.setFormatter(colour)
    else:
        handler.setFormatter(logging.Formatter(PLAIN))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.setLevel(level)
    root.addHandler(handler)
    return handler
