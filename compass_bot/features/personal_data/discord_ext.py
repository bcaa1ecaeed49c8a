"""Other people's data on Discord: posts and edits screened (aanwijzing-6), and /tweedeblik, a
private second look at a draft before posting (aanwijzing-7).

The data is never repeated where others can see it, and never logged: the author gets a DM
naming the kind of data (or a short self-deleting reply when DMs are closed), the moderators an
alert with the data masked. A draft given to /tweedeblik is answered ephemerally and kept
nowhere.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands, ui
from discord.app_commands import locale_str as _
from discord.ext import commands

from compass_bot import texts as shared_texts
from compass_bot.discord_front.convert import member_of
from compass_bot.discord_front.embeds import MAX_FIELD, clause_title, clip, warning_embed
from compass_bot.discord_front.failures import answer_failure
from compass_bot.discord_front.once import SaidOnce, remove_post
from compass_bot.discord_front.translator import language_of
from compass_bot.discord_front.warn import warn_author
from compass_bot.features.personal_data import texts
from compass_bot.features.personal_data.service import (
    MAX_DRAFT,
    DataOutcome,
    PersonalDataService,
    SecondLook,
)
from compass_bot.model import MessagePosted, Refusal

if TYPE_CHECKING:
    from compass_bot.clock import Clock
    from compass_bot.discord_front.client import CompassBot
    from compass_bot.discord_front.screening import Post, PostAction
    from compass_bot.features.personal_data.rules import Finding

log = logging.getLogger("compass_bot.discord.personal_data")
FALLBACK_SECONDS = 30.0
LOOK_COLOUR = 0x16A085


def _clip(text: str) -> str:
    return clip(text, MAX_FIELD)


class PersonalData(commands.Cog):
    def __init__(self, bot: CompassBot) -> None:
        self.bot = bot
        self._cannot_hide = SaidOnce()  # channels logged as "may not delete", until it may

    @property
    def service(self) -> PersonalDataService:
        return self.bot.app[PersonalDataService]

    def check_post(self, post: Post) -> PostAction | None:
        """The screening's check (`Feature.post_check`) of a post or an edit (data added
        later counts as posted then). Without the Message Content intent posts come without
        text, so the rule is off (said once at start-up) rather than screening blanks. The
        screening is in memory; only findings return the action."""
        if post.channel is None or not self.bot.reads_content:
            return None
        service = post.app[PersonalDataService]
        findings = service.found(post.message.content)  # in memory: the common path ends here
        if not findings:
            return None
        event = post.event  # `service.screen`'s second step: staff and exempt channels
        if event is None or not service.applies(event):
            return None
        return self._act(post.message, event, service, findings)

    async def _act(
        self,
        message: discord.Message,
        event: MessagePosted,
        service: PersonalDataService,
        findings: tuple[Finding, ...],
    ) -> None:
        """Findings: warn, alert and maybe hide."""
        outcome = await service.message_posted(event, findings)
        if outcome.alert is not None:
            self.bot.outbox_wakeup.set()
        if outcome.warning is None:
            return  # an edit that added nothing new: already dealt with
        deleted = (
            await remove_post(message, self._cannot_hide, log, "personal_data.action is hide")
            if outcome.hide
            else False
        )
        await self.warn(message, outcome, deleted=deleted)

    async def warn(self, message: discord.Message, outcome: DataOutcome, *, deleted: bool) -> None:
        """DM the warning; with DMs closed, a short reply in the channel that removes itself.

        Neither names the data itself, only its kind; neither can ping anyone. A hidden post's
        author gets their text back in the DM with the data masked, to post it again."""
        warning = outcome.warning
        assert warning is not None
        embed = warning_embed(warning)
        if deleted:
            embed.add_field(
                name="\u200b",
                value=_clip(
                    f"{texts.POST_HIDDEN}\n{discord.utils.escape_markdown(outcome.masked)}"
                ),
                inline=False,
            )
        fallback = (
            warning.short(texts.POST_HIDDEN_SHORT, texts.POST_HIDDEN_SHORT_EN)
            if deleted
            else warning.short()
        )
        await warn_author(
            self.bot, message, embed, fallback, deleted=deleted, keep_for=FALLBACK_SECONDS
        )

    # -- /tweedeblik ---------------------------------------------------------------------------

    @app_commands.command(
        name=_("tweedeblik", en="second-look"),
        description=_(
            "Kijk privé naar je concept: gegevens van anderen, punten van het protocol, lestijd",
            en="Check your draft privately: other people's data, protocol points, lesson time",
        ),
    )
    async def tweedeblik(self, interaction: discord.Interaction) -> None:
        language = language_of(interaction)
        await interaction.response.send_modal(
            DraftModal(self.service, language, self.bot.app.clock)
        )


def second_look_embed(look: SecondLook) -> discord.Embed:
    """The answer to a draft, for its author only: the verdict, the masked draft, the clauses
    it touches (id and title), posting it now in a social channel, and aanwijzing-7 verbatim
    (with its English rendering for an English client)."""
    lang = look.language
    found = bool(look.kinds)
    embed = discord.Embed(
        title=texts.SECOND_LOOK_TITLE[lang],
        description=look.verdict,
        colour=0xE67E22 if found else LOOK_COLOUR,
    )
    if look.masked:
        embed.add_field(
            name=texts.SECOND_LOOK_LABEL[lang],
            value=_clip(discord.utils.escape_markdown(look.masked)),
            inline=False,
        )
    if look.touches:
        embed.add_field(
            name=texts.SECOND_LOOK_CLAUSES[lang],
            value=_clip("\n".join(f"• {line}" for line in look.touched_lines())),
            inline=False,
        )
    if look.timing:
        embed.add_field(name=texts.SECOND_LOOK_TIMING[lang], value=_clip(look.timing), inline=False)
    clause = look.clause
    embed.add_field(
        name=clause_title(clause, lang),
        value=_clip(clause.text_en if lang == "en" else clause.text),
        inline=False,
    )
    embed.set_footer(
        text=f"{shared_texts.PROTOCOL_FOOTER} · {clause.id} · {texts.SECOND_LOOK_STORED[lang]}"
    )
    return embed


class DraftModal(ui.Modal):
    """One text input for the draft; the answer is ephemeral and nothing is kept."""

    def __init__(self, service: PersonalDataService, language: str, clock: Clock) -> None:
        super().__init__(title=texts.SECOND_LOOK_TITLE[language], timeout=15 * 60)
        self.service = service
        self.language = language
        self.clock = clock
        self.draft: ui.TextInput[Any] = ui.TextInput(
            custom_id="draft",
            style=discord.TextStyle.paragraph,
            max_length=MAX_DRAFT,
            required=True,
        )
        self.add_item(
            ui.Label(
                text=texts.SECOND_LOOK_LABEL[language],
                description=texts.SECOND_LOOK_HINT[language],
                component=self.draft,
            )
        )

    async def on_error(  # type: ignore[override]  # Modal narrows BaseView's signature
        self, interaction: discord.Interaction, error: Exception, /
    ) -> None:
        """A failure answers privately once, and is logged (never a silent form)."""
        await answer_failure(interaction, error, log, "a second look")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        look = self.service.second_look(
            self.draft.value, self.language, member_of(interaction.user), self.clock.now()
        )
        if isinstance(look, Refusal):
            await interaction.response.send_message(look.message, ephemeral=True)
            return
        await interaction.response.send_message(embed=second_look_embed(look), ephemeral=True)


async def setup(bot: CompassBot) -> None:
    await bot.add_cog(PersonalData(bot))
