"""The Discord token: from the environment or a .env file, never from the config, never logged."""

from __future__ import annotations

import io
import logging
import os
import re
from pathlib import Path
from typing import Final

from dotenv import dotenv_values

from compass_bot.config.loading import PROJECT_ROOT, ConfigError
from compass_bot.inputs import InputError, read_bounded

TOKEN_ENV = "DISCORD_TOKEN"
MAX_ENV_BYTES: Final = 64 << 10
# a line that sets the token, as python-dotenv reads one (`export` allowed)
_TOKEN_LINE: Final = re.compile(rf"^[ \t]*(?:export[ \t]+)?{TOKEN_ENV}[ \t]*=", re.MULTILINE)


def read_env_file(path: Path) -> dict[str, str]:
    """The variables of a .env file, read by python-dotenv (comments, quotes, `export`, a BOM
    and CRLF as Notepad saves them). A missing file is empty; an unreadable one a ConfigError
    that never shows the file's contents."""
    try:
        text = read_bounded(path, MAX_ENV_BYTES).decode("utf-8-sig")
    except FileNotFoundError:
        return {}
    except InputError as exc:
        raise ConfigError([f"{path}: {exc}"]) from None
    except UnicodeDecodeError:
        raise ConfigError([f"{path}: not UTF-8 text (save it as UTF-8)"]) from None
    parser = logging.getLogger("dotenv.main")  # its warning for a bad line, said here instead
    was_disabled, parser.disabled = parser.disabled, True
    try:
        values = dotenv_values(stream=io.StringIO(text))
    finally:
        parser.disabled = was_disabled
    found = {key: value for key, value in values.items() if value is not None}
    if TOKEN_ENV not in found and (line := _TOKEN_LINE.search(text)) is not None:
        number = text.count("\n", 0, line.start()) + 1
        raise ConfigError(
            [f"{path}: line {number}: {TOKEN_ENV} cannot be read (a quote left open?)"]
        )
    return found


def discord_token(env_file: Path | None = None) -> str | None:
    """The bot token: $DISCORD_TOKEN, else DISCORD_TOKEN in ./.env. Never logged.

    Raises ConfigError (one line, no contents) when a .env file exists but cannot be read.
    """
    token = os.environ.get(TOKEN_ENV, "").strip()
    if token:
        return token
    candidates = [env_file] if env_file else [Path.cwd() / ".env", PROJECT_ROOT / ".env"]
    for candidate in candidates:
        if candidate is not None:
            value = read_env_file(candidate).get(TOKEN_ENV, "").strip()
            if value:
                return value
    return None
