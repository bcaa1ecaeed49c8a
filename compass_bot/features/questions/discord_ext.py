"""Questions about the protocol: /vraag (/ask), mentions, DMs, the questions channel and the
message menu "Vraag aan het protocol" (English: "Ask the protocol").

Every surface goes through `Questions.answer` (the service decides; this file renders).
Answers never ping: the bot's default is `AllowedMentions.none()`, and replies in channels
reference the question without mentioning its author.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from compass_bot import texts
from compass_bot.discord_front.addressed import may_be_addressed
from compass_bot.discord_front.convert import MEMBER_POSTS, member_of
from compass_bot.discord_front.embeds import ANSWER_COLOUR, clause_embed, clause_title
from compass_bot.discord_front.schools import acting_for
from compass_bot.discord_front.translator import language_of
from compass_bot.features.questions import texts as question_texts
from compass_bot.features.questions.service import (
    Answer,
    QuestionAsked,
    QuestionService,
    clause_named,
)
from compass_bot.model import Refusal

if TYPE_CHECKING:
    from compass_bot.discord_front.client import CompassBot
    from compass_bot.discord_front.screening import Post, PostAction

log = logging.getLogger("compass_bot.discord.questions")

# The embed field that carries the question (written by embeds.clause_embed). Buttons read
# it back, so a click after a restart still knows the question and its language.
QUESTION_FIELD = {"nl": "Je vraag", "en": "Your question"}
SHOWN_QUESTION = 200  # characters of the question echoed under an answer
LIST_LIMIT = 1900
NO_QUESTION_TEXT = "(zonder vraag)"
# the posts answered: what members type, as the screening's conversion reads them
_ANSWERED_TYPES = MEMBER_POSTS
_MARKDOWN_ESCAPE = re.compile(r"\\([\\*_`~|>#\[\]()-])")


def asked_on(message: discord.Message | None) -> tuple[str, str]:
    """The question shown on one of the bot's messages, and the language it was asked in."""
    if message is not None:
        for embed in message.embeds:
            for embed_field in embed.fields:
                for lang, name in QUESTION_FIELD.items():
                    if embed_field.name == name:
                        # The field is escaped for display; store what the member typed.
                        return _MARKDOWN_ESCAPE.sub(r"\1", embed_field.value or ""), lang
    return "", "nl"


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
        """The clause in the asker's language, with the question, so feedback can keep it.

        A private 'Bedoel je' (slash command) turns into the answer; a public one stays for
        others, and the clicker gets the clause privately."""
        bot: CompassBot = interaction.client  # type: ignore[assignment]
        clause = bot.app.book.get(self.clause_id)
        if clause is None:
            await interaction.response.send_message(question_texts.NO_SUCH_CLAUSE, ephemeral=True)
            return
        question, lang = asked_on(interaction.message)
        embed = clause_embed(clause, lang, question or None)
        view = FeedbackView(clause.id)
        source = interaction.message
        if source is not None and source.flags.ephemeral:
            await interaction.response.edit_message(content=None, embed=embed, view=view)
        else:
            await interaction.response.send_message(embed=embed, view=view, ephemeral=True)


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
        """One vote per member and answer, a changed vote replacing the earlier one (the
        service's rule, as in the console); the question text only, never who."""
        bot: CompassBot = interaction.client  # type: ignore[assignment]
        question, lang = asked_on(interaction.message)
        if bot.app.book.get(self.clause_id) is None:  # a forged custom id
            await interaction.response.send_message(question_texts.NO_SUCH_CLAUSE, ephemeral=True)
            return
        message_id = interaction.message.id if interaction.message else 0
        await bot.app[QuestionService].vote(
            f"discord:{message_id}",
            interaction.user.id,
            question,
            self.clause_id,
            self.vote == "up",
            bot.app.clock.now(),
        )
        await interaction.response.send_message(
            question_texts.FEEDBACK_THANKS[lang], ephemeral=True
        )


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


def suggestion_embed(answer: Answer, question: str) -> discord.Embed:
    """The suggestions in full (button labels are cut at 80) and the question, for the click."""
    lang = texts.lang_of(answer.language)
    embed = discord.Embed(
        description="\n".join(f"• {clause_title(c, lang)}" for c in answer.suggestions[:3]),
        colour=ANSWER_COLOUR,
    )
    shown = discord.utils.escape_markdown(question)
    if len(shown) > SHOWN_QUESTION:
        shown = shown[: SHOWN_QUESTION - 1] + "…"
    embed.add_field(name=QUESTION_FIELD[lang], value=shown, inline=False)
    embed.set_footer(text=texts.PROTOCOL_FOOTER)
    return embed


