"""Questions about the protocol: /vraag (/ask), mentions, DMs and the questions channel."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from compass_bot import texts
from compass_bot.discord_front.convert import member_of
from compass_bot.discord_front.embeds import clause_embed, clause_title
from compass_bot.service import Answer, QuestionAsked, Refusal

if TYPE_CHECKING:
    from compass_bot.discord_front.client import CompassBot


class ShowClauseButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"clause:show:(?P<id>[a-z0-9-]+)"
):
    """A 'Bedoel je ...?' choice: shows that clause. Survives restarts (id in the custom id)."""

    def __init__(self, clause_id: str, label: str = "") -> None:
        super().__init__(
            discord.ui.Button(
                label=(label or clause_id)[:80],
                style=discord.ButtonStyle.secondary,
                custom_id=f"clause:show:{clause_id}",
            )
        )
        self.clause_id = clause_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ShowClauseButton:
        return cls(match["id"])

    async def callback(self, interaction: discord.Interaction) -> None:
        bot: CompassBot = interaction.client  # type: ignore[assignment]
        clause = bot.service.book.get(self.clause_id)
        if clause is None:
            await interaction.response.send_message("Die regel bestaat niet meer.", ephemeral=True)
            return
        await interaction.response.send_message(
            embed=clause_embed(clause), view=FeedbackView(clause.id), ephemeral=True
        )


class FeedbackButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"feedback:(?P<vote>up|down):(?P<id>[a-z0-9-]+)",
):
    """Thumbs up / down under an answer; unhelpful answers are kept for policy_text/ editors."""

    def __init__(self, vote: str, clause_id: str) -> None:
        super().__init__(
            discord.ui.Button(
                emoji="👍" if vote == "up" else "👎",
                style=discord.ButtonStyle.secondary,
                custom_id=f"feedback:{vote}:{clause_id}",
            )
        )
        self.vote = vote
        self.clause_id = clause_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> FeedbackButton:
        return cls(match["vote"], match["id"])

    async def callback(self, interaction: discord.Interaction) -> None:
        bot: CompassBot = interaction.client  # type: ignore[assignment]
        question = ""
        if interaction.message and interaction.message.embeds:
            for embed_field in interaction.message.embeds[0].fields:
                if embed_field.name in ("Je vraag", "Your question"):
                    question = embed_field.value or ""
        await bot.service.feedback(question, self.clause_id, self.vote == "up", datetime.now(UTC))
        lang = "en" if question and bot.service.matcher.match(question).language == "en" else "nl"
        await interaction.response.send_message(texts.FEEDBACK_THANKS[lang], ephemeral=True)


class FeedbackView(discord.ui.View):
    def __init__(self, clause_id: str) -> None:
        super().__init__(timeout=None)
        self.add_item(FeedbackButton("up", clause_id))
        self.add_item(FeedbackButton("down", clause_id))


class SuggestionView(discord.ui.View):
    def __init__(self, answer: Answer) -> None:
        super().__init__(timeout=None)
        for clause in answer.suggestions[:3]:
            self.add_item(ShowClauseButton(clause.id, clause_title(clause, answer.language)))


def render_answer(answer: Answer, question: str) -> dict[str, Any]:
    """Keyword arguments for send/reply: an embed with feedback, a 'Bedoel je', or a message."""
    if answer.status == "answer" and answer.clause is not None:
        content = texts.TRUNCATED_NOTE[texts.lang_of(answer.language)] if answer.truncated else None
        return {
            "content": content,
            "embed": clause_embed(answer.clause, answer.language, question),
            "view": FeedbackView(answer.clause.id),
        }
    if answer.status == "doubtful":
        return {"content": answer.message, "view": SuggestionView(answer)}
    return {"content": answer.message}


class Questions(commands.Cog):
    """Answers questions wherever they are asked; never pings anyone."""

    def __init__(self, bot: CompassBot) -> None:
        self.bot = bot

    async def answer(
        self, user: discord.User | discord.Member, question: str
    ) -> tuple[Answer, dict[str, Any]]:
        now = datetime.now(UTC)
        answer = self.bot.service.ask(QuestionAsked(question, user.id, now))
        await self.bot.service.remember_question(answer, question, now)
        return answer, render_answer(answer, question[:200])

    @app_commands.command(
        name=_("vraag"), description=_("Stel een vraag over het protocol sociale media")
    )
    @app_commands.describe(vraag=_("Je vraag, bijvoorbeeld: mag ik in de les op TikTok?"))
    async def vraag(
        self, interaction: discord.Interaction, vraag: app_commands.Range[str, 1, 1000]
    ) -> None:
        answer, kwargs = await self.answer(interaction.user, vraag)
        ephemeral = answer.status == "rate_limited"
        await interaction.response.send_message(ephemeral=ephemeral, **kwargs)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or self.bot.user is None:
            return
        in_dm = message.guild is None
        if not in_dm and not self.bot.in_school_guild(message.guild):
            return
        mentioned = self.bot.user in message.mentions
        in_channel = (
            not in_dm
            and "questions_channel" not in self.bot.setup.disabled
            and self.bot.setup.questions_channel_id is not None
            and message.channel.id == self.bot.setup.questions_channel_id
        )
        if not (in_dm or mentioned or in_channel):
            return
        question = re.sub(rf"<@!?{self.bot.user.id}>", " ", message.content).strip()
        _answer, kwargs = await self.answer(message.author, question)
        try:
            await message.reply(**kwargs)
        except discord.HTTPException:
            await message.channel.send(**kwargs)

    protocol = app_commands.Group(name=_("protocol"), description=_("Het protocol sociale media"))

    @protocol.command(name=_("lijst"), description=_("Alle regels van het protocol"))
    async def protocol_lijst(self, interaction: discord.Interaction) -> None:
        lines = [f"`{c.id}` {clause_title(c)}" for c in self.bot.service.book]
        embed = discord.Embed(
            title="Protocol sociale media (1.10)", description="\n".join(lines)[:4000]
        )
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @protocol.command(name=_("regel"), description=_("Toon een regel van het protocol"))
    async def protocol_regel(self, interaction: discord.Interaction, regel: str) -> None:
        book = self.bot.service.book
        clause = book.get(regel) or next(iter(book.search_titles(regel, 1)), None)
        if clause is None:
            await interaction.response.send_message(
                f"Geen regel '{discord.utils.escape_markdown(regel[:100])}'. Zie /protocol lijst.",
                ephemeral=True,
            )
            return
        await interaction.response.send_message(
            embed=clause_embed(clause), view=FeedbackView(clause.id)
        )

    @protocol_regel.autocomplete("regel")
    async def _regel_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=f"{c.id}: {c.title}"[:100], value=c.id)
            for c in self.bot.service.book.search_titles(current, 25)
        ]

    @protocol.command(
        name=_("onbeantwoord"),
        description=_("Vragen die de bot niet kon beantwoorden (moderatoren)"),
    )
    async def protocol_onbeantwoord(self, interaction: discord.Interaction) -> None:
        result = await self.bot.service.unanswered(member_of(interaction.user))
        if isinstance(result, Refusal):
            await interaction.response.send_message(result.message, ephemeral=True)
            return
        if not result:
            await interaction.response.send_message(
                "Er zijn geen onbeantwoorde of niet-nuttige vragen.", ephemeral=True
            )
            return
        lines = [
            f"`{q.kind}` {discord.utils.escape_markdown(q.question[:150])}"
            + (f" → `{q.clause_id}`" if q.clause_id else "")
            for q in result
        ]
        await interaction.response.send_message("\n".join(lines)[:1900], ephemeral=True)


async def setup(bot: CompassBot) -> None:
    bot.add_dynamic_items(ShowClauseButton, FeedbackButton)
    await bot.add_cog(Questions(bot))
