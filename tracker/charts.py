"""Charts as inline SVG, drawn on the server: no script, no CDN, nothing the analysts' closed networks or the
Content-Security-Policy would block, and they print. Colours come from CSS classes (`tracker/site.css`,
`.s-answers`, `.s-partly`, ...), so a chart follows the page's legend. Every label is escaped. A chart with
nothing to draw (every value zero) is an empty string, false in a template's `{% if %}`, so that the page says
so in words rather than show bare axes. Pure: data in, markup out."""
from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 720, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 14, 38

Series = tuple[str, str, list[float]]  # (name, css class, one value per label)
NOTHING = mark_safe("")  # a chart with nothing to draw


def _nothing_to_draw(value_lists) -> bool:
    return not any(value for values in value_lists for value in values)


def _nice_max(value: float) -> float:
    """The smallest of 1, 2, 5 x 10^n at least `value` (and at least 1)."""
    if value <= 1:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def _frame(title: str, body: list[str], legend: list[tuple[str, str]], height: int = HEIGHT) -> SafeString:
    legend_items = "".join(
        f'<g transform="translate({LEFT + i * 150},{height - 10})"><rect class="{escape(css)}" width="10" '
        f'height="10" y="-9"/><text x="14">{escape(name)}</text></g>'
        for i, (name, css) in enumerate(legend)
    )
    return mark_safe(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>{"".join(body)}{legend_items}</svg>'
    )


def _axes(labels: list[str], top: float, unit: str, plot_h: float, every: int) -> list[str]:
    plot_w = WIDTH - LEFT - RIGHT
    parts = [f'<line class="axis" x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}"/>']
    for i in range(5):
        value = top * i / 4
        y = TOP + plot_h - plot_h * i / 4
        shown = f"{value:g}{unit}"
        parts.append(f'<line class="grid" x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}"/>'
                     f'<text class="tick" x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end">{escape(shown)}</text>')
    slot = plot_w / max(len(labels), 1)
    for i, label in enumerate(labels):
        if i % every == 0:
            x = LEFT + slot * (i + 0.5)
            parts.append(f'<text class="tick" x="{x:.1f}" y="{TOP + plot_h + 14}" '
                         f'text-anchor="middle">{escape(label)}</text>')
    return parts


def _marker(index: int | None, count: int, plot_h: float, text: str) -> list[str]:
    if index is None or not count:
        return []
    slot = (WIDTH - LEFT - RIGHT) / count
    x = LEFT + slot * index
    return [f'<line class="marker" x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{TOP + plot_h}"/>'
            f'<text class="marker-label" x="{x + 3:.1f}" y="{TOP + 10}">{escape(text)}</text>']


def stacked_bars(title: str, labels: list[str], series: list[Series], marker: int | None = None,
                 marker_text: str = "") -> SafeString:
    """One stacked bar per label; each bar's parts titled with their count."""
    if _nothing_to_draw(values for _, _, values in series):
        return NOTHING
    plot_h = HEIGHT - TOP - BOTTOM
    totals = [sum(values[i] for _, _, values in series) for i in range(len(labels))]
    top = _nice_max(max(totals, default=0))
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    body = _axes(labels, top, "", plot_h, every=max(1, len(labels) // 8))
    for i, label in enumerate(labels):
        y = TOP + plot_h
        for name, css, values in series:
            if not values[i]:
                continue
            h = plot_h * values[i] / top
            y -= h
            body.append(f'<rect class="{escape(css)}" x="{LEFT + slot * i + slot * 0.15:.1f}" y="{y:.1f}" '
                        f'width="{slot * 0.7:.1f}" height="{h:.1f}"><title>{escape(label)}: {values[i]:g} '
                        f'{escape(name)}</title></rect>')
    body += _marker(marker, len(labels), plot_h, marker_text)
    return _frame(title, body, [(name, css) for name, css, _ in series])


def lines(title: str, labels: list[str], series: list[Series], top: float = 100, unit: str = "%",
          marker: int | None = None, marker_text: str = "") -> SafeString:
    """One line per series over the labels (a step each label), with a dot and its value at each point. Lines
    that all stay at zero are nothing to draw."""
    if _nothing_to_draw(values for _, _, values in series):
        return NOTHING
    plot_h = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    body = _axes(labels, top, unit, plot_h, every=max(1, len(labels) // 8))
    for name, css, values in series:
        points = [(LEFT + slot * (i + 0.5), TOP + plot_h - plot_h * min(v, top) / top) for i, v in enumerate(values)]
        if points:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            body.append(f'<polyline class="line {escape(css)}" points="{path}"/>')
            body += [f'<circle class="{escape(css)}" cx="{x:.1f}" cy="{y:.1f}" r="2.5"><title>{escape(labels[i])}: '
                     f'{values[i]:g}{escape(unit)} {escape(name)}</title></circle>' for i, (x, y) in enumerate(points)]
    body += _marker(marker, len(labels), plot_h, marker_text)
    return _frame(title, body, [(name, css) for name, css, _ in series])


def horizontal_bars(title: str, rows: list[tuple[str, list[float]]], series: list[tuple[str, str]]) -> SafeString:
    """One stacked horizontal bar per row (label, values in the order of `series`), the total at its end."""
    if _nothing_to_draw(values for _, values in rows):
        return NOTHING
    bar, gap, label_w = 16, 6, 240
    height = TOP + len(rows) * (bar + gap) + 30
    top = _nice_max(max((sum(values) for _, values in rows), default=0))
    plot_w = WIDTH - label_w - 50
    body = []
    for r, (label, values) in enumerate(rows):
        y = TOP + r * (bar + gap)
        shown = label if len(label) <= 38 else label[:37] + "…"
        body.append(f'<text class="tick" x="{label_w - 6}" y="{y + bar - 4}" text-anchor="end">'
                    f'<title>{escape(label)}</title>{escape(shown)}</text>')
        x = float(label_w)
        for (name, css), value in zip(series, values, strict=True):
            if not value:
                continue
            w = plot_w * value / top
            body.append(f'<rect class="{escape(css)}" x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar}">'
                        f'<title>{escape(label)}: {value:g} {escape(name)}</title></rect>')
            x += w
        body.append(f'<text class="tick" x="{x + 4:.1f}" y="{y + bar - 4}">{sum(values):g}</text>')
    return _frame(title, body, list(series), height=height)
