"""The limits Discord documents but its OpenAPI spec does not encode.

Each check returns Discord's nested ``errors`` object (see ``openapi.nested_errors``) or an
empty dict; the fake answers any of them with 400 50035 Invalid Form Body. Sources: the
developer documentation pages "Message Resource" (content, embed and allowed-mention
limits), "Component Reference", "Application Commands" (naming, localization, size) and
"Receiving and Responding" (modals). The error codes are Discord's where the docs or real
answers give them; where they do not, the fake uses a code in Discord's style.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from .openapi import merge_errors

JSON = dict[str, Any]
Path = list[str | int]

CONTENT_LIMIT = 2000  # for bots; the spec's 4000 is for Nitro users
EMBED_TOTAL_LIMIT = 6000
ACTION_ROWS_LIMIT = 5  # without the IS_COMPONENTS_V2 flag
MODAL_COMPONENTS_LIMIT = 5
COMMAND_SIZE_LIMIT = 8000
CONTEXT_MENU_LIMIT = 5  # of each of USER and MESSAGE, per scope
CHAT_INPUT_LIMIT = 100

EPHEMERAL = 1 << 6
IS_COMPONENTS_V2 = 1 << 15

# Discord's locales (docs "Reference", "Locales").
LOCALES = frozenset(
    [
        "id",
        "da",
        "de",
        "en-GB",
        "en-US",
        "es-ES",
        "es-419",
        "fr",
        "hr",
        "it",
        "lt",
        "hu",
        "nl",
        "no",
        "pl",
        "pt-BR",
        "ro",
        "fi",
        "sv-SE",
        "vi",
        "tr",
        "cs",
        "el",
        "bg",
        "ru",
        "uk",
        "hi",
        "th",
        "zh-CN",
        "ja",
        "zh-TW",
        "ko",
    ]
)

SELECT_TYPES = frozenset({3, 5, 6, 7, 8})


class Errors:
    """Collects errors in Discord's nested format."""

    def __init__(self) -> None:
        self.tree: JSON = {}

    def add(self, path: Path, code: str, message: str) -> None:
        node = self.tree
        for key in path:
            node = node.setdefault(str(key), {})
        node.setdefault("_errors", []).append({"code": code, "message": message})

    def too_long(self, path: Path, limit: int) -> None:
        self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def bad_length(self, path: Path, low: int, high: int) -> None:
        self.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _dicts(value: Any) -> list[JSON]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


# --------------------------------------------------------------------------- messages


def message_errors(body: Any, *, channel_message: bool) -> JSON:
    """Limits of a message create/edit body. ``channel_message``: sent to a channel (not an
    interaction response or follow-up), where the ephemeral flag is refused."""
    err = Errors()
    if not isinstance(body, dict):
        return err.tree
    content = body.get("content")
    if isinstance(content, str) and len(content) > CONTENT_LIMIT:
        err.too_long(["content"], CONTENT_LIMIT)
    _embed_errors(body.get("embeds"), err)
    flags = body.get("flags")
    if channel_message and isinstance(flags, int) and flags & EPHEMERAL:
        err.add(
            ["flags"],
            "MESSAGE_FLAGS_INVALID",
            "Ephemeral messages can only be sent as interaction responses.",
        )
    _allowed_mentions_errors(body.get("allowed_mentions"), err)
    v2 = isinstance(flags, int) and bool(flags & IS_COMPONENTS_V2)
    _component_errors(body.get("components"), err, v2=v2)
    return err.tree


def _embed_errors(embeds: Any, err: Errors) -> None:
    total = 0
    for i, embed in enumerate(_dicts(embeds)):
        total += len(_text(embed.get("title"))) + len(_text(embed.get("description")))
        total += len(_text((embed.get("footer") or {}).get("text")))
        total += len(_text((embed.get("author") or {}).get("name")))
        for j, f in enumerate(_dicts(embed.get("fields"))):
            for key in ("name", "value"):
                text = _text(f.get(key))
                total += len(text)
                if key in f and not text.strip():
                    # Discord refuses blank field names and values (the docs: "required").
                    err.add(
                        ["embeds", i, "fields", j, key],
                        "BASE_TYPE_REQUIRED",
                        "This field is required",
                    )
    if total > EMBED_TOTAL_LIMIT:
        err.add(
            ["embeds"],
            "MAX_EMBED_SIZE_EXCEEDED",
            f"Embed size exceeds maximum size of {EMBED_TOTAL_LIMIT}",
        )


