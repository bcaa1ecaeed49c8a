"""The offline console front end: the whole bot in a terminal, no Discord needed.

Like Hubot's shell adapter or Errbot's text backend: you type as a member of the school
server. Plain lines are messages in the current channel; lines starting with `/` set who
you are, where you are and what time it is, or run the bot's slash commands. Moderator
alerts print as they would reach the moderators' channel, through the same outbox the
Discord front end uses. It reads stdin line by line, so it can be driven through a pipe;
stdin is watched by the event loop (no blocking thread), so Ctrl-C ends it at once.
"""

from __future__ import annotations

import asyncio
import shlex
import signal
import sys
from typing import TextIO

from compass_bot.app import App
from compass_bot.cli_common import not_utf8_line
from compass_bot.console.commands import ConsoleCommands
from compass_bot.console.server import ConsoleMember
from compass_bot.console.stdin import StdinLines
from compass_bot.model import MESSAGE_LIMIT, MessagePosted
from compass_bot.refs import ref_matches
from compass_bot.storage.db import disk_full
from compass_bot.visible import for_terminal

__all__ = ["Console", "ConsoleMember", "run_console"]


def _mentions_the_bot(text: str) -> bool:
    """The console's way to write a mention of the bot at the start of a line."""
    return text.lower().startswith(("@compass-bot", "@bot", "@compass bot"))


DISK_FULL = (
    "(fout: de schijf is vol; wat deze regel deed is niet (helemaal) opgeslagen. Maak ruimte "
    "vrij en probeer het opnieuw.)"
)
TOO_LONG = (
    "Niet verstuurd: je bericht is {n} tekens; een bericht heeft er hoogstens {limit}. / "
    "Not sent: your message is {n} characters; a message has at most {limit}."
)


