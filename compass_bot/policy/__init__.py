"""The social media protocol: its clauses as data and the question matcher.

    book = load_clauses()            # policy_text/, checked
    matcher = Matcher(book)          # index built once
    match = matcher.match("insta in de pauze?")
    match.status, match.clause       # ("answer", "schooltijd")

Pure and synchronous: nothing here imports discord or touches the network.
"""

from compass_bot.policy.clauses import (
    CLAUSE_IDS,
    DEFAULT_POLICY_DIR,
    PROTOCOL_NAME,
    Clause,
    ClauseBook,
    PolicyTextError,
    load_clauses,
)
from compass_bot.policy.matcher import Match, Matcher, Status, Tuning
from compass_bot.policy.normalise import MAX_QUESTION_CHARS, Language, detect_language

__all__ = [
    "CLAUSE_IDS",
    "DEFAULT_POLICY_DIR",
    "MAX_QUESTION_CHARS",
    "PROTOCOL_NAME",
    "Clause",
    "ClauseBook",
    "Language",
    "Match",
    "Matcher",
    "PolicyTextError",
    "Status",
    "Tuning",
    "detect_language",
    "load_clauses",
]
