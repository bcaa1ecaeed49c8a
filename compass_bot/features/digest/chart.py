"""The digest's chart: the lesson-time heatmap (weekday x hour) beside the alerts per day,
as a PNG of a fixed size. matplotlib's Agg canvas on a Figure of its own (no pyplot state),
so it is safe in a worker thread; imported lazily, since only the digest needs it."""

from __future__ import annotations

import asyncio
import io
import os
import sys
from pathlib import Path
from typing import Final

from compass_bot.features.digest.rules import Digest
from compass_bot.features.digest.texts import labels, weekday_names

WIDTH: Final = 1200
HEIGHT: Final = 600
DPI: Final = 100
CHART_SIZE: Final = (WIDTH, HEIGHT)


CHART_SOFTWARE = "compass-bot digest"
"""Written into every chart (PNG text "Software"): `digest --png` replaces only its own
charts, never a photo that happens to be a PNG. A constant: the same digest, the same bytes."""
CHART_MARK = b"tEXtSoftware\x00" + CHART_SOFTWARE.encode()


MPL_FOLDER: Final = ".matplotlib"
"""matplotlib's config and font cache beside the database, when its own folder cannot be
written (a read-only home under systemd's ProtectSystem=strict, a read-only container)."""


def _default_folders() -> list[Path]:
    """Where matplotlib keeps its config and cache without MPLCONFIGDIR."""
    try:
        home = Path.home()
    except RuntimeError:  # no home at all
        return []
    if not sys.platform.startswith(("linux", "freebsd")):
        return [home / ".matplotlib"]
    config = os.environ.get("XDG_CONFIG_HOME") or str(home / ".config")
    cache = os.environ.get("XDG_CACHE_HOME") or str(home / ".cache")
    return [Path(config, "matplotlib"), Path(cache, "matplotlib")]


def _writable(folder: Path) -> bool:
    """Whether `folder` can be written, or made in its nearest existing ancestor."""
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    return probe.is_dir() and os.access(probe, os.W_OK | os.X_OK)


def settle_config_folder(database: Path) -> None:
    """Before matplotlib is first imported: when MPLCONFIGDIR is unset and matplotlib's own
    folders cannot be written, MPLCONFIGDIR is a folder beside the database (the bot writes
    there anyway), so it says no warning on every chart and keeps its font cache between
    starts. Set by the operator, or writable, it is left alone."""
    if os.environ.get("MPLCONFIGDIR") or "matplotlib" in sys.modules:
        return
    defaults = _default_folders()
    if defaults and all(_writable(folder) for folder in defaults):
        return
    beside = database.parent / MPL_FOLDER
    if _writable(beside):
        os.environ["MPLCONFIGDIR"] = str(beside)


async def render_chart(
    digest: Digest, language: str, database: Path, school: str | None = None
) -> bytes:
    """`render_png` in a worker thread, matplotlib's folder settled first on the calling
    thread (`settle_config_folder`: the environment is not changed while threads run; on a
    board two schools' digests may render at once). `database`: the school's file."""
    settle_config_folder(database)
    return await asyncio.to_thread(render_png, digest, language, school=school)


def render_png(digest: Digest, language: str = "nl", *, school: str | None = None) -> bytes:
    """The chart as PNG bytes, WIDTH x HEIGHT pixels; the same digest gives the same bytes.
    `school`: a board's school, named in the title as in the text's header."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    t = labels(language)
    days = weekday_names(language)
    figure = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI)
    FigureCanvasAgg(figure)
    grid_ax, day_ax = figure.subplots(1, 2, gridspec_kw={"width_ratios": (3, 2)})
    week = digest.period.label
    title = t["title_school"].format(school=school, week=week) if school else None
    figure.suptitle(title or t["title"].format(week=week), fontsize=14)

    rows = [days[d] for d in digest.period.grid_days]
    hours = [f"{h:02d}" for h in digest.period.grid_hours]
    values = [list(row) for row in digest.grid]
    top = max((n for row in values for n in row), default=0)
    image = grid_ax.imshow(values, cmap="Oranges", aspect="auto", vmin=0, vmax=max(top, 1))
    grid_ax.set_xticks(range(len(hours)), hours)
    grid_ax.set_yticks(range(len(rows)), rows)
    grid_ax.set_xlabel(t["chart_hour"])
    grid_ax.set_title(t["chart_title_grid"])
    for i, row in enumerate(values):
        for j, n in enumerate(row):
            if n:
                dark = n > top / 2
                grid_ax.text(
                    j, i, str(n), ha="center", va="center", color="white" if dark else "black"
                )
    scale = figure.colorbar(image, ax=grid_ax, label=t["chart_count"])
    scale.ax.yaxis.set_major_locator(MaxNLocator(integer=True))

    names = [f"{days[d.weekday()]}\n{d:%d-%m}" for d, _ in digest.per_day]
    counts = [n for _, n in digest.per_day]
    bars = day_ax.bar(range(len(counts)), counts, color="#E67E22")
    day_ax.bar_label(bars, labels=[str(n) if n else "" for n in counts])
    day_ax.set_xticks(range(len(names)), names)
    day_ax.set_ylim(0, max(max(counts, default=0), 1) * 1.15)
    day_ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    day_ax.set_ylabel(t["chart_count"])
    day_ax.set_title(t["chart_title_days"])
    figure.subplots_adjust(left=0.06, right=0.98, top=0.86, bottom=0.14, wspace=0.25)

    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, metadata={"Software": CHART_SOFTWARE})
    return out.getvalue()
