"""Operations: the bot's status for moderators (`/status`, the console's `/status`)."""
