"""Shared fixtures: a config in a temporary folder (its own SQLite file) and a service on it;
a small tmpfs to fill up or mount read-only."""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from compass_bot.app import App
from compass_bot.config import LoadedConfig, parse_config

ROOT = Path(__file__).resolve().parents[1]

TEST_CONFIG = """
discord:
  guild: Compass
roles:
  students: [Leerling]
  teachers: [Docent]
  moderators: [Moderator]
  leadership: [Schoolleiding]
channels:
  moderators: mod-meldingen
  questions: protocol-vragen
schedule:
  timezone: Europe/Amsterdam
  lunch_breaks:
    default: {start: "12:15", end: "12:45"}
school_time:
  social_channels: [algemeen, memes]
  social_categories: [Sociaal]
  exempt_channels: [wiskunde-3b]
"""


# A board of two schools on the test school's defaults: lunch 12:00-12:30 at Noord and
# 12:30-13:00 at Zuid, so 12:15 is lunch at one and a lesson at the other.
BOARD_CONFIG = (
    TEST_CONFIG.replace("discord:\n  guild: Compass\n", "").replace(
        '{start: "12:15", end: "12:45"}', '{start: "12:00", end: "12:30"}'
    )
    + """schools:
  - name: Noord
    discord: {guild: Noord}
  - name: Zuid
    discord: {guild: Zuid}
    schedule:
      lunch_breaks:
        default: {start: "12:30", end: "13:00"}
"""
)


def make_loaded(tmp_path: Path, text: str = TEST_CONFIG) -> LoadedConfig:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return LoadedConfig(config=parse_config(text, str(path)), path=path)


@pytest.fixture
def loaded(tmp_path: Path) -> LoadedConfig:
    return make_loaded(tmp_path)


@pytest.fixture
async def service(loaded: LoadedConfig) -> AsyncIterator[App]:
    svc = await App.create(loaded)
    try:
        yield svc
    finally:
        await svc.close()


# -- a small tmpfs ---------------------------------------------------------------------------


@dataclass
class Disk:
    path: Path

    def fill(self) -> None:
        """Write until the disk is full (ENOSPC)."""
        with (self.path / "filler").open("ab", buffering=0) as out:
            block = b"\0" * 4096
            with contextlib.suppress(OSError):
                while out.write(block):
                    pass

    def free(self) -> None:
        (self.path / "filler").unlink(missing_ok=True)

    def read_only(self) -> None:
        subprocess.run(["mount", "-o", "remount,ro", str(self.path)], check=True)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Disk]:
    """A 2 MiB tmpfs under tmp_path (we run as root); skipped when it cannot be mounted."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    try:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        # Only where mounting is forbidden (not root, a container without the capability);
        # the same faults are also tested on a simulated failing connection, which always runs.
        pytest.skip(f"cannot mount a tmpfs here: {exc}")
    if done.returncode != 0:  # the same reason as above: mounting refused by the system
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield Disk(mount_point)
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False, timeout=10)
