"""Discord's own OpenAPI spec as the judge of every request the bot sends to the fake.

The spec (``../shared/discord-api/openapi.json`` from the project root, 1.2 MB) is parsed once
per process; a validator is built lazily per operation and content type, so the suite pays
only for the operations it uses. Violations come back in Discord's nested 50035 format::

    {"code": 50035, "message": "Invalid Form Body",
     "errors": {"embeds": {"0": {"title": {"_errors": [{"code": ..., "message": ...}]}}}}}

Where the spec and Discord's developer documentation disagree, the documentation wins (the
spec is a "public preview"); each such patch below says so.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

JSON = dict[str, Any]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = PROJECT_ROOT.parent / "shared" / "discord-api" / "openapi.json"
SPEC_URI = "urn:discord-api-spec"
METHODS = ("get", "put", "post", "patch", "delete")

_SNOWFLAKE_AS_NUMBER: JSON = {"type": "integer", "minimum": 0}
_SNOWFLAKE_PATTERN = "^(0|[1-9][0-9]*)$"
_PERMISSION_STRING: JSON = {"type": "string", "pattern": "^[0-9]{1,20}$"}
AUTOMOD_CUSTOM_MESSAGE_LIMIT = 150
_COMMAND_REQUESTS = (
    "ApplicationCommandCreateRequest",
    "ApplicationCommandPatchRequestPartial",
    "ApplicationCommandUpdateRequest",
)


@functools.cache
def spec() -> JSON:
    """The parsed spec, patched where Discord accepts more than the spec says."""
    with SPEC_PATH.open(encoding="utf-8") as fh:
        data: JSON = json.load(fh)
    schemas = data["components"]["schemas"]
    # Snowflakes are strings in the spec; Discord also accepts JSON numbers (the docs say
    # so, and discord.py sends some ids as numbers).
    schemas["SnowflakeType"] = {"anyOf": [schemas["SnowflakeType"], _SNOWFLAKE_AS_NUMBER]}
    # The docs give default_member_permissions as a "?string" (a permission bit set), and
    # discord.py sends a string; the spec says integer. The docs win: accept both.
    for name in _COMMAND_REQUESTS:
        prop = schemas[name]["properties"]
        prop["default_member_permissions"] = {
            "anyOf": [prop["default_member_permissions"], _PERMISSION_STRING]
        }
    # The docs ("Auto Moderation", Action Metadata) give a BLOCK_MESSAGE custom_message of
    # at most 150 characters; the spec says 300. The docs win.
    block = schemas["BlockMessageActionMetadata"]["properties"]["custom_message"]
    block["maxLength"] = AUTOMOD_CUSTOM_MESSAGE_LIMIT
    return data


@dataclass(frozen=True)
class Operation:
    """One (method, path template) of the spec."""

    method: str  # upper case
    template: str  # e.g. "/channels/{channel_id}/messages"
    regex: re.Pattern[str]
    literal_segments: int

    @property
    def operation(self) -> JSON:
        op: JSON = spec()["paths"][self.template][self.method.lower()]
        return op

    @property
    def operation_id(self) -> str:
        return str(self.operation.get("operationId", f"{self.method} {self.template}"))


def _template_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{\w+\})", template)
    regex = "".join(
        f"(?P<{p[1:-1]}>[^/]+)" if p.startswith("{") and p.endswith("}") else re.escape(p)
        for p in parts
    )
    return re.compile(regex)


@functools.cache
def operations() -> tuple[Operation, ...]:
    """Every operation, the most literal templates first (``/users/@me`` before
    ``/users/{user_id}``), as Discord's router prefers them."""
    ops = []
    for template, item in spec()["paths"].items():
        literal = sum(1 for seg in template.split("/") if seg and not seg.startswith("{"))
        regex = _template_regex(template)
        for method in METHODS:
            if method in item:
                ops.append(Operation(method.upper(), template, regex, literal))
    ops.sort(key=lambda o: -o.literal_segments)
    return tuple(ops)


def find_operation(method: str, path: str) -> tuple[Operation | None, bool]:
    """(the operation for ``method path``, whether the path exists under another method).
    ``path`` has no ``/api/v10`` prefix."""
    other_method = False
    for op in operations():
        if op.regex.fullmatch(path) is None:
            continue
        if op.method == method.upper():
            return op, False
        other_method = True
    return None, other_method


@functools.cache
def _registry() -> Registry[Any]:
    resource: Resource[Any] = Resource(contents=spec(), specification=DRAFT202012)
    return Registry().with_resource(SPEC_URI, resource)


def _pointer(*segments: str) -> str:
    escaped = (s.replace("~", "~0").replace("/", "~1") for s in segments)
    return "/" + "/".join(escaped)


@functools.cache
def _validator(method: str, template: str, content_type: str) -> Draft202012Validator | None:
    """The validator of one operation's request body, built on first use."""
    op = spec()["paths"][template][method.lower()]
    content = (op.get("requestBody") or {}).get("content") or {}
    if content_type not in content:
        return None
    ref = (
        SPEC_URI
        + "#"
        + _pointer(
            "paths", template, method.lower(), "requestBody", "content", content_type, "schema"
        )
    )
    return Draft202012Validator({"$ref": ref}, registry=_registry())


def body_required(op: Operation) -> bool:
    return bool((op.operation.get("requestBody") or {}).get("required"))


def has_body_schema(op: Operation) -> bool:
    return bool((op.operation.get("requestBody") or {}).get("content"))


