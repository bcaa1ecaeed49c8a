"""A loop that sleeps between rounds stops when its cog is unloaded, whenever that comes.

On Python 3.11 `asyncio.wait_for` drops a cancellation that arrives just as the awaited
event is set; the outbox's courier then ran on and the bot's close waited on it forever (a
test hang seen under load). The loops wait with `woken`, which never drops one."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from compass_bot.discord_front.pacing import woken
from tests.discord_env import compass_bot


async def test_woken_says_whether_the_event_came() -> None:
    event = asyncio.Event()
    assert await woken(event, 0.01) is False
    asyncio.get_running_loop().call_later(0.01, event.set)
    assert await woken(event, 5) is True


async def _sleeping_rounds(event: asyncio.Event) -> None:
    while True:
        await woken(event, 30)
        event.clear()


@pytest.mark.parametrize("turns", range(6))
async def test_a_stop_as_the_wakeup_comes_ends_the_loop(turns: int) -> None:
    event = asyncio.Event()
    loop_task = asyncio.create_task(_sleeping_rounds(event))
    await asyncio.sleep(0.01)  # the loop waits
    event.set()
    for _ in range(turns):  # the wakeup on its way through the event loop
        await asyncio.sleep(0)
    loop_task.cancel()
    done, _ = await asyncio.wait({loop_task}, timeout=2)
    assert done, "the cancellation was lost: the loop runs on"


async def test_unloading_the_outbox_while_it_is_woken_ends_its_courier(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (_fake, bot):
        bot.outbox_wakeup.set()
        await asyncio.sleep(0)  # the courier's wait is being woken
        await asyncio.wait_for(bot.remove_cog("AlertDelivery"), timeout=5)