def render_answer(answer: Answer, question: str) -> dict[str, Any]:
    """Keyword arguments for send/reply: an embed with feedback, a 'Bedoel je', or a message.

    A question that was cut short says so, whatever the outcome."""
    note = (
        question_texts.TRUNCATED_NOTE[texts.lang_of(answer.language)] if answer.truncated else None
    )
    if answer.status == "answer" and answer.clause is not None:
        return {
            "content": note,
            "embed": clause_embed(answer.clause, answer.language, question, extra=answer.extras()),
            "view": FeedbackView(answer.clause.id),
        }
    nearby = "\n".join(f"{label}\n{text}".strip() for label, text in answer.extras())
    content = "\n".join(part for part in (answer.message, nearby, note) if part)
    if answer.status == "doubtful" and answer.suggestions and question:
        return {
            "content": content,
            "embed": suggestion_embed(answer, question),
            "view": SuggestionView(answer),
        }
    return {"content": content}


class Questions(commands.Cog):
    """Answers questions wherever they are asked; never pings anyone."""

    def __init__(self, bot: CompassBot) -> None:
        self.bot = bot
        # (school, member id) -> when they were last told: each school keeps its own rate
        self._slowed: dict[tuple[str, int], datetime] = {}
        self.ask_menu = app_commands.ContextMenu(
            name=_("Vraag aan het protocol", en="Ask the protocol"), callback=self.ask_about
        )
        self.ask_menu.guild_only = True

    async def cog_load(self) -> None:
        """Build the matcher's index at start, so the first question is not the one that
        waits for it."""
        for _school in self.bot.each_school():
            _ = self.bot.app[QuestionService].matcher
        self.bot.tree.add_command(self.ask_menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.ask_menu.name, type=self.ask_menu.type)

    async def answer(
        self,
        user: discord.User | discord.Member,
        question: str,
        remember: bool = True,
        theirs: bool = True,
    ) -> tuple[Answer, dict[str, Any]]:
        """`remember=False`: not kept among the unanswered questions (a DM from someone in
        none of the schools' servers). `theirs=False` for text the asker did not write (the
        message menu on another member's post): not kept, and not echoed under the answer
        either (a 👎 would store it); the answer names it as another member's post."""
        now = self.bot.app.clock.now()
        answer = self.bot.app[QuestionService].ask(QuestionAsked(question, user.id, now))
        if remember and theirs:
            await self.bot.app[QuestionService].remember_question(answer, question, now)
        if theirs:
            # One character more than is shown, so a cut question ends in '…'.
            shown = self.bot.app[QuestionService].shown(question)[: SHOWN_QUESTION + 1]
        else:
            shown = question_texts.SOMEONE_ELSES_POST[texts.lang_of(answer.language)]
        return answer, render_answer(answer, shown)

    def first_slow_down(self, member_id: int, now: datetime) -> bool:
        """Say 'slow down' once per window: answering every extra message would be spam too.
        Per school, as its rate limit is (a member of two schools' servers is told in each)."""
        window = timedelta(seconds=self.bot.loaded.config.questions.rate_limit_seconds)
        key = (self.bot.school.name, member_id)
        last = self._slowed.get(key)
        if last is not None and now - last < window:
            return False
        self._slowed = {k: t for k, t in self._slowed.items() if now - t < window}
        self._slowed[key] = now
        return True

    @app_commands.command(
        name=_("vraag"), description=_("Stel een vraag over het protocol sociale media")
    )
    @app_commands.rename(vraag=_("vraag", en="question"))
    @app_commands.describe(vraag=_("Je vraag, bijvoorbeeld: mag ik in de les op TikTok?"))
    async def vraag(
        self, interaction: discord.Interaction, vraag: app_commands.Range[str, 1, 1000]
    ) -> None:
        """A clause is answered for all to see; anything else concerns only the asker."""
        answer, kwargs = await self.answer(interaction.user, vraag)
        ephemeral = answer.status != "answer"
        await interaction.response.send_message(ephemeral=ephemeral, **kwargs)

    async def ask_about(self, interaction: discord.Interaction, message: discord.Message) -> None:
        """Any message as a question, answered as /vraag answers it but always privately:
        the message may be someone else's. Its text comes in the interaction's resolved
        data, so this works without the Message Content intent too."""
        # A message addressed to the bot loses the bot's mention, as when it was posted.
        question = self.bot.question_in(message)
        if question is None:
            question = message.content.strip()
        if not question:
            await interaction.response.send_message(question_texts.NO_TEXT_TO_ASK, ephemeral=True)
            return
        # Another member's post is not kept among the unanswered questions: a student may
        # right-click a hurtful post, and its text is not the asker's to hand over.
        own = message.author.id == interaction.user.id
        _answer, kwargs = await self.answer(interaction.user, question, theirs=own)
        await interaction.response.send_message(ephemeral=True, **kwargs)

    def check_post(self, post: Post) -> PostAction | None:
        """The screening's check (`Feature.post_check`): a new post addressed to the bot
        (`CompassBot.question_in`) is a question; only a question returns the action."""
        message = post.message
        if post.edited:
            return None
        if post.channel is not None:  # a member's post in the school's server (`Post`)
            if not may_be_addressed(message, post.school.setup):
                return None  # most posts: `question_in` would say so, at a higher cost
            in_dm = False
        else:
            if message.author.bot or message.type not in _ANSWERED_TYPES:
                return None
            in_dm = message.guild is None
            if not in_dm and not self.bot.in_school_guild(message.guild):
                return None
        question = self.bot.question_in(message, post.school.setup)
        if question is None:
            return None
        if not question and not self.bot.reads_content:
            return None  # a post in the questions channel whose text Discord withheld
        return self._answer_post(message, question, in_dm)

    async def _answer_post(self, message: discord.Message, question: str, in_dm: bool) -> None:
        """Answer a question posted to the bot, for the asker's school."""
        if in_dm and len(self.bot.schools) > 1:
            # A DM names no server: ask Discord which school's server has the sender (the
            # member cache may not know them). Someone in none of them is answered from the
            # protocol, and their question is not kept in any school's list.
            school = await self.bot.school_of_member(message.author.id)
            if school is None:
                await self._reply(message, question, in_dm, remember=False)
                return
            with acting_for(school):
                await self._reply(message, question, in_dm)
            return
        await self._reply(message, question, in_dm)

    async def _reply(
        self, message: discord.Message, question: str, in_dm: bool, remember: bool = True
    ) -> None:
        """Answer a question posted to the bot: in the DM, or as a reply in the channel."""
        answer, kwargs = await self.answer(message.author, question, remember)
        if answer.status == "rate_limited" and not self.first_slow_down(
            message.author.id, self.bot.app.clock.now()
        ):
            return
        try:
            if in_dm:
                await message.channel.send(**kwargs)
            else:
                # A reply keeps the answer next to its question in a busy channel, without
                # pinging the asker; a question deleted meanwhile still gets its answer.
                await message.channel.send(
                    reference=message.to_reference(fail_if_not_exists=False),
                    mention_author=False,
                    **kwargs,
                )
        except discord.HTTPException as exc:
            log.warning("could not answer a question in channel %s: %s", message.channel.id, exc)

    protocol = app_commands.Group(name=_("protocol"), description=_("Het protocol sociale media"))

    @protocol.command(name=_("lijst"), description=_("Alle regels van het protocol"))
    async def protocol_lijst(self, interaction: discord.Interaction) -> None:
        lang = language_of(interaction)
        lines = [f"`{c.id}` {clause_title(c, lang)}" for c in self.bot.app.book]
        embed = discord.Embed(
            title="Protocol sociale media (1.10)",
            description="\n".join(lines)[:4000],
            colour=ANSWER_COLOUR,
        )
        embed.set_footer(text=texts.PROTOCOL_FOOTER)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @protocol.command(name=_("regel"), description=_("Toon een regel van het protocol"))
    @app_commands.rename(regel=_("regel"))
    async def protocol_regel(
        self, interaction: discord.Interaction, regel: app_commands.Range[str, 1, 100]
    ) -> None:
        book = self.bot.app.book
        clause = clause_named(book, regel)
        if clause is None:
            shown = discord.utils.escape_mentions(discord.utils.escape_markdown(regel[:100]))
            await interaction.response.send_message(
                f"Geen regel '{shown}'. Zie /protocol lijst. / "
                f"No rule '{shown}'. See /protocol lijst.",
                ephemeral=True,
            )
            return
        await interaction.response.send_message(
            embed=clause_embed(clause, language_of(interaction)), view=FeedbackView(clause.id)
        )

    @protocol_regel.autocomplete("regel")
    async def _regel_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        lang = language_of(interaction)
        return [
            app_commands.Choice(
                name=f"{c.id}: {c.title_en if lang == 'en' else c.title}"[:100], value=c.id
            )
            for c in self.bot.app.book.search_titles(current, 25)
        ]

    @protocol.command(
        name=_("onbeantwoord"),
        description=_("Vragen die de bot niet kon beantwoorden (moderatoren)"),
    )
    async def protocol_onbeantwoord(self, interaction: discord.Interaction) -> None:
        result = await self.bot.app[QuestionService].unanswered(member_of(interaction.user))
        if isinstance(result, Refusal):
            await interaction.response.send_message(result.message, ephemeral=True)
            return
        if not result:
            await interaction.response.send_message(
                question_texts.NOTHING_UNANSWERED, ephemeral=True
            )
            return
        text, shown_count = "", 0
        for q in result:
            shown = (
                discord.utils.escape_mentions(discord.utils.escape_markdown(q.question[:150]))
                if q.question.strip()
                else NO_QUESTION_TEXT
            )
            line = f"`{q.kind}` {shown}" + (f" → `{q.clause_id}`" if q.clause_id else "")
            if len(text) + len(line) + 1 > LIST_LIMIT:
                break
            text += ("\n" if text else "") + line.replace("\n", " ")
            shown_count += 1
        more = await self.bot.app[QuestionService].unanswered_total() - shown_count
        if more > 0:  # LIST_LIMIT leaves room under Discord's 2,000 for this line
            text += "\n" + question_texts.more_questions(more)
        await interaction.response.send_message(text, ephemeral=True)


async def setup(bot: CompassBot) -> None:
    bot.add_dynamic_items(ShowClauseButton, FeedbackButton)
    await bot.add_cog(Questions(bot))
