"""Simple bar charts drawn server-side as inline SVG (templates/web/_chart_*.html): no library, no
script. Functions here only compute geometry; templates escape every label."""

from dataclasses import dataclass, field
from datetime import date

# Colour-blind-safe hues (Okabe–Ito based) on a white background.
STATUS_SERIES = [
    ("candidate", "Undecided", "#C98A00"),
    ("accepted", "Accepted", "#2F6DB5"),
    ("rejected", "Rejected", "#9AA0A6"),
]
# From "worst" to "best" rating: red → grey → green.
RATING_PALETTE = ["#8E1B1B", "#C0392B", "#E07B39", "#B8A14A", "#6BA368", "#2E7D4F", "#1B5E3A", "#0E3F26"]


@dataclass
class Bar:
    x: float
    y: float
    w: float
    h: float
    fill: str
    title: str


@dataclass
class ChartRow:
    label: str
    y: float
    text_y: float
    total: int
    total_x: float
    bars: list[Bar] = field(default_factory=list)
    values: list[int] = field(default_factory=list)  # per series, for the table under the chart


def rating_series(labels: list[str]) -> list[tuple[str, str, str]]:
    if not labels:
        return []
    n = len(labels)
    step = (len(RATING_PALETTE) - 1) / max(1, n - 1)
    return [(label, label, RATING_PALETTE[round(i * step)]) for i, label in enumerate(labels)]


def _nice_scale(value: int) -> tuple[int, int]:
    """A round top for an axis and the step between its ticks (at most five steps)."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 25000, 50000):
        if value <= step * 5:
            return max(step, -(-value // step) * step), step
    return value, max(1, value // 5)


def _ticks(top: int, step: int) -> list[int]:
    return list(range(0, top + 1, step))


def hbar_stacked(
    data: dict[str, dict[str, int]],
    series: list[tuple[str, str, str]],
    *,
    width: int = 560,
    row_height: int = 28,
    label_width: int = 170,
    max_rows: int = 15,
) -> dict:
    """Horizontal stacked bars, one row per key of `data` (largest total first)."""
    rows_in = sorted(data.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))[:max_rows]
    top, step = _nice_scale(max((sum(v.values()) for _, v in rows_in), default=0))
    plot = width - label_width - 50
    rows = []
    for i, (label, values) in enumerate(rows_in):
        y = 8 + i * row_height
        x = float(label_width)
        bars = []
        total = 0
        for key, name, colour in series:
            n = values.get(key, 0)
            if not n:
                continue
            w = plot * n / top
            bars.append(
                Bar(
                    x=round(x, 1),
                    y=y,
                    w=round(max(w, 1), 1),
                    h=row_height - 10,
                    fill=colour,
                    title=f"{label}: {n} {name.lower()}",
                )
            )
            x += w
            total += n
        rows.append(
            ChartRow(
                label=label,
                y=y,
                text_y=y + (row_height - 10) / 2 + 4,
                total=total,
                total_x=round(x + 6, 1),
                bars=bars,
                values=[values.get(key, 0) for key, _, _ in series],
            )
        )
    height = 8 + len(rows) * row_height + 24
    ticks = [{"x": round(label_width + plot * t / top, 1), "label": t} for t in _ticks(top, step)]
    return {
        "width": width,
        "height": height,
        "rows": rows,
        "ticks": ticks,
        "axis_y": height - 18,
        "label_x": label_width - 8,
        "legend": [{"label": name, "fill": colour} for _, name, colour in series],
        "series": series,
        "empty": not rows,
    }


def vbar_stacked(
    days: list[date],
    data: dict[date, dict[str, int]],
    series: list[tuple[str, str, str]],
    *,
    width: int = 560,
    height: int = 200,
) -> dict:
    """Vertical stacked bars, one column per day."""
    left, bottom, top_pad = 36, 28, 10
    plot_w, plot_h = width - left - 8, height - bottom - top_pad
    top, step = _nice_scale(max((sum(data.get(d, {}).values()) for d in days), default=0))
    slot = plot_w / max(1, len(days))
    columns = []
    for i, day in enumerate(days):
        values = data.get(day, {})
        x = left + i * slot + slot * 0.15
        y = top_pad + plot_h
        bars = []
        for key, name, colour in series:
            n = values.get(key, 0)
            if not n:
                continue
            h = plot_h * n / top
            y -= h
            bars.append(
                Bar(
                    x=round(x, 1),
                    y=round(y, 1),
                    w=round(slot * 0.7, 1),
                    h=round(h, 1),
                    fill=colour,
                    title=f"{day:%a %d %b}: {n} {name.lower()}",
                )
            )
        columns.append(
            {
                "label": f"{day:%d}",
                "full": f"{day:%a %d %b}",
                "x": round(left + i * slot + slot / 2, 1),
                "bars": bars,
                "total": sum(values.get(k, 0) for k, _, _ in series),
                "values": [values.get(k, 0) for k, _, _ in series],
            }
        )
    ticks = [{"y": round(top_pad + plot_h - plot_h * t / top, 1), "label": t} for t in _ticks(top, step)]
    return {
        "width": width,
        "height": height,
        "columns": columns,
        "ticks": ticks,
        "left": left,
        "right": width - 8,
        "axis_y": top_pad + plot_h,
        "label_y": height - 10,
        "legend": [{"label": name, "fill": colour} for _, name, colour in series],
        "series": series,
        "empty": not any(c["total"] for c in columns),
    }