# Bodies already judged valid: a bot sends the same command list at every start, and
# judging it by the spec's deep unions is a fifth of a second each time.
_VALID_BODIES: set[tuple[str, str, str]] = set()
_VALID_BODIES_KEPT = 4096


def validate_body(op: Operation, body: Any) -> JSON | None:
    """Discord's nested ``errors`` object for a JSON body (or a multipart request's
    ``payload_json``), or None when the body is valid. The multipart schema is the JSON one
    plus the ``files[n]`` parts, which are not in ``payload_json``, so both are judged by
    the JSON schema."""
    validator = _validator(op.method, op.template, "application/json")
    if validator is None:
        return None
    key = (op.method, op.template, json.dumps(body, sort_keys=True, default=repr))
    if key in _VALID_BODIES:
        return None
    errors = list(validator.iter_errors(body))
    if not errors:
        if len(_VALID_BODIES) >= _VALID_BODIES_KEPT:
            _VALID_BODIES.clear()
        _VALID_BODIES.add(key)
        return None
    return nested_errors(errors)


# --------------------------------------------------------------------------- error format


def _is_mismatch(error: ValidationError) -> bool:
    """An error that says "this is not the branch you meant": the instance's JSON type, or
    its discriminating ``type`` field, does not fit the branch."""
    rel = list(error.relative_path)
    if not rel and error.validator == "type":
        return True
    return rel == ["type"] and error.validator in ("enum", "const", "type")


def _leaf(error: ValidationError) -> ValidationError:
    """The most telling error under an anyOf/oneOf, found as Discord does with its typed
    unions: the branch whose discriminator (JSON type, then the ``type`` field) fits the
    instance, and in it the deepest error."""
    if not error.context:
        return error
    branches: dict[Any, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    fitting = [errs for errs in branches.values() if not any(_is_mismatch(e) for e in errs)]
    if len(fitting) == 1:
        errs = fitting[0]
        return _leaf(max(errs, key=lambda e: len(e.absolute_path)))
    if not fitting:
        typed = [e for errs in branches.values() for e in errs if list(e.relative_path) == ["type"]]
        if typed:  # no branch has this "type": report the discriminator
            return typed[0]
        fitting = list(branches.values())
    # Several branches fit (an undiscriminated union): an error every one of them reports
    # is the one that matters.
    keyed = [{(tuple(e.relative_path), e.validator): e for e in errs} for errs in fitting]
    common = set(keyed[0]).intersection(*keyed[1:])
    if common:
        return _leaf(keyed[0][max(common, key=lambda k: len(k[0]))])
    return best_match([error]) or error


def _describe(error: ValidationError) -> Iterator[tuple[list[str | int], str, str]]:
    """(path, Discord error code, message) for one schema violation."""
    path: list[str | int] = list(error.absolute_path)
    kind = error.validator
    value: Any = error.validator_value
    if kind == "required":
        instance = error.instance if isinstance(error.instance, dict) else {}
        for name in value:
            if name not in instance:
                yield [*path, name], "BASE_TYPE_REQUIRED", "This field is required"
        return
    if kind in ("maxLength", "maxItems", "maxProperties"):
        yield path, "BASE_TYPE_MAX_LENGTH", f"Must be {value} or fewer in length."
    elif kind in ("minLength", "minItems", "minProperties"):
        yield path, "BASE_TYPE_MIN_LENGTH", f"Must be {value} or more in length."
    elif kind == "type":
        types = value if isinstance(value, list) else [value]
        if "object" in types:
            yield path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType"
        elif "array" in types:
            yield path, "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType"
        elif "integer" in types or "number" in types:
            yield path, "NUMBER_TYPE_COERCE", f"Value {error.instance!r} is not int."
        elif "boolean" in types:
            yield path, "BOOLEAN_TYPE_CONVERT", "Must be either true or false."
        else:
            yield path, "STRING_TYPE_CONVERT", "Could not interpret value as string."
    elif kind in ("enum", "const"):
        choices = value if isinstance(value, list) else [value]
        yield path, "BASE_TYPE_CHOICES", f"Value must be one of {choices}."
    elif kind in ("maximum", "exclusiveMaximum"):
        yield path, "NUMBER_TYPE_MAX", f"int value should be less than or equal to {value}."
    elif kind in ("minimum", "exclusiveMinimum"):
        yield path, "NUMBER_TYPE_MIN", f"int value should be greater than or equal to {value}."
    elif kind == "pattern" and value == _SNOWFLAKE_PATTERN:
        yield path, "NUMBER_TYPE_COERCE", f'Value "{error.instance}" is not snowflake.'
    elif kind == "pattern":
        yield path, "STRING_TYPE_REGEX", f"String value did not match validation regex {value}."
    elif kind == "uniqueItems":
        yield path, "LIST_ITEM_VALUE_DUPLICATE", "List items must be unique."
    else:
        yield path, "BASE_TYPE_INVALID", error.message[:200]


def nested_errors(errors: Iterable[ValidationError]) -> JSON:
    """Discord's nested error object: keys along the path, ``_errors`` at the leaf."""
    root: JSON = {}
    for error in errors:
        for path, code, message in _describe(_leaf(error)):
            node = root
            for key in path:
                node = node.setdefault(str(key), {})
            entries = node.setdefault("_errors", [])
            entry = {"code": code, "message": message}
            if entry not in entries:
                entries.append(entry)
    return root


def merge_errors(target: JSON, extra: JSON) -> JSON:
    """Merge two nested error objects (schema errors and documented limits)."""
    for key, value in extra.items():
        if key == "_errors":
            target.setdefault("_errors", []).extend(value)
        else:
            merge_errors(target.setdefault(key, {}), value)
    return target