def _allowed_mentions_errors(allowed: Any, err: Errors) -> None:
    if not isinstance(allowed, dict):
        return
    parse = allowed.get("parse") or []
    for kind in ("users", "roles"):
        if kind in parse and allowed.get(kind):
            err.add(
                ["allowed_mentions"],
                "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                f'parse:["{kind}"] and {kind}: [ids] are mutually exclusive.',
            )


def _walk_components(components: Any, path: Path) -> Iterator[tuple[JSON, Path]]:
    for i, c in enumerate(components if isinstance(components, list) else []):
        if not isinstance(c, dict):
            continue
        here: Path = [*path, i]
        yield c, here
        if isinstance(c.get("components"), list):
            yield from _walk_components(c["components"], [*here, "components"])
        for key in ("component", "accessory"):
            if isinstance(c.get(key), dict):
                yield c[key], [*here, key]
                if isinstance(c[key].get("components"), list):
                    yield from _walk_components(c[key]["components"], [*here, key, "components"])


def _component_errors(components: Any, err: Errors, *, v2: bool) -> None:
    if not isinstance(components, list):
        return
    if not v2 and len(components) > ACTION_ROWS_LIMIT:
        err.too_long(["components"], ACTION_ROWS_LIMIT)
    seen: dict[str, Path] = {}
    for comp, path in _walk_components(components, ["components"]):
        if comp.get("type") == 1:
            children = _dicts(comp.get("components"))
            selects = [c for c in children if c.get("type") in SELECT_TYPES]
            if selects and len(children) > 1:
                err.add(
                    [*path, "components"],
                    "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                    "A select menu must be alone in its action row.",
                )
        if comp.get("type") == 3:
            _string_select_errors(comp, path, err)
        custom_id = comp.get("custom_id")
        if isinstance(custom_id, str):
            if custom_id in seen:
                err.add(
                    [*path, "custom_id"],
                    "COMPONENT_CUSTOM_ID_DUPLICATED",
                    "Component custom id cannot be duplicated",
                )
            seen[custom_id] = path


def _string_select_errors(select: JSON, path: Path, err: Errors) -> None:
    """A string select's values against its options (docs "String Select"): min_values up
    to max_values, max_values up to the number of options, unique option values, no more
    defaults than max_values. The codes are in Discord's style."""
    options = _dicts(select.get("options"))
    low, high = select.get("min_values"), select.get("max_values")
    low = low if isinstance(low, int) else 1
    high = high if isinstance(high, int) else 1
    if low > high:
        err.add(
            [*path, "min_values"],
            "SELECT_COMPONENT_MIN_VALUES_TOO_LARGE",
            "min_values must be less than or equal to max_values.",
        )
    if options and high > len(options):
        err.add(
            [*path, "max_values"],
            "SELECT_COMPONENT_MAX_VALUES_TOO_LARGE",
            f"max_values must be less than or equal to the number of options ({len(options)}).",
        )
    seen: set[str] = set()
    for i, option in enumerate(options):
        value = _text(option.get("value"))
        if value in seen:
            err.add(
                [*path, "options", i, "value"],
                "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED",
                "Select component option values must be unique.",
            )
        seen.add(value)
    if sum(1 for o in options if o.get("default")) > high:
        err.add(
            [*path, "options"],
            "SELECT_COMPONENT_TOO_MANY_DEFAULTS",
            "More options are marked default than max_values allows.",
        )


# --------------------------------------------------------------------------- channels


def guild_channel_errors(body: Any) -> JSON:
    """A guild channel edit. The spec's body is an untyped union (DM, guild channel or
    thread), so an edit of a guild channel is judged here by the guild channel's limits:
    slowmode 0 to 21600 seconds, name 1 to 100, topic up to 1024 (docs "Modify Channel")."""
    err = Errors()
    if not isinstance(body, dict):
        return err.tree
    slowmode = body.get("rate_limit_per_user")
    if isinstance(slowmode, int) and not 0 <= slowmode <= 21600:
        err.add(
            ["rate_limit_per_user"],
            "NUMBER_TYPE_MAX",
            "int value should be less than or equal to 21600.",
        )
    name = body.get("name")
    if isinstance(name, str) and not 1 <= len(name) <= 100:
        err.bad_length(["name"], 1, 100)
    topic = body.get("topic")
    if isinstance(topic, str) and len(topic) > 1024:
        err.too_long(["topic"], 1024)
    return err.tree


