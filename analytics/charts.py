"""Geometry for the server-rendered SVG charts (templates/analytics/_chart_*.html). Every
chart has the same numbers in a table beside it; each mark links to the people behind it."""

from dataclasses import dataclass

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 36
PALETTE = ("#2563eb", "#dc2626", "#d97706", "#6b7280", "#059669")


@dataclass(frozen=True)
class Mark:
    """Coordinates are formatted once here (templates only print them)."""

    x: str
    y: str
    w: str
    h: str
    label: str
    value: object
    href: str
    colour: str


def _mark(x: float, y: float, w: float, h: float, label: str, value: object,
          *rest) -> Mark:
    # The value as text once: the template prints hundreds of marks.
    return Mark(f"{x:.1f}", f"{y:.1f}", f"{w:.1f}", f"{h:.1f}", label, str(value), *rest)


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    step = 10 ** (len(str(int(value))) - 1)
    return float(((int(value) // step) + 1) * step)


def _ticks(top: float, plot_h: float) -> list[tuple[str, str]]:
    return [(f"{TOP + plot_h - plot_h * i / 4:.1f}", f"{top * i / 4:g}") for i in range(5)]


def _x_labels(labels: list[str], x_of, every: int) -> list[tuple[str, str]]:
    return [(f"{x_of(i):.1f}", label) for i, label in enumerate(labels) if i % every == 0]


def line_chart(labels: list[str], series: list[tuple[str, list, list[str]]]) -> dict:
    """series: (name, values, hrefs). Values may be None (a gap)."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    values = [float(v) for _, vs, _ in series for v in vs if v is not None]
    top = _nice_max(max(values, default=0))
    n = max(len(labels), 1)

    def x_of(i: int) -> float:
        return LEFT + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    lines = []
    for index, (name, vs, hrefs) in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        marks = [_mark(x_of(i), TOP + plot_h - plot_h * float(v) / top, 0, 0, labels[i], v,
                       hrefs[i] if hrefs else "", colour)
                 for i, v in enumerate(vs) if v is not None]
        points = " ".join(f"{m.x},{m.y}" for m in marks)
        lines.append({"name": name, "colour": colour, "points": points, "marks": marks})
    return {"width": WIDTH, "height": HEIGHT, "lines": lines, "ticks": _ticks(top, plot_h),
            "x_labels": _x_labels(labels, x_of, max(1, n // 12)), "left": LEFT,
            "right": WIDTH - RIGHT, "bottom": TOP + plot_h, "top": TOP,
            "tick_x": LEFT - 6, "label_y": TOP + plot_h + 16}


def bar_chart(labels: list[str], series: list[tuple[str, list, list[str]]],
              stacked: bool = False) -> dict:
    """Grouped (or stacked) bars: one group per label, one bar (segment) per series."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = max(len(labels), 1)
    totals = ([sum(float(vs[i] or 0) for _, vs, _ in series) for i in range(len(labels))]
              if stacked else [float(v or 0) for _, vs, _ in series for v in vs])
    top = _nice_max(max(totals, default=0))
    group_w = plot_w / n
    bar_w = group_w * 0.8 / (1 if stacked else max(len(series), 1))
    marks = []
    for i, label in enumerate(labels):
        base = TOP + plot_h
        for index, (_name, vs, hrefs) in enumerate(series):
            value = vs[i] or 0
            h = plot_h * float(value) / top
            x = LEFT + group_w * i + group_w * 0.1 + (0 if stacked else bar_w * index)
            y = base - h
            marks.append(_mark(x, y, bar_w, h, label, value, hrefs[i] if hrefs else "",
                               PALETTE[index % len(PALETTE)]))
            if stacked:
                base = y
    return {"width": WIDTH, "height": HEIGHT, "marks": marks, "ticks": _ticks(top, plot_h),
            "x_labels": _x_labels(labels, lambda i: LEFT + group_w * (i + 0.5),
                                  max(1, n // 12)),
            "legend": [(name, PALETTE[i % len(PALETTE)]) for i, (name, _, _) in
                       enumerate(series)],
            "left": LEFT, "right": WIDTH - RIGHT, "bottom": TOP + plot_h, "top": TOP,
            "tick_x": LEFT - 6, "label_y": TOP + plot_h + 16}


