"""What a member sees when handling their interaction failed: one private line, never silence
and never a traceback; the failure itself goes to the log."""

from __future__ import annotations

import logging

import discord

FAILED = (
    "Er ging iets mis; probeer het later nog eens.\nSomething went wrong; please try again later."
)


async def answer_failure(
    interaction: discord.Interaction, error: BaseException, log: logging.Logger, what: str
) -> None:
    """Log the failure and tell the member privately (once, whether answered yet or not)."""
    log.error("%s failed", what, exc_info=error)
    try:
        if interaction.response.is_done():
            await interaction.followup.send(FAILED, ephemeral=True)
        else:
            await interaction.response.send_message(FAILED, ephemeral=True)
    except discord.HTTPException as exc:
        log.warning("could not tell the member that %s failed: %s", what, exc)