class Console(ConsoleCommands):
    """One console session: a simulated server around one App (every feature's service).

    The console's own commands set who you are, where and when; every feature adds its
    commands, what it does with a post, and the actions on its alerts (`ConsoleHooks`)."""

    async def run(self, stdin: TextIO = sys.stdin) -> None:
        """Read and handle lines until /stop, the end of stdin or Ctrl-C (then say goodbye).

        A script sees no wall-clock time unless it asks (`/wie`), so a scripted run that
        sets `/tijd` first prints the same every time.
        """
        interactive = stdin.isatty()
        loop = asyncio.get_running_loop()
        interrupted = asyncio.Event()
        try:
            loop.add_signal_handler(signal.SIGINT, interrupted.set)
            handles_sigint = True
        except (NotImplementedError, RuntimeError, ValueError):  # not the main thread
            handles_sigint = False
        self.say(
            "compass-bot console (offline). Typ /help voor de opdrachten, /stop of Ctrl-C om "
            "te stoppen."
        )
        if self.restore_problem is not None:
            self.say(
                f"(de leden van de vorige keer zijn niet te lezen, {self.restore_problem}: "
                "de console begint met de vier standaardleden)"
            )
        if interactive:
            self.say(self.status())
            self.say(self.asking_tip())
        reader = StdinLines(stdin)
        try:
            while self.running and not interrupted.is_set():
                if interactive:
                    self.out.write(for_terminal(f"{self.me.member.label}@#{self.channel.name}> "))
                    self.out.flush()
                read = asyncio.ensure_future(reader.readline())
                stop = asyncio.ensure_future(interrupted.wait())
                await asyncio.wait({read, stop}, return_when=asyncio.FIRST_COMPLETED)
                for pending in (read, stop):
                    pending.cancel()
                await asyncio.gather(read, stop, return_exceptions=True)
                if interrupted.is_set():
                    if interactive:
                        self.out.write("\n")
                    break
                line = read.result()
                if not line:
                    break
                if not reader.utf8:  # said as `ask --stdin` says it, and the line still read
                    self.say(
                        f"(regel {reader.number} is geen UTF-8-tekst; de onleesbare bytes zijn "
                        f"gelezen als U+FFFD / {not_utf8_line(reader.number)})"
                    )
                await self.handle_line(line.rstrip("\r\n"))
        finally:
            if handles_sigint:
                loop.remove_signal_handler(signal.SIGINT)
        self.say("Tot ziens.")

    async def handle_line(self, line: str) -> None:
        line = line.strip()
        if not line:
            return
        try:
            if line.startswith("/"):
                await self.command(line[1:])
            else:
                await self.message(line)
            await self.deliver_alerts()
            self._keep_server()
        except BrokenPipeError:
            raise  # the reader went away (e.g. `| head`): stop, don't try to report it
        except Exception as exc:  # the console must survive any one bad line
            if disk_full(exc, self.app.db.path):
                self.say(DISK_FULL)
            else:
                self.say(f"(fout: {exc.__class__.__name__}: {exc})")

    def _keep_server(self) -> None:
        """Save the simulated server after each line (its members and their names), so the
        next run goes on with it; a failure is said once, the session goes on."""
        problem = self.save()
        if problem is not None and not self._save_failed:
            self._save_failed = True
            self.say(f"(de leden kunnen niet bewaard worden voor de volgende keer: {problem})")

    def asking_tip(self) -> str:
        """How to ask the bot a question, said once at a terminal: a plain line in a social
        channel is a post (in a lesson hour it gets the school-time warning), not a question."""
        if self._to_the_bot(""):
            return "Elke regel hier is een vraag aan de bot; /kanaal NAAM gaat naar een kanaal."
        questions = self.config.channels.questions
        where = (
            f" of /kanaal {questions}"
            if isinstance(questions, str) and questions and " " not in questions
            else ""
        )
        return (
            "Een vraag over het protocol? Typ /vraag en je vraag, begin met @compass-bot, of ga "
            f"naar /kanaal dm{where}. Een gewone regel is een bericht in #{self.channel.name}."
        )

    def _to_the_bot(self, text: str) -> bool:
        """A line addressed to the bot: in a DM, in the questions channel, or a mention."""
        questions = self.config.channels.questions
        return (
            self.channel.name == "dm"
            or _mentions_the_bot(text)
            or (
                questions is not None and ref_matches(questions, self.channel.id, self.channel.name)
            )
        )

    async def message(self, text: str) -> None:
        """A plain line: a message in the current channel, as a member would post it.

        Addressed to the bot (a DM, a mention, the questions channel) it is a question for
        the features that answer; as a post (not in a DM) every feature judges it in turn.
        A line longer than Discord lets a member send is refused, as Discord's client does."""
        if len(text) > MESSAGE_LIMIT:
            self.say(TOO_LONG.format(n=len(text), limit=MESSAGE_LIMIT))
            return
        mention = _mentions_the_bot(text)
        to_the_bot = self._to_the_bot(text)
        if to_the_bot:
            question = (
                text.split(" ", 1)[1] if mention and " " in text else ("" if mention else text)
            )
            for hooks in self.hooks:
                if hooks.on_question is not None:
                    await hooks.on_question(self, question)
            if self.channel.name == "dm":
                return
        event = MessagePosted(
            member=self.me.member,
            channel=self.channel,
            at=self.now(),
            content=text,
            message_id=self._next_message_id(),
            guild_id=self.guild_id,
            to_the_bot=to_the_bot,  # a question to the bot is school use: never warned
        )
        for hooks in self.hooks:
            if hooks.on_post is not None:
                await hooks.on_post(self, event)

    async def joined(self, cm: ConsoleMember) -> None:
        """Each feature's join hook (names: the new member's names checked)."""
        for hooks in self.hooks:
            if hooks.on_join is not None:
                await hooks.on_join(self, cm)

    async def command(self, line: str) -> None:
        try:
            parts = shlex.split(line)
        except ValueError:
            parts = line.split()
        if not parts:
            self.say("Een opdracht begint met / en een woord, bijvoorbeeld /help.")
            return
        name, args = parts[0].lower(), parts[1:]
        found = self._commands.get(name)
        if found is None:
            self.say(f"Onbekende opdracht /{name}. Typ /help.")
            return
        spec, _ = found
        await spec.handler(self, name, args, line[len(parts[0]) :].strip())


async def run_console(app: App, stdin: TextIO = sys.stdin) -> None:
    console = Console(app)
    await console.run(stdin)
