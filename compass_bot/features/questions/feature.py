"""The questions feature's declaration: answers about the protocol."""

from __future__ import annotations

from compass_bot.access import Action
from compass_bot.features.base import Feature
from compass_bot.features.questions.repo import MIGRATIONS
from compass_bot.features.questions.service import QuestionService

FEATURE = Feature(
    name="questions",
    data_statement=(
        "Questions the bot could not answer and answers marked (un)helpful: the text and the "
        "clause, never who asked; deleted after retention.days."
    ),
    build=QuestionService,
    migrations=MIGRATIONS,
    actions=(
        Action(
            "unanswered",
            ("moderator",),
            "Alleen moderatoren kunnen de onbeantwoorde vragen bekijken.",
            "Only moderators can see the unanswered questions.",
        ),
    ),
    erased_labels={"question_mentions": "vermelding(en) in bewaarde vragen"},
    erased_labels_en={"question_mentions": "mention(s) in stored questions"},
    console="compass_bot.features.questions.console",
    discord_extension="compass_bot.features.questions.discord_ext",
    post_check="Questions.check_post",
)