# --------------------------------------------------------------------------- interactions


def modal_errors(data: Any) -> JSON:
    """A modal (callback type 9): 1 to 5 components (the spec allows 40); a text input in
    a (legacy) action row needs its own ``label`` (in a Label the Label carries it); no
    component may be ``disabled``
    (Discord answers MODAL_COMPONENT_DISABLED); a text input's min_length up to its
    max_length."""
    err = Errors()
    comps = data.get("components") if isinstance(data, dict) else None
    if isinstance(comps, list) and len(comps) > MODAL_COMPONENTS_LIMIT:
        err.bad_length(["data", "components"], 1, MODAL_COMPONENTS_LIMIT)
    if not isinstance(comps, list):
        return err.tree
    _component_errors(comps, _Prefixed(err, ["data"]), v2=True)
    for i, top in enumerate(_dicts(comps)):
        if top.get("type") == 1:
            for j, inner in enumerate(_dicts(top.get("components"))):
                if inner.get("type") == 4 and not _text(inner.get("label")):
                    err.add(
                        ["data", "components", i, "components", j, "label"],
                        "BASE_TYPE_REQUIRED",
                        "This field is required",
                    )
    for comp, path in _walk_components(comps, ["data", "components"]):
        if comp.get("disabled") is True:
            err.add(
                [*path, "disabled"],
                "MODAL_COMPONENT_DISABLED",
                "Modals do not support disabled components",
            )
        low, high = comp.get("min_length"), comp.get("max_length")
        if comp.get("type") == 4 and isinstance(low, int) and isinstance(high, int) and low > high:
            err.add(
                [*path, "min_length"],
                "TEXT_INPUT_MIN_LENGTH_TOO_LARGE",
                "min_length must be less than or equal to max_length.",
            )
    return err.tree


class _Prefixed(Errors):
    def __init__(self, inner: Errors, prefix: Path) -> None:
        self.inner = inner
        self.prefix = prefix

    def add(self, path: Path, code: str, message: str) -> None:
        self.inner.add([*self.prefix, *path], code, message)


def callback_errors(body: Any) -> JSON:
    """An interaction callback's data, by callback type."""
    if not isinstance(body, dict):
        return {}
    ctype = body.get("type")
    data = body.get("data")
    if ctype in (4, 7) and isinstance(data, dict):
        err = Errors()
        inner = message_errors(data, channel_message=False)
        if inner:
            err.tree["data"] = inner
        return err.tree
    if ctype == 9:
        return modal_errors(data)
    return {}


# --------------------------------------------------------------------------- commands


def _valid_name_char(ch: str) -> bool:
    """``[-_'\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]``, with Python's unicodedata."""
    if ch in "-_'":
        return True
    if unicodedata.category(ch)[0] in "LN":
        return True
    return 0x0900 <= ord(ch) <= 0x097F or 0x0E00 <= ord(ch) <= 0x0E7F


def _chat_name_ok(name: str) -> bool:
    return 1 <= len(name) <= 32 and all(map(_valid_name_char, name)) and name == name.lower()


def _localization_errors(
    mapping: Any, path: Path, err: Errors, *, chat_name: bool, low: int, high: int
) -> None:
    if not isinstance(mapping, dict):
        return
    for locale, value in mapping.items():
        if locale not in LOCALES:
            err.add(
                [*path, locale],
                "BASE_TYPE_CHOICES",
                f"Value must be one of {sorted(LOCALES)}.",
            )
        elif isinstance(value, str):
            if chat_name and not _chat_name_ok(value):
                err.add(
                    [*path, locale], "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid"
                )
            elif not low <= len(value) <= high:
                err.bad_length([*path, locale], low, high)


def _longest(item: Mapping[str, Any], key: str) -> int:
    """The size a field counts for: its longest localization, the default included."""
    values = [_text(item.get(key))]
    locs = item.get(f"{key}_localizations")
    if isinstance(locs, dict):
        values += [_text(v) for v in locs.values()]
    return max(len(v) for v in values)


def command_size(command: Mapping[str, Any]) -> int:
    """Characters a command counts towards the 8000 limit (docs: names, descriptions and
    values of the command, its options and choices; the longest localization of each)."""
    size = _longest(command, "name") + _longest(command, "description")
    for opt in _dicts(command.get("options")):
        size += command_size(opt)
    for choice in _dicts(command.get("choices")):
        size += _longest(choice, "name") + len(str(choice.get("value", "")))
    return size


