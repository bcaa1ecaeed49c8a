"""The digest's chart: the lesson-time heatmap (weekday x hour) beside the alerts per day,
as a PNG of a fixed size. matplotlib's Agg canvas on a Figure of its own (no pyplot state),
so it is safe in a worker thread; imported lazily, since only the digest needs it."""

from __future__ import annotations

import io
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


def render_png(digest: Digest, language: str = "nl") -> bytes:
    """The chart as PNG bytes, WIDTH x HEIGHT pixels; the same digest gives the same bytes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    t = labels(language)
    days = weekday_names(language)
    figure = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI)
    FigureCanvasAgg(figure)
    grid_ax, day_ax = figure.subplots(1, 2, gridspec_kw={"width_ratios": (3, 2)})
    figure.suptitle(t["title"].format(week=digest.period.label), fontsize=14)

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
