"""Other people's data in the console: posts are screened as in Discord; /tweedeblik TEKST."""

from __future__ import annotations

from compass_bot.console.app import Console
from compass_bot.features.base import CommandSpec, ConsoleHooks
from compass_bot.features.personal_data import texts
from compass_bot.features.personal_data.service import PersonalDataService, SecondLook
from compass_bot.model import MessagePosted, Refusal

ONLY_YOU = "alleen voor jou"


def _service(console: Console) -> PersonalDataService:
    return console.app[PersonalDataService]


async def on_post(console: Console, event: MessagePosted) -> None:
    """A post with someone's data: the private warning (and the hide) as the bot would do;
    the alert follows as the moderators' channel shows it."""
    outcome = await _service(console).message_posted(event)
    if outcome.warning is None:
        return
    console.show_warning(outcome.warning, console.me)
    if outcome.hide:
        if event.message_id is not None:
            console.removed_posts.add(event.message_id)
        console.say(texts.POST_HIDDEN_CONSOLE.format(channel=event.channel.name))
        console.dm(console.me, f"{texts.POST_HIDDEN}\n{outcome.masked}")


def second_look_text(look: SecondLook) -> str:
    """The answer to a draft as plain lines: the verdict, the masked draft, the clauses it
    touches, posting it now in a social channel, aanwijzing-7."""
    lines = [look.verdict]
    if look.masked:
        lines.append(f"> {look.masked}")
    if look.touches:
        lines.append(f"{texts.SECOND_LOOK_CLAUSES[look.language]}:")
        lines.extend(f"  • {line}" for line in look.touched_lines())
    if look.timing:
        lines.append(f"{texts.SECOND_LOOK_TIMING[look.language]} {look.timing}")
    clause = look.clause
    text = clause.text_en if look.language == "en" else clause.text
    lines.append(f"{clause.id}: {text}")
    lines.append(texts.SECOND_LOOK_STORED[look.language])
    return "\n".join(lines)


async def cmd_tweedeblik(console: Console, name: str, args: list[str], rest: str) -> None:
    language = "en" if name == "second-look" else "nl"
    look = _service(console).second_look(rest, language, console.me.member, console.app.clock.now())
    if isinstance(look, Refusal):
        console.bot(look.message, where=ONLY_YOU)
        return
    console.bot(second_look_text(look), where=ONLY_YOU)


def hooks() -> ConsoleHooks:
    return ConsoleHooks(
        commands=(
            CommandSpec(
                ("tweedeblik", "second-look"),
                "  /tweedeblik TEKST                 kijk privé naar je concept: gegevens van "
                "anderen, punten van het protocol, lestijd (niets wordt bewaard)",
                cmd_tweedeblik,
            ),
        ),
        on_post=on_post,
    )
