"""The admin command line: `python -m compass_bot <command>` (also the `compass-bot` script).

The `ask`, `check-name`, `check-time`, `check-message` and `check-discussion` JSON lines are contracts other tools rely on:
one JSON object per line, keys as documented in the README, stable.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

from compass_bot.cli_common import (
    EXIT_OK,
    EXIT_USAGE,
    MAX_TRANSCRIPT_BYTES,
    InputLines,
    StandardStreams,
    config_or_exit,
    input_problem,
    optional_school,
    print_json,
    read_text_lines,
    say_example_fallback,
    school_or_exit,
)
from compass_bot.config import ConfigError, check_targets, load_config
from compass_bot.ops_cli import cmd_backup, cmd_invite_url, cmd_status


def cmd_validate_config(args: argparse.Namespace) -> int:
    from compass_bot.clock import Clock

    say_example_fallback(args.path or args.config)
    try:
        loaded = load_config(args.path or args.config)
        check_targets(loaded, Clock().now())
    except ConfigError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_USAGE
    from compass_bot.config import config_warnings
    from compass_bot.config.schools import school_names

    for warning in config_warnings(loaded):  # valid all the same: exit 0
        print(warning, file=sys.stderr)
    schools = f" ({len(loaded.schools)} schools: {school_names(loaded)})" if loaded.schools else ""
    print(f"ok: {loaded.path}{schools}")
    return EXIT_OK


def cmd_ask(args: argparse.Namespace) -> int:
    from compass_bot.features.questions.render import answer_as_text
    from compass_bot.features.questions.small_talk import small_talk
    from compass_bot.policy import Matcher, PolicyTextError, load_clauses

    optional_school(args, "ask")  # the answers are the protocol's, the same for every school
    try:
        book = load_clauses()
    except PolicyTextError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    matcher = Matcher(book)
    if (problem := input_problem("ask", "question", args.stdin, args.question)) is not None:
        print(problem, file=sys.stderr)
        return EXIT_USAGE
    questions = InputLines("ask", args.stdin, args.question)
    for question in questions:
        match = matcher.match(question)
        if args.json:
            talk = small_talk(question) is not None  # "thanks!": its own reply, no clause
            print_json(
                {
                    "question": question,
                    "clause": None if talk else match.clause,
                    "score": 0.0 if talk else round(match.score, 1),
                    "alternatives": [] if talk else list(match.alternatives),
                }
            )
        else:
            print(answer_as_text(book, match))
            if args.stdin:
                print()
    return questions.exit_code


def cmd_check_name(args: argparse.Namespace) -> int:
    from compass_bot.features.names.rules import NameChecker

    allowed = None
    school = optional_school(args, "check-name")
    if school is not None:
        allowed = school.config.names.allowed_words
    checker = NameChecker(allowed) if allowed is not None else NameChecker()
    if (problem := input_problem("check-name", "name", args.stdin, args.name)) is not None:
        print(problem, file=sys.stderr)
        return EXIT_USAGE
    source = InputLines("check-name", args.stdin, args.name)
    names = iter(source) if args.stdin else iter(args.name)
    for name in names:
        verdict = checker.check(name)
        if args.json:
            print_json(
                {
                    "name": name,
                    "flagged": verdict.flagged,
                    "uncertain": verdict.uncertain,
                    "matched": verdict.matched,
                    "reason": verdict.reason,
                }
            )
        else:
            state = "FLAGGED" if verdict.flagged else "UNCERTAIN" if verdict.uncertain else "ok"
            print(f"{state}: {name!r}: {verdict.explanation}")
    return source.exit_code


def cmd_check_time(args: argparse.Namespace) -> int:
    from compass_bot.checktime import check_time, role_hint, typed_name, unnamed_hint
    from compass_bot.inputs import InputError, parse_moment
    from compass_bot.schedule import ScheduleError

    if args.category is not None and args.channel is None:
        print("check-time: --category names the category of a --channel", file=sys.stderr)
        return EXIT_USAGE
    if any(v is not None and not typed_name(v) for v in (args.channel, args.category)):
        print("check-time: --channel and --category need a name", file=sys.stderr)
        return EXIT_USAGE
    loaded = school_or_exit(args, "check-time")
    try:
        moment = parse_moment(args.at, loaded.config.schedule.zone, "--at")
    except InputError as exc:
        print(f"check-time: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        result, notes = check_time(loaded, moment, args.role or [], args.channel, args.category)
    except ScheduleError as exc:
        print(f"{loaded.path}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for note in notes:  # e.g. no vacation data for the year: the verdict may be wrong
        print(f"check-time: {loaded.path}: {note}", file=sys.stderr)
    if (hint := role_hint(loaded, args.role or [])) is not None:
        print(hint, file=sys.stderr)
    if args.channel is not None and result["reason"] == "not_watched":
        hint = unnamed_hint(loaded, args.channel, args.category)
        if hint is not None:
            print(hint, file=sys.stderr)
    if args.json:
        print_json(result)
    else:
        state = "toegestaan" if result["allowed"] else "niet toegestaan"
        print(f"{state} ({result['reason']}): {result['message']}")
    return EXIT_OK


def cmd_check_discussion(args: argparse.Namespace) -> int:
    from compass_bot.features.heat.rules import Message, TranscriptError, parse_message, replay

    settings = None
    school = optional_school(args, "check-discussion")
    if school is not None:
        settings = school.config.heat.settings()
    name = "<stdin>" if args.json == "-" else args.json
    messages: list[Message] = []
    lines = read_text_lines("check-discussion", args.json, MAX_TRANSCRIPT_BYTES)
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError):  # also a number past Python's 4,300 digits
            print(f"check-discussion: {name}:{number}: not a JSON object", file=sys.stderr)
            return EXIT_USAGE
        try:
            previous = messages[-1].at if messages else None
            messages.append(parse_message(obj, len(messages), previous))
        except TranscriptError as exc:
            print(f"check-discussion: {name}:{number}: {exc}", file=sys.stderr)
            return EXIT_USAGE
    results = replay(messages, settings) if settings is not None else replay(messages)
    for index, heat in enumerate(results):
        print_json(
            {"index": index, "heat": heat.level, "action": heat.action, "reason": heat.reason}
        )
    return EXIT_OK


def cmd_check_message(args: argparse.Namespace) -> int:
    from compass_bot.features.personal_data.rules import CLAUSE_ID, PersonalDataRule, mask

    allowed: list[str] = []
    school = optional_school(args, "check-message")
    if school is not None:
        allowed = school.config.personal_data.allowed
    rule = PersonalDataRule(allowed)
    if (problem := input_problem("check-message", "text", args.stdin, args.text)) is not None:
        print(problem, file=sys.stderr)
        return EXIT_USAGE
    texts = InputLines("check-message", args.stdin, args.text)
    for text in texts:
        findings = rule.find(text)
        if args.json:
            print_json(
                {
                    "flagged": bool(findings),
                    "findings": [
                        {"kind": f.kind, "start": f.start, "end": f.end} for f in findings
                    ],
                    "clause": CLAUSE_ID if findings else None,
                }
            )
        elif findings:
            # Never echo the data itself: the kinds and the masked text only.
            kinds = ", ".join(dict.fromkeys(f.kind for f in findings))
            print(f"FLAGGED ({CLAUSE_ID}: {kinds}): {mask(text, findings)!r}")
        else:
            print("ok: no personal data found")
    return texts.exit_code


def cmd_digest(args: argparse.Namespace) -> int:
    """The weekly digest of a stored database (counts only; see features/digest)."""
    from compass_bot.features.digest.cli import run_digest

    board = config_or_exit(args.config)
    school = school_or_exit(args, "digest", board)
    # The school is chosen here (a board's entry or the file's server); the digest reads it.
    return run_digest(argparse.Namespace(**{**vars(args), "school": None}), school, board)


def cmd_automod_sync(args: argparse.Namespace) -> int:
    """Opt-in: put the protocol's plainest checks into Discord's AutoMod (needs Manage Server)."""
    from compass_bot.config import discord_token
    from compass_bot.features.automod.discord_ext import run_sync, sync_refused

    loaded = school_or_exit(args, "automod sync")  # AutoMod rules belong to one server
    if (refused := sync_refused(loaded)) is not None:
        print(f"automod sync: {refused}", file=sys.stderr)
        return EXIT_USAGE
    try:
        token = discord_token()
    except ConfigError as exc:
        print(f"automod sync: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not token:
        print("automod sync: no token: set DISCORD_TOKEN (or put it in .env)", file=sys.stderr)
        return EXIT_USAGE
    lines, problem = run_sync(loaded, token)
    for line in lines:
        print(line)
    if problem is not None:
        print(f"automod sync: {problem}", file=sys.stderr)
        return 1
    return 1 if any(line.startswith("skipped") for line in lines) else EXIT_OK


def _per_line_command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    help_text: str,
    item: str,
    func: Callable[[argparse.Namespace], int],
    dest: str | None = None,
    one_per_argument: bool = False,
) -> None:
    """A command over one `item` (its words as arguments, or `one_per_argument`) or one per
    stdin line (`--stdin`), with `--json` printing one object per item: the shape `ask`,
    `check-name` and `check-message` share."""
    p = sub.add_parser(name, help=help_text)
    words = (
        f"one {item} per argument"
        if one_per_argument
        else f"the words of one {item} (quote it; several: --stdin, one per line)"
    )
    p.add_argument(dest or item, nargs="*", metavar=item.upper(), help=words)
    p.add_argument("--json", action="store_true", help=f"one JSON object per {item}")
    p.add_argument("--stdin", action="store_true", help=f"read one {item} per line")
    p.add_argument("--config", dest="config", default=argparse.SUPPRESS)
    _school_option(p)
    p.set_defaults(func=func)


def _school_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--school", help="the school: a board's entry name or its server (name or id)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m compass_bot",
        description="Admin command line of compass-bot (the Compass social media protocol bot).",
    )
    parser.add_argument("--config", help="config file (default: $COMPASS_CONFIG or config.yaml)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "validate-config", help="check a config file; exit 0 'ok' or 2 with problems"
    )
    p.add_argument("path", nargs="?", help="the file (default: the config the bot would use)")
    p.set_defaults(func=cmd_validate_config)

    _per_line_command(sub, "ask", "answer a question about the protocol", "question", cmd_ask)
    _per_line_command(
        sub,
        "check-name",
        "check names against the account-name rule",
        "name",
        cmd_check_name,
        one_per_argument=True,
    )

    p = sub.add_parser("check-time", help="may a student post in a social channel at this moment?")
    p.add_argument("--at", required=True, help="ISO-8601 moment, e.g. 2026-11-24T10:15+01:00")
    p.add_argument("--role", action="append", help="a role of the author (repeatable)")
    p.add_argument("--channel", help="channel name (default: a watched social channel)")
    p.add_argument("--category", help="the channel's category (with --channel)")
    p.add_argument("--json", action="store_true", help="one JSON object")
    p.add_argument("--config", dest="config", default=argparse.SUPPRESS)
    _school_option(p)
    p.set_defaults(func=cmd_check_time)

    p = sub.add_parser(
        "check-discussion",
        help="replay one channel's transcript through the cool-down rule (heat, nudge, slowmode)",
    )
    p.add_argument(
        "--json",
        required=True,
        metavar="FILE",
        help='JSONL transcript, one {"author","at","text","reply_to"} a line; - for stdin',
    )
    p.add_argument("--config", dest="config", default=argparse.SUPPRESS)
    _school_option(p)
    p.set_defaults(func=cmd_check_discussion)

    _per_line_command(
        sub,
        "check-message",
        "find other people's data in a post (aanwijzing-6)",
        "message",
        cmd_check_message,
        dest="text",
    )

    p = sub.add_parser(
        "invite-url", help="the link that adds the bot with exactly the permissions it needs"
    )
    p.add_argument("--client-id", help="the Application ID (or discord.application_id)")
    p.add_argument("--explain", action="store_true", help="also list each permission and why")
    p.add_argument("--school", help="one school of a board (default: one link per school)")
    p.add_argument("--config", dest="config", default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_invite_url)

    p = sub.add_parser("backup", help="a consistent copy of the database, also while the bot runs")
    p.add_argument("path", help="the backup file to write")
    p.add_argument("--force", action="store_true", help="replace another school's backup")
    p.add_argument("--config", dest="config", default=argparse.SUPPRESS)
    _school_option(p)
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("status", help="version, school, intents, outbox, last delivery, size")
    p.add_argument("--json", action="store_true", help="one JSON object")
    p.add_argument("--config", dest="config", default=argparse.SUPPRESS)
    p.add_argument("--school", help="one school of a board (default: every school)")
    p.set_defaults(func=cmd_status)
    p = sub.add_parser("digest", help="the weekly digest: counts per rule, the chart")
    _school_option(p)
    p.add_argument("--database", help="the SQLite file (default: storage.database)")
    p.add_argument("--week", help="the week as YYYY-Www (default: this week so far)")
    p.add_argument("--png", metavar="FILE", help="write the chart (PNG) here")
    p.add_argument("--json", action="store_true", help="one JSON object")
    p.add_argument("--config", dest="config", default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_digest)

    p = sub.add_parser("automod", help="Discord's AutoMod: `automod sync` (opt-in)")
    p.add_argument("action", choices=["sync"], help="sync: create or update the rules")
    _school_option(p)
    p.add_argument("--config", dest="config", default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_automod_sync)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    streams = StandardStreams()  # a closed or full stdin/stdout: one line, for every command
    return streams.run(lambda: _run(streams, argv))


def _run(streams: StandardStreams, argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    streams.command = args.command
    if not hasattr(args, "config"):
        args.config = None
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