def command_errors(command: Any, path: Path, *, partial: bool = False) -> JSON:
    """One application command (POST, an item of PUT, or a PATCH when ``partial``)."""
    err = Errors()
    if not isinstance(command, dict):
        return err.tree
    ctype = command.get("type") or 1
    name = command.get("name")
    if isinstance(name, str):
        if ctype == 1 and not _chat_name_ok(name):
            err.add([*path, "name"], "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
    elif not partial:
        err.add([*path, "name"], "BASE_TYPE_REQUIRED", "This field is required")
    _localization_errors(
        command.get("name_localizations"),
        [*path, "name_localizations"],
        err,
        chat_name=ctype == 1,
        low=1,
        high=32,
    )
    description = command.get("description")
    if ctype == 1:
        if (isinstance(description, str) or not partial) and not 1 <= len(
            _text(description)
        ) <= 100:
            err.bad_length([*path, "description"], 1, 100)
        _localization_errors(
            command.get("description_localizations"),
            [*path, "description_localizations"],
            err,
            chat_name=False,
            low=1,
            high=100,
        )
        _option_errors(command.get("options"), [*path, "options"], err)
    else:
        # USER and MESSAGE commands: an empty description and no options (docs).
        if description:
            err.add(
                [*path, "description"],
                "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION",
                "Context menu commands cannot have a description",
            )
        if command.get("options"):
            err.add(
                [*path, "options"],
                "APPLICATION_COMMAND_CONTEXT_MENU_OPTIONS",
                "Context menu commands cannot have options",
            )
    if command_size(command) > COMMAND_SIZE_LIMIT:
        err.add(
            path,
            "APPLICATION_COMMAND_TOO_LARGE",
            f"Command exceeds maximum size ({COMMAND_SIZE_LIMIT})",
        )
    return err.tree


def _option_errors(options: Any, path: Path, err: Errors) -> None:
    opts = _dicts(options)
    names: set[str] = set()
    seen_optional = False
    for i, opt in enumerate(opts):
        here: Path = [*path, i]
        name = _text(opt.get("name"))
        if not _chat_name_ok(name):
            err.add([*here, "name"], "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
        if name in names:
            err.add(
                [*here, "name"],
                "APPLICATION_COMMAND_OPTION_NAME_NOT_UNIQUE",
                "Option names must be unique",
            )
        names.add(name)
        if not 1 <= len(_text(opt.get("description"))) <= 100:
            err.bad_length([*here, "description"], 1, 100)
        _localization_errors(
            opt.get("name_localizations"),
            [*here, "name_localizations"],
            err,
            chat_name=True,
            low=1,
            high=32,
        )
        _localization_errors(
            opt.get("description_localizations"),
            [*here, "description_localizations"],
            err,
            chat_name=False,
            low=1,
            high=100,
        )
        if opt.get("autocomplete") and opt.get("choices"):
            err.add(
                [*here, "autocomplete"],
                "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_WITH_CHOICES",
                "Autocomplete cannot be set with choices",
            )
        if opt.get("type") in (1, 2):
            _option_errors(opt.get("options"), [*here, "options"], err)
            continue
        if opt.get("required"):
            if seen_optional:
                err.add(
                    [*here, "required"],
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            seen_optional = True


def command_list_errors(commands: Any) -> JSON:
    """A PUT of all commands: each command, then unique names per type and the count limits."""
    err = Errors()
    items = commands if isinstance(commands, list) else []
    counts: dict[int, int] = {}
    seen: set[tuple[str, int]] = set()
    for i, cmd in enumerate(items):
        if not isinstance(cmd, dict):
            continue
        merge_errors(err.tree, command_errors(cmd, [i]))
        ctype = int(cmd.get("type") or 1)
        key = (_text(cmd.get("name")), ctype)
        if key in seen:
            err.add(
                [i, "name"],
                "APPLICATION_COMMANDS_DUPLICATE_NAME",
                "Application command names must be unique",
            )
        seen.add(key)
        counts[ctype] = counts.get(ctype, 0) + 1
    for ctype, limit in ((1, CHAT_INPUT_LIMIT), (2, CONTEXT_MENU_LIMIT), (3, CONTEXT_MENU_LIMIT)):
        if counts.get(ctype, 0) > limit:
            err.add(
                [],
                "APPLICATION_COMMANDS_TOO_MANY",
                f"At most {limit} commands of type {ctype} are allowed.",
            )
    return err.tree


def count_errors(existing: Sequence[Mapping[str, Any]], new: Mapping[str, Any]) -> JSON:
    """A POST of one command on top of ``existing`` (same scope): the count limits."""
    err = Errors()
    ctype = int(new.get("type") or 1)
    same = [
        c for c in existing if int(c.get("type") or 1) == ctype and c.get("name") != new.get("name")
    ]
    limit = CHAT_INPUT_LIMIT if ctype == 1 else CONTEXT_MENU_LIMIT
    if len(same) >= limit:
        err.add(
            [],
            "APPLICATION_COMMANDS_TOO_MANY",
            f"At most {limit} commands of type {ctype} are allowed.",
        )
    return err.tree


# --------------------------------------------------------------------------- AutoMod

# docs "Auto Moderation": rules per trigger type in a server, and the event each one watches.
AUTOMOD_RULES_PER_TRIGGER = {1: 6, 3: 1, 4: 1, 5: 1, 6: 1}
AUTOMOD_EVENT_FOR_TRIGGER = {1: 1, 3: 1, 4: 1, 5: 1, 6: 2}
# docs "Action Types": which trigger types each action may be used with.
AUTOMOD_ACTIONS_FOR_TRIGGER = {
    1: {1, 2, 3},
    3: {1, 2},
    4: {1, 2},
    5: {1, 2, 3},
    6: {2, 4},
}
# Rust's regex crate (AutoMod's engine) has no look-around and no back-references.
_RUST_UNSUPPORTED = re.compile(r"\(\?<?[=!]|\\[1-9]|\\k<")


def automod_rule_errors(body: Any, *, create: bool, trigger_type: int | None = None) -> JSON:
    """An AutoMod rule (create, or a PATCH of a rule of ``trigger_type``): actions required
    on create and allowed for the trigger type, the event type that fits it, and regex
    patterns that Rust's regex crate compiles. Codes in Discord's style."""
    err = Errors()
    if not isinstance(body, dict):
        return err.tree
    trigger = body.get("trigger_type", trigger_type)
    if create and not body.get("actions"):
        err.add(["actions"], "BASE_TYPE_REQUIRED", "This field is required")
    if not isinstance(trigger, int):
        return err.tree
    event = body.get("event_type")
    if isinstance(event, int) and AUTOMOD_EVENT_FOR_TRIGGER.get(trigger, event) != event:
        err.add(
            ["event_type"],
            "AUTO_MODERATION_INVALID_EVENT_TYPE",
            f"Trigger type {trigger} needs event type {AUTOMOD_EVENT_FOR_TRIGGER[trigger]}.",
        )
    allowed = AUTOMOD_ACTIONS_FOR_TRIGGER.get(trigger, set())
    for i, action in enumerate(_dicts(body.get("actions"))):
        if action.get("type") not in allowed:
            err.add(
                ["actions", i, "type"],
                "AUTO_MODERATION_INVALID_ACTION_TYPE",
                f"Action type {action.get('type')} is not allowed for trigger type {trigger}.",
            )
    meta = body.get("trigger_metadata")
    patterns = meta.get("regex_patterns") if isinstance(meta, dict) else None
    for i, pattern in enumerate(patterns if isinstance(patterns, list) else []):
        if not isinstance(pattern, str):
            continue
        problem = None
        if _RUST_UNSUPPORTED.search(pattern):
            problem = "look-around and back-references are not supported"
        else:
            try:
                re.compile(pattern)
            except re.error as exc:
                problem = str(exc)
        if problem:
            err.add(
                ["trigger_metadata", "regex_patterns", i],
                "AUTO_MODERATION_INVALID_REGEX",
                f"Invalid regex: {problem}",
            )
    return err.tree


def automod_count_errors(existing: Sequence[Mapping[str, Any]], trigger: int) -> JSON:
    """Creating one more rule of ``trigger``: the per-server maximum of that type."""
    err = Errors()
    limit = AUTOMOD_RULES_PER_TRIGGER.get(trigger, 0)
    if sum(1 for r in existing if r.get("trigger_type") == trigger) >= limit:
        err.add(
            ["trigger_type"],
            "AUTO_MODERATION_MAX_RULES_OF_TYPE_EXCEEDED",
            f"At most {limit} rules of trigger type {trigger} are allowed.",
        )
    return err.tree
