"""The bot's configuration: one YAML file, validated by pydantic models.

A school admin edits this file by hand, so every mistake must come back as one readable
line naming the file and the key, never as a traceback. The Discord token is deliberately
not part of it: it comes from the environment only (see `discord_token`). The names stay
importable from here.
"""

from compass_bot.config.envfile import TOKEN_ENV, discord_token, read_env_file
from compass_bot.config.loading import (
    CONFIG_ENV,
    PROJECT_ROOT,
    ConfigError,
    find_config_path,
    load_config,
    parse_config,
    parse_loaded,
)
from compass_bot.config.model import (
    ChannelSettings,
    Config,
    ConsoleSettings,
    DiscordSettings,
    LoadedConfig,
    RoleSettings,
    StorageSettings,
)
from compass_bot.config.notices import config_warnings
from compass_bot.config.targets import check_targets, database_problem
from compass_bot.features.alerts.settings import AlertSettings

__all__ = [
    "CONFIG_ENV",
    "PROJECT_ROOT",
    "TOKEN_ENV",
    "AlertSettings",
    "ChannelSettings",
    "Config",
    "ConfigError",
    "ConsoleSettings",
    "DiscordSettings",
    "LoadedConfig",
    "RoleSettings",
    "StorageSettings",
    "check_targets",
    "config_warnings",
    "database_problem",
    "discord_token",
    "find_config_path",
    "load_config",
    "parse_config",
    "parse_loaded",
    "read_env_file",
]
