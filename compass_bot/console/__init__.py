"""The offline console front end (see `console/app.py`)."""

from compass_bot.console.app import Console, ConsoleMember, run_console

__all__ = ["Console", "ConsoleMember", "run_console"]
