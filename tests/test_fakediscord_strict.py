"""The fake Discord judges requests as Discord does: Discord's OpenAPI spec, the documented
limits the spec leaves out, the interaction rules and unknown routes.

Each entry of INVALID is a request Discord refuses, sent over HTTP as a bot would send it;
the fake must refuse it with the status, the error code and (for 50035) an error at the
named place in Discord's nested error format.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from tests.fakediscord import ChannelSpec, FakeDiscord, GuildSpec, MemberSpec, RoleSpec, openapi
from tests.fakediscord import limits as L

pytestmark = pytest.mark.timeout(60)

GUILD = GuildSpec(
    name="Compass",
    roles=[RoleSpec("Leerling")],
    channels=[ChannelSpec("algemeen")],
    members=[MemberSpec("anna", roles=["Leerling"])],
)

MSG = "/channels/{chan}/messages"
CMDS = "/applications/{app}/commands"
CALLBACK = "/interactions/{iid}/{token}/callback"


def row(*components: dict[str, Any]) -> dict[str, Any]:
    return {"type": 1, "components": list(components)}


def button(custom_id: str, label: str = "Ok") -> dict[str, Any]:
    return {"type": 2, "style": 1, "label": label, "custom_id": custom_id}


def select(custom_id: str, n_options: int) -> dict[str, Any]:
    options = [{"label": f"optie {i}", "value": str(i)} for i in range(n_options)]
    return {"type": 3, "custom_id": custom_id, "options": options}


def text_input(custom_id: str = "t", **extra: Any) -> dict[str, Any]:
    return {"type": 4, "custom_id": custom_id, "style": 1, "label": "Vraag", **extra}


def modal(components: list[dict[str, Any]], title: str = "Melding") -> dict[str, Any]:
    return {"type": 9, "data": {"custom_id": "m", "title": title, "components": components}}


def cmd(name: str = "ping", **extra: Any) -> dict[str, Any]:
    return {"name": name, "description": "Zegt pong", "type": 1, **extra}


def opt(name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "description": "Een optie", "type": 3, **extra}


def choices(n: int, width: int = 0) -> list[dict[str, Any]]:
    return [{"name": f"keuze {i}".ljust(width, "."), "value": f"k{i}"} for i in range(n)]


def embed(**fields: Any) -> dict[str, Any]:
    return {"title": "Melding", **fields}


@dataclass(frozen=True)
class Case:
    """A request Discord refuses: ``where`` is the path into the 50035 ``errors`` object
    (None: any, or not a 50035); ``interaction`` makes a fresh one for callback routes."""

    name: str
    method: str
    path: str
    body: Any
    status: int
    code: int
    where: tuple[str, ...] | None = None
    interaction: str | None = None  # "slash" | "autocomplete"
    raw: bytes | None = None


def bad(name: str, body: Any, *where: str, path: str = MSG, method: str = "POST") -> Case:
    return Case(name, method, path, body, 400, 50035, tuple(where))


def bad_callback(name: str, body: Any, *where: str, kind: str = "slash") -> Case:
    return Case(name, "POST", CALLBACK, body, 400, 50035, tuple(where), interaction=kind)


INVALID: list[Case] = [
    # -- the spec: message bodies
    bad("embeds not a list", {"embeds": "x"}, "embeds"),
    bad("embed title 257", {"embeds": [embed(title="t" * 257)]}, "embeds", "0", "title"),
    bad(
        "embed description 4097",
        {"embeds": [embed(description="d" * 4097)]},
        "embeds",
        "0",
        "description",
    ),
    bad("11 embeds", {"embeds": [embed()] * 11}, "embeds"),
    bad(
        "26 embed fields",
        {"embeds": [embed(fields=[{"name": "n", "value": "v"}] * 26)]},
        "embeds",
        "0",
        "fields",
    ),
    bad(
        "field name 257",
        {"embeds": [embed(fields=[{"name": "n" * 257, "value": "v"}])]},
        *("embeds", "0", "fields", "0", "name"),
    ),
    bad(
        "field value 1025",
        {"embeds": [embed(fields=[{"name": "n", "value": "v" * 1025}])]},
        *("embeds", "0", "fields", "0", "value"),
    ),
    bad(
        "field without a value",
        {"embeds": [embed(fields=[{"name": "n"}])]},
        *("embeds", "0", "fields", "0", "value"),
    ),
    bad(
        "footer 2049",
        {"embeds": [embed(footer={"text": "f" * 2049})]},
        *("embeds", "0", "footer", "text"),
    ),
    bad(
        "author name 257",
        {"embeds": [embed(author={"name": "a" * 257})]},
        *("embeds", "0", "author", "name"),
    ),
    bad("embed colour too big", {"embeds": [embed(color=1 << 24)]}, "embeds", "0", "color"),
    bad(
        "button label 81",
        {"components": [row(button("a", "l" * 81))]},
        *("components", "0", "components", "0", "label"),
    ),
    bad(
        "6 buttons in a row",
        {"components": [row(*(button(str(i)) for i in range(6)))]},
        *("components", "0", "components"),
    ),
    bad(
        "custom_id 101",
        {"components": [row(button("c" * 101))]},
        *("components", "0", "components", "0", "custom_id"),
    ),
    bad(
        "empty custom_id",
        {"components": [row(button(""))]},
        *("components", "0", "components", "0", "custom_id"),
    ),
    bad(
        "select with 26 options",
        {"components": [row(select("s", 26))]},
        *("components", "0", "components", "0", "options"),
    ),
    bad(
        "select with no options",
        {"components": [row(select("s", 0))]},
        *("components", "0", "components", "0", "options"),
    ),
    bad("unknown component type", {"components": [{"type": 99}]}, "components", "0", "type"),
    bad("4 stickers", {"sticker_ids": ["1", "2", "3", "4"]}, "sticker_ids"),
    bad("nonce of 26 characters", {"content": "x", "nonce": "n" * 26}, "nonce"),
    bad(
        "unknown allowed_mentions parse",
        {"content": "x", "allowed_mentions": {"parse": ["iedereen"]}},
        *("allowed_mentions", "parse", "0"),
    ),
    bad(
        "snowflake that is not a number",
        {"content": "x", "sticker_ids": ["abc"]},
        "sticker_ids",
        "0",
    ),
    bad("DM without a recipient", {}, "recipient_id", path="/users/@me/channels"),
    bad(
        "nick of 33 characters",
        {"nick": "n" * 33},
        "nick",
        path="/guilds/{guild}/members/{member}",
        method="PATCH",
    ),
    # -- documented limits: messages
    bad("content 2001", {"content": "x" * 2001}, "content"),
    bad(
        "embeds over 6000 in total",
        {"embeds": [embed(description="d" * 3500), embed(description="d" * 3000)]},
        "embeds",
    ),
    bad(
        "blank field name",
        {"embeds": [embed(fields=[{"name": " ", "value": "v"}])]},
        *("embeds", "0", "fields", "0", "name"),
    ),
    bad("6 action rows", {"components": [row(button(str(i))) for i in range(6)]}, "components"),
    bad(
        "a select beside a button",
        {"components": [row(select("s", 2), button("b"))]},
        *("components", "0", "components"),
    ),
    bad(
        "custom_id twice in a message",
        {"components": [row(button("zelfde")), row(button("zelfde"))]},
        *("components", "1", "components", "0", "custom_id"),
    ),
    bad("ephemeral flag in a channel", {"content": "x", "flags": 64}, "flags"),
    bad(
        "parse users and a users list",
        {"content": "x", "allowed_mentions": {"parse": ["users"], "users": ["1"]}},
        "allowed_mentions",
    ),
    bad(
        "parse roles and a roles list",
        {"content": "x", "allowed_mentions": {"parse": ["roles"], "roles": ["1"]}},
        "allowed_mentions",
    ),
    bad(
        "slowmode over 6 hours",
        {"rate_limit_per_user": 21601},
        "rate_limit_per_user",
        path="/channels/{chan}",
        method="PATCH",
    ),
    # -- documented limits: application commands
    bad("upper-case command name", cmd("Ping"), "name", path=CMDS),
    bad("command name with a space", cmd("ping pong"), "name", path=CMDS),
    bad("command name of 33", cmd("p" * 33), "name", path=CMDS),
    bad("empty command description", cmd(description=""), "description", path=CMDS),
    bad("command description 101", cmd(description="d" * 101), "description", path=CMDS),
    bad(
        "unknown name locale",
        cmd(name_localizations={"xx": "ping"}),
        "name_localizations",
        "xx",
        path=CMDS,
    ),
    bad(
        "nl-NL is not a Discord locale",
        cmd(description_localizations={"nl-NL": "Zegt pong"}),
        "description_localizations",
        "nl-NL",
        path=CMDS,
    ),
    bad(
        "upper-case localized name",
        cmd(name_localizations={"nl": "Ping"}),
        "name_localizations",
        "nl",
        path=CMDS,
    ),
    bad("26 options", cmd(options=[opt(f"o{i}") for i in range(26)]), "options", path=CMDS),
    bad(
        "26 choices",
        cmd(options=[opt("o", choices=choices(26))]),
        *("options", "0", "choices"),
        path=CMDS,
    ),
    bad(
        "autocomplete with choices",
        cmd(options=[opt("o", autocomplete=True, choices=choices(2))]),
        *("options", "0", "autocomplete"),
        path=CMDS,
    ),
    bad(
        "required after optional",
        cmd(options=[opt("a"), opt("b", required=True)]),
        *("options", "1", "required"),
        path=CMDS,
    ),
    bad(
        "duplicate option names",
        cmd(options=[opt("a"), opt("a")]),
        *("options", "1", "name"),
        path=CMDS,
    ),
    bad("option name upper case", cmd(options=[opt("Lid")]), "options", "0", "name", path=CMDS),
    bad(
        "command over 8000 characters",
        # every field within its own limit, over 10,000 characters together
        cmd(options=[opt(f"o{i}", choices=choices(4, width=100)) for i in range(25)]),
        path=CMDS,
    ),
    bad(
        "context menu with a description",
        {"name": "Meld bericht", "type": 3, "description": "Meldt"},
        "description",
        path=CMDS,
    ),
    bad(
        "context menu with options",
        {"name": "Meld lid", "type": 2, "options": [opt("a")]},
        "options",
        path=CMDS,
    ),
    bad(
        "duplicate names in a bulk overwrite",
        [cmd("ping"), cmd("ping")],
        "1",
        "name",
        path=CMDS,
        method="PUT",
    ),
    bad(
        "6 user commands",
        [{"name": f"Lid {i}", "type": 2} for i in range(6)],
        path=CMDS,
        method="PUT",
    ),
    bad("commands not a list", {"name": "ping"}, path=CMDS, method="PUT"),
    # -- interaction callbacks
    bad_callback("unknown callback type", {"type": 99}, "type"),
    bad_callback(
        "response content 2001", {"type": 4, "data": {"content": "x" * 2001}}, "data", "content"
    ),
    bad_callback("modal title 46", modal([row(text_input())], title="t" * 46), "data", "title"),
    bad_callback("modal without components", modal([]), "data", "components"),
    bad_callback(
        "modal with 6 components",
        modal([row(text_input(f"t{i}")) for i in range(6)]),
        "data",
        "components",
    ),
    bad_callback(
        "text input label 46",
        modal([row(text_input(label="l" * 46))]),
        *("data", "components", "0", "components", "0", "label"),
    ),
    bad_callback(
        "text input max_length 4001",
        modal([row(text_input(max_length=4001))]),
        *("data", "components", "0", "components", "0", "max_length"),
    ),
    bad_callback(
        "26 autocomplete choices",
        {"type": 8, "data": {"choices": choices(26)}},
        "data",
        "choices",
        kind="autocomplete",
    ),
    bad_callback("autocomplete result to a command", {"type": 8, "data": {"choices": []}}, "type"),
    bad_callback(
        "modal in answer to autocomplete", modal([row(text_input())]), kind="autocomplete"
    ),
    Case("second initial response", "POST", CALLBACK, {"type": 6}, 400, 40060, interaction="twice"),
    # -- routes and bodies
    Case("unknown route", "GET", "/bestaat/niet", None, 404, 0),
    Case("method not allowed", "DELETE", "/users/@me", None, 405, 0),
    Case("body that is not JSON", "POST", MSG, None, 400, 50109, raw=b"{niet json"),
]


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(GUILD) as running:
        yield running


async def send(
    fake: FakeDiscord, method: str, path: str, body: Any = None, raw: bytes | None = None
) -> tuple[int, Any]:
    headers = {"Authorization": "Bot fake-bot-token", "Content-Type": "application/json"}
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    async with (
        aiohttp.ClientSession() as session,
        session.request(method, fake.api_base_url + path, data=data, headers=headers) as resp,
    ):
        text = await resp.text()
        return resp.status, json.loads(text) if text else None


def fill(fake: FakeDiscord, path: str, **extra: Any) -> str:
    return path.format(
        chan=fake.channel_id("algemeen"),
        app=fake.application_id,
        guild=fake.guild_id,
        member=fake.member_id("anna"),
        **extra,
    )


def test_the_list_has_40_and_more_distinct_cases() -> None:
    assert len(INVALID) >= 40
    assert len({c.name for c in INVALID}) == len(INVALID)


@pytest.mark.parametrize("case", INVALID, ids=lambda c: c.name)
async def test_discord_refuses_it_and_so_does_the_fake(fake: FakeDiscord, case: Case) -> None:
    extra: dict[str, Any] = {}
    if case.interaction is not None:
        if case.interaction == "autocomplete":
            rec = await fake.autocomplete("anna", "ping", {"tekst": "ho"}, focused="tekst")
        else:
            rec = await fake.slash("anna", "ping")
        extra = {"iid": rec.id, "token": rec.token}
        if case.interaction == "twice":
            status, _ = await send(fake, "POST", fill(fake, CALLBACK, **extra), {"type": 5})
            assert status == 204
    status, body = await send(
        fake, case.method, fill(fake, case.path, **extra), case.body, case.raw
    )
    assert (status, body["code"]) == (case.status, case.code), body
    assert isinstance(body["message"], str) and body["message"]
    if case.code == 50035:
        assert body["message"] == "Invalid Form Body"
        node = body["errors"]
        for key in case.where or ():
            assert key in node, (key, body["errors"])
            node = node[key]
        if case.where:
            assert node["_errors"] and all({"code", "message"} <= set(e) for e in node["_errors"])
    if case.status in (404, 405):
        assert fake.unknown_routes[-1].path == fill(fake, case.path, **extra)


VALID: list[tuple[str, str, str, Any]] = [
    ("snowflakes as numbers", "POST", MSG, {"content": "x", "sticker_ids": [], "nonce": 12}),
    (
        "reply with a numeric message id",
        "POST",
        MSG,
        {"content": "x", "message_reference": {"message_id": 0, "fail_if_not_exists": False}},
    ),
    (
        "allowed_mentions with id numbers",
        "POST",
        MSG,
        {"content": "x", "allowed_mentions": {"parse": [], "users": [123], "roles": ["4"]}},
    ),
    (
        "content of exactly 2000 and a full row",
        "POST",
        MSG,
        {"content": "x" * 2000, "components": [row(*(button(str(i)) for i in range(5)))]},
    ),
    (
        "permissions as a string (the docs; the spec says integer)",
        "POST",
        CMDS,
        cmd(default_member_permissions="8192", name_localizations={"nl": "ping", "en-GB": "ping"}),
    ),
    (
        "a context-menu command with an empty description",
        "POST",
        CMDS,
        {"name": "Meld bericht", "type": 3, "description": ""},
    ),
]


@pytest.mark.parametrize("name,method,path,body", VALID, ids=[v[0] for v in VALID])
async def test_what_discord_accepts_passes(
    fake: FakeDiscord, name: str, method: str, path: str, body: Any
) -> None:
    status, answer = await send(fake, method, fill(fake, path), body)
    assert status in (200, 201), answer
    assert fake.invalid_requests == []


def test_the_spec_is_read_once_and_validators_are_built_per_operation() -> None:
    assert openapi.spec() is openapi.spec()
    op, _ = openapi.find_operation("POST", "/channels/1/messages")
    assert op is not None and op.template == "/channels/{channel_id}/messages"
    assert openapi.find_operation("GET", "/users/@me")[0].template == "/users/@me"  # type: ignore[union-attr]
    assert openapi.find_operation("GET", "/users/12")[0].template == "/users/{user_id}"  # type: ignore[union-attr]
    errors = openapi.validate_body(op, {"embeds": [{"title": "t" * 300}]})
    assert errors == {
        "embeds": {
            "0": {
                "title": {
                    "_errors": [
                        {
                            "code": "BASE_TYPE_MAX_LENGTH",
                            "message": "Must be 256 or fewer in length.",
                        }
                    ]
                }
            }
        }
    }


def test_the_spec_file_is_the_one_the_readme_names() -> None:
    import hashlib

    readme = (openapi.SPEC_PATH.parent / "README.md").read_text(encoding="utf-8")
    ours = (openapi.PROJECT_ROOT / "tests" / "fakediscord" / "README.md").read_text(
        encoding="utf-8"
    )
    digest = hashlib.sha256(openapi.SPEC_PATH.read_bytes()).hexdigest()
    assert digest in readme and digest in ours


@pytest.mark.parametrize(
    "name,ok",
    [
        ("ping", True),
        ("meld-lid", True),
        ("l'été", True),
        ("नमस्ते", True),
        ("Ping", False),
        ("a b", False),
        ("x" * 33, False),
        ("", False),
        ("emoji🙂", False),
    ],
)
def test_command_names_follow_the_documented_pattern(name: str, ok: bool) -> None:
    assert (L.command_errors(cmd(name), []) == {}) is ok


Check = Callable[[Any], dict[str, Any]]


@pytest.mark.parametrize("content,status", [("x" * 2001, 400), ("met bijlage", 200)])
async def test_the_payload_json_of_a_multipart_upload_is_judged(
    fake: FakeDiscord, content: str, status: int
) -> None:
    form = aiohttp.FormData(quote_fields=False)
    form.add_field("payload_json", json.dumps({"content": content, "attachments": [{"id": 0}]}))
    form.add_field("files[0]", b"png", filename="a.png", content_type="image/png")
    url = fake.api_base_url + fill(fake, MSG)
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=form, headers={"Authorization": "Bot t"}) as resp,
    ):
        body = await resp.json()
    assert resp.status == status, body
    if status == 400:
        assert body["code"] == 50035 and "content" in body["errors"]
    else:
        assert body["attachments"][0]["filename"] == "a.png"
