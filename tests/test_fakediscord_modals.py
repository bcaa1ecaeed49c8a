"""Modals in the discord.py 2.7 style: ``ui.Label`` (component type 18) around a string select
and a text input, opened by a real discord.py bot from a message context menu, judged as
Discord judges a type 9 callback, and submitted as Discord's client submits them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import discord
import pytest
from discord import app_commands, ui

from tests.fakediscord import ChannelSpec, FakeDiscord, GuildSpec, MemberSpec, RoleSpec, running_bot
from tests.test_fakediscord_strict import CALLBACK, fill, modal, row, send, text_input

pytestmark = pytest.mark.timeout(30)

GUILD = GuildSpec(
    name="Compass",
    roles=[RoleSpec("Leerling")],
    channels=[ChannelSpec("algemeen")],
    members=[MemberSpec("anna", roles=["Leerling"]), MemberSpec("bram", roles=["Leerling"])],
)

REASONS = [("Pesten of uitschelden", "aanwijzing-5"), ("Iets anders", "aanwijzing-9")]


class ReportModal(ui.Modal, title="Melden bij moderatoren"):
    """The shape issue 13 asks for: a reason (select) and an optional note of 500."""

    intro: ui.TextDisplay[Any] = ui.TextDisplay("Je naam wordt niet getoond.")
    reason: ui.Label[Any] = ui.Label(
        text="Reden",
        description="Welke regel?",
        component=ui.Select(
            custom_id="reason",
            options=[discord.SelectOption(label=label, value=value) for label, value in REASONS],
        ),
    )
    note: ui.Label[Any] = ui.Label(
        text="Toelichting",
        component=ui.TextInput(
            custom_id="note", style=discord.TextStyle.paragraph, max_length=500, required=False
        ),
    )

    def __init__(self, seen: list[Any]) -> None:
        super().__init__()
        self.seen = seen

    async def on_submit(self, interaction: discord.Interaction) -> None:
        assert isinstance(self.reason.component, ui.Select)
        assert isinstance(self.note.component, ui.TextInput)
        self.seen.append((self.reason.component.values, self.note.component.value))
        await interaction.response.send_message("Dank je, gemeld.", ephemeral=True)


class Bot(discord.Client):
    def __init__(self) -> None:
        super().__init__(intents=discord.Intents.default(), guild_ready_timeout=0.05)
        self.tree = app_commands.CommandTree(self)
        self.seen: list[Any] = []

        async def report(interaction: discord.Interaction, message: discord.Message) -> None:
            await interaction.response.send_modal(ReportModal(self.seen))

        self.tree.add_command(app_commands.ContextMenu(name="Melden", callback=report))

    async def setup_hook(self) -> None:
        await self.tree.sync()


@asynccontextmanager
async def opened() -> AsyncIterator[tuple[FakeDiscord, Bot, Any]]:
    bot = Bot()
    async with FakeDiscord(GUILD) as fake, running_bot(fake, bot):
        msg = await fake.post("bram", "algemeen", "jij bent zo dom")
        rec = await fake.message_command("anna", "Melden", msg["id"])
        await fake.settle()
        yield fake, bot, rec


async def test_a_label_modal_is_accepted_and_submitted_as_discord_sends_it() -> None:
    async with opened() as (fake, bot, rec):
        assert rec.callback_type == 9 and fake.invalid_requests == []
        shown = rec.modal
        assert shown is not None and shown["title"] == "Melden bij moderatoren"
        kinds = [(c["type"], c.get("component", {}).get("type")) for c in shown["components"]]
        assert kinds == [(10, None), (18, 3), (18, 4)]
        sub = await fake.submit_modal("anna", rec, {"reason": "aanwijzing-5", "note": "al weken"})
        await fake.settle()
        assert sub.payload["type"] == 5
        assert sub.payload["data"]["components"] == [
            {"type": 10, "id": 1},
            {
                "type": 18,
                "id": 2,
                "component": {
                    "type": 3,
                    "id": 3,
                    "custom_id": "reason",
                    "values": ["aanwijzing-5"],
                },
            },
            {
                "type": 18,
                "id": 4,
                "component": {"type": 4, "id": 5, "custom_id": "note", "value": "al weken"},
            },
        ]
        assert bot.seen == [(["aanwijzing-5"], "al weken")]
        assert sub.ephemeral and sub.content == "Dank je, gemeld."


async def test_an_optional_note_may_stay_empty() -> None:
    async with opened() as (fake, bot, rec):
        await fake.submit_modal("anna", rec, {"reason": "aanwijzing-9"})
        await fake.settle()
        assert bot.seen == [(["aanwijzing-9"], "")]


@pytest.mark.parametrize(
    "values,error",
    [
        ({"reason": "aanwijzing-3"}, "no options"),  # not an option
        ({"reason": ["aanwijzing-5", "aanwijzing-9"]}, "takes 1-1"),  # max_values is 1
        ({"note": "x"}, "required"),  # the select is required
        ({"reason": "aanwijzing-5", "note": "x" * 501}, "1-500|0-500"),  # max_length 500
        ({"reason": "aanwijzing-5", "bestaat": "x"}, "no inputs"),
    ],
)
async def test_the_driver_submits_only_what_discords_client_allows(
    values: dict[str, Any], error: str
) -> None:
    async with opened() as (fake, bot, rec):
        with pytest.raises((ValueError, KeyError), match=error):
            await fake.submit_modal("anna", rec, values)
        assert bot.seen == []


def label(component: dict[str, Any], text: str = "Reden") -> dict[str, Any]:
    return {"type": 18, "label": text, "component": component}


def string_select(custom_id: str = "s", n: int = 2, **extra: Any) -> dict[str, Any]:
    options = [{"label": f"optie {i}", "value": f"v{i}"} for i in range(n)]
    return {"type": 3, "custom_id": custom_id, "options": options, **extra}


MODAL_REFUSED = [
    ("select in an action row", modal([row(string_select())]), ("data", "components", "0")),
    (
        "label text 46",
        modal([label(string_select(), "l" * 46)]),
        ("data", "components", "0", "label"),
    ),
    (
        "disabled select",
        modal([label(string_select(disabled=True))]),
        ("data", "components", "0", "component", "disabled"),
    ),
    (
        "text input without a label in an action row",
        modal([row({"type": 4, "custom_id": "t", "style": 1})]),
        ("data", "components", "0", "components", "0", "label"),
    ),
    (
        "select max_values over its options",
        modal([label(string_select(max_values=3))]),
        ("data", "components", "0", "component", "max_values"),
    ),
    (
        "select min_values over max_values",
        modal([label(string_select(min_values=2, max_values=1))]),
        ("data", "components", "0", "component", "min_values"),
    ),
    (
        "duplicate option values",
        modal(
            [
                label(
                    {
                        "type": 3,
                        "custom_id": "s",
                        "options": [{"label": "a", "value": "v"}, {"label": "b", "value": "v"}],
                    }
                )
            ]
        ),
        ("data", "components", "0", "component", "options", "1", "value"),
    ),
    (
        "text input min_length over max_length",
        modal([label({"type": 4, "custom_id": "t", "style": 1, "min_length": 9, "max_length": 5})]),
        ("data", "components", "0", "component", "min_length"),
    ),
    (
        "duplicate custom_id across labels",
        modal([label(string_select("x")), label({"type": 4, "custom_id": "x", "style": 2})]),
        ("data", "components", "1", "component", "custom_id"),
    ),
]


@pytest.mark.parametrize("name,body,where", MODAL_REFUSED, ids=[m[0] for m in MODAL_REFUSED])
async def test_a_modal_discord_refuses_is_refused(
    name: str, body: dict[str, Any], where: tuple[str, ...]
) -> None:
    async with FakeDiscord(GUILD) as fake:
        rec = await fake.slash("anna", "ping")
        status, answer = await send(
            fake, "POST", fill(fake, CALLBACK, iid=rec.id, token=rec.token), body
        )
        assert (status, answer["code"]) == (400, 50035), answer
        node = answer["errors"]
        for key in where:
            assert key in node, (key, answer["errors"])
            node = node[key]
        assert rec.callback is None


async def test_a_label_modal_and_a_legacy_row_modal_pass() -> None:
    async with FakeDiscord(GUILD) as fake:
        for body in (
            modal(
                [
                    label(string_select(disabled=False)),
                    label({"type": 4, "custom_id": "t", "style": 2}),
                ]
            ),
            modal([row(text_input())]),
        ):
            rec = await fake.slash("anna", "ping")
            path = fill(fake, CALLBACK, iid=rec.id, token=rec.token)
            status, answer = await send(fake, "POST", path, body)
            assert status == 204, answer
        assert fake.invalid_requests == []
