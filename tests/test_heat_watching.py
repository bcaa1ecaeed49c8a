"""`HeatService.watches` keeps its answer per channel (`features/heat/watching.py`): the same
answer as a service that never saw the channel, whatever changed in between (a rename, a move
to another category, a thread under another parent, a channel switched off or on, another
config), over many posts."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

from compass_bot.app import App
from compass_bot.features.heat.service import HeatService
from compass_bot.features.heat.watching import WatchedChannels
from compass_bot.features.schooltime.rules import ChannelInfo
from tests.conftest import TEST_CONFIG, make_loaded

NAMES = ["algemeen", "memes", "huiswerk", "wiskunde-3b", "debat"]
CATEGORIES = [(None, None), (60, "Sociaal"), (61, "Lessen"), (62, "sociaal")]
HEAT_OWN = TEST_CONFIG + "heat:\n  watched_channels: [huiswerk, Lessen]\n"


def _unseen(service: HeatService, channel: ChannelInfo) -> bool:
    """The answer for a channel never seen: not switched off (nor its parent), and the
    config's own answer (`_configured`) from a service with nothing kept."""
    off = service._off
    if channel.id in off or (channel.parent is not None and channel.parent.id in off):
        return False
    return WatchedChannels(service.kernel)._configured(channel)


async def test_the_kept_answer_is_the_fresh_one_after_any_change(tmp_path: Path) -> None:
    rng = random.Random(28)
    configs = []
    for i, text in enumerate((TEST_CONFIG, HEAT_OWN)):
        (tmp_path / str(i)).mkdir()
        configs.append(make_loaded(tmp_path / str(i), text))
    app = await App.create(configs[0])
    try:
        service = app[HeatService]
        # the conversion keeps one object per channel as it is: reuse them, as it does
        kept: dict[int, ChannelInfo] = {}
        changes: Counter[str] = Counter()
        answers: Counter[bool] = Counter()
        for _step in range(3000):
            change = rng.choice(["same", "equal", "rename", "move", "thread", "off", "config"])
            cid = rng.randint(1, 6)
            channel = kept.get(cid)
            if change == "same" and channel is not None:
                pass
            elif change == "equal" and channel is not None:
                channel = ChannelInfo(
                    channel.id, channel.name, channel.category_id, channel.category_name
                )
            elif change in ("rename", "move") or channel is None:
                category = rng.choice(CATEGORIES)
                channel = kept[cid] = ChannelInfo(cid, rng.choice(NAMES), *category)
            elif change == "thread":
                # under another parent, saying the same of itself: only the parent differs
                parent = kept.get(rng.randint(1, 6)) or channel
                channel = ChannelInfo(100 + cid, "draad", None, None, parent=parent)
            elif change == "off":
                service._off ^= {rng.choice([cid, 100 + cid])}
            elif change == "config":
                app.kernel.loaded = rng.choice(configs)
            changes[change] += 1
            for one in [*kept.values(), channel]:
                answer = service.watches(one)
                assert answer == _unseen(service, one), (change, one)
                answers[answer] += 1
        assert min(changes.values()) > 300
        assert min(answers.values()) > 1000  # both answers, often
    finally:
        await app.close()
