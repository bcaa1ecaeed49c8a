"""Discord's AutoMod beside the bot: its hits become alerts in the moderators' channel, and
`python -m compass_bot automod sync` keeps the protocol's plainest checks in AutoMod."""

from __future__ import annotations

import asyncio
import logging
import shlex
from typing import TYPE_CHECKING, Any

import aiohttp
import discord
from discord.ext import commands

from compass_bot.config import LoadedConfig
from compass_bot.discord_front.client import apply_endpoints
from compass_bot.discord_front.convert import find_member, member_of
from compass_bot.discord_front.runner import login_failure
from compass_bot.features.automod.rules import TRIGGER_MEMBER_PROFILE, RuleBody, planned_rules
from compass_bot.features.automod.service import AutoModHit, AutoModService
from compass_bot.model import Member

if TYPE_CHECKING:
    from compass_bot.discord_front.client import CompassBot

log = logging.getLogger("compass_bot.discord.automod")


class AutoModBridge(commands.Cog):
    def __init__(self, bot: CompassBot) -> None:
        self.bot = bot

    async def _rule(self, guild: discord.Guild, rule_id: int) -> discord.AutoModRule | None:
        try:
            return await guild.fetch_automod_rule(rule_id)
        except discord.HTTPException as exc:
            log.info("could not read AutoMod rule %s: %s", rule_id, exc)
            return None

    async def _member(self, guild: discord.Guild, user_id: int) -> Member:
        found = await find_member(guild, user_id)
        return member_of(found) if found is not None else Member(id=user_id, label=str(user_id))

    @commands.Cog.listener()
    async def on_automod_action(self, execution: discord.AutoModAction) -> None:
        """One alert per hit: Discord sends an execution per action of the rule, so only the
        rule's first action counts. The message content is never read or stored. Opt-in: a
        school without `automod.enabled` gets no alerts from AutoMod, even when the bot has
        Manage Server another way (an admin role, or another school of the board opted in)."""
        if not self.bot.app[AutoModService].settings.enabled:
            return
        guild = self.bot.find_guild()
        if guild is None or execution.guild_id != guild.id:
            return
        rule = await self._rule(guild, execution.rule_id)
        if rule is not None and rule.actions and rule.actions[0].type != execution.action.type:
            return
        hit = AutoModHit(
            member=await self._member(guild, execution.user_id),
            at=self.bot.app.clock.now(),
            guild_id=guild.id,
            rule_id=execution.rule_id,
            rule_name=rule.name if rule is not None else None,
            matched_keyword=execution.matched_keyword,
            channel_id=execution.channel_id,
            message_id=execution.message_id,
        )
        alert, _created = await self.bot.app[AutoModService].hit(hit)
        self.bot.outbox_wakeup.set()
        log.info("AutoMod hit on rule %s became alert %s", execution.rule_id, alert and alert.id)


async def setup(bot: CompassBot) -> None:
    await bot.add_cog(AutoModBridge(bot))


# -- automod sync ------------------------------------------------------------------------------


class SyncError(Exception):
    """A sync that cannot go on: one line for the admin."""


def _reinvite(loaded: LoadedConfig) -> str:
    """How the admin gives the bot Manage Server: the invite with what the config needs."""
    school = f" --school {shlex.quote(loaded.school)}" if loaded.school else ""
    return f"re-invite the bot with the link `python -m compass_bot invite-url{school}` prints"


def sync_refused(loaded: LoadedConfig) -> str | None:
    """AutoMod is opt-in: a sync for a school that has not opted in is refused (one line),
    since its invite asks no Manage Server and its hits would not become alerts."""
    if loaded.config.automod.enabled:
        return None
    return (
        "automod.enabled is false: set automod.enabled: true in the config, then "
        f"{_reinvite(loaded)} (it adds Manage Server)"
    )


def _payload(body: RuleBody) -> dict[str, Any]:
    return {
        "name": body.name,
        "event_type": body.event_type,
        "trigger_type": body.trigger_type,
        "trigger_metadata": body.trigger_metadata(),
        "actions": [dict(a) for a in body.actions],
        "enabled": True,
    }


async def _guild(client: discord.Client, ref: int | str | None) -> discord.Guild:
    if isinstance(ref, int):
        return await client.fetch_guild(ref)
    guilds = [g async for g in client.fetch_guilds(limit=200)]
    if ref is None and len(guilds) == 1:
        return await client.fetch_guild(guilds[0].id)
    for partial in guilds:
        if ref is not None and partial.name.casefold() == ref.casefold():
            return await client.fetch_guild(partial.id)
    raise SyncError(
        f"the bot is not in a server named {ref!r}" if ref else "set discord.guild in the config"
    )


async def sync_rules(loaded: LoadedConfig, token: str, lines: list[str]) -> list[str]:
    """Create or update the planned rules, found by name: a second sync updates, never
    duplicates. Adds one line per rule done to `lines` (also those done before a failure);
    raises SyncError or discord errors."""
    config = loaded.config
    apply_endpoints(config.discord)
    planned = planned_rules(config.automod.name_keywords, config.names.allowed_words)
    client = discord.Client(intents=discord.Intents.none())
    async with client:
        await client.login(token)
        guild = await _guild(client, config.discord.guild)
        http = client.http
        existing = await http.get_auto_moderation_rules(guild.id)
        by_name = {r["name"]: r for r in existing}
        for body in planned:
            payload = _payload(body)
            found = by_name.get(body.name)
            if found is not None:
                payload.pop("trigger_type")  # immutable; the name says it is ours
                await http.edit_auto_moderation_rule(
                    guild.id, found["id"], reason="compass-bot automod sync", **payload
                )
                lines.append(f"updated: {body.name}")
                continue
            other = next((r for r in existing if r.get("trigger_type") == body.trigger_type), None)
            if body.trigger_type == TRIGGER_MEMBER_PROFILE and other is not None:
                lines.append(
                    f"skipped: {body.name} (the server already has the member-profile rule "
                    f"{other['name']!r}; Discord allows one)"
                )
                continue
            await http.create_auto_moderation_rule(
                guild.id, reason="compass-bot automod sync", **payload
            )
            lines.append(f"created: {body.name}")
        return lines


def run_sync(loaded: LoadedConfig, token: str) -> tuple[list[str], str | None]:
    """`automod sync` for the command line: its lines, and one line for a failure (no
    traceback)."""
    lines: list[str] = []
    try:
        return asyncio.run(sync_rules(loaded, token, lines)), None
    except SyncError as exc:
        return lines, str(exc)
    except discord.LoginFailure:
        return lines, "Discord refused the token (DISCORD_TOKEN)"
    except discord.Forbidden:
        return lines, f"the bot needs Manage Server to manage AutoMod rules: {_reinvite(loaded)}"
    except discord.HTTPException as exc:
        return lines, f"Discord answered {exc.status}: {exc.text[:200]}"
    except (aiohttp.ClientError, OSError, TimeoutError) as exc:
        return lines, login_failure(exc, loaded.config.discord.api_base_url)
