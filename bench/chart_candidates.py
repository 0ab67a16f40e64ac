"""The chart libraries measured before choosing how to draw charts (issue #14, docs/benchmarks.md,
"Charts"): one indicator's chart (a line with a gap, three target marks, a title and a legend) drawn
by matplotlib (tuned: one Figure reused, no layout engine), pygal and vl-convert-python (Vega-Lite),
in CPU milliseconds per chart. They are not machiplan's dependencies: run it in a scratch venv,

    python3 -m venv /tmp/charts && /tmp/charts/bin/pip install matplotlib==3.11.2 pygal vl-convert-python
    /tmp/charts/bin/python bench/chart_candidates.py

and bench/charts.py for machiplan's own SVG writer, on the same machine."""

from __future__ import annotations

import io
import math
import statistics
import time

YEARS = list(range(2013, 2023))
ACTUAL = [887, 901, None, 925, 939, None, None, None, None, None]
TARGETS = [(2018, 1100, "計画目標"), (2019, 1123, "アクションプラン"), (2022, 1300, "戦略ビジョン")]


def timed(draw, n: int) -> float:
    draw()
    rounds = []
    for _ in range(3):
        start = time.process_time()
        for _ in range(n):
            draw()
        rounds.append((time.process_time() - start) / n * 1000)
    return statistics.median(rounds)


def matplotlib_tuned():
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.4, 2.6))
    FigureCanvasSVG(figure)
    ax = figure.add_axes((0.1, 0.25, 0.87, 0.65))

    def draw() -> str:
        ax.cla()
        ax.axvspan(2013.5, 2018.5, color="#e8eef5")
        ax.plot(YEARS, [math.nan if v is None else v for v in ACTUAL], marker="o", label="実績")
        for fy, value, label in TARGETS:
            ax.plot([fy], [value], marker="*", linestyle="none", label=label)
        ax.set_ylim(0, None)
        ax.set_title("認証NPO法人数")
        ax.legend(ncol=3, fontsize=7)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg")
        return buffer.getvalue()

    return draw


def pygal_chart():
    import pygal

    def draw() -> str:
        chart = pygal.XY(title="認証NPO法人数", width=640, height=300, include_x_axis=True, legend_at_bottom=True,
                         disable_xml_declaration=True, js=[])  # fmt: skip
        chart.add("実績", list(zip(YEARS, ACTUAL, strict=True)), allow_interruptions=True)
        for fy, value, label in TARGETS:
            chart.add(label, [(fy, value)], stroke=False)
        return chart.render()

    return draw


def vega_lite():
    import vl_convert

    data = [{"fy": y, "v": v, "k": "実績"} for y, v in zip(YEARS, ACTUAL, strict=True) if v is not None]
    data += [{"fy": y, "v": v, "k": label} for y, v, label in TARGETS]
    x, y = {"field": "fy", "type": "ordinal"}, {"field": "v", "type": "quantitative", "scale": {"zero": True}}
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": "認証NPO法人数",
        "width": 560,
        "height": 180,
        "data": {"values": data},
        "layer": [
            {"mark": {"type": "line", "point": True}, "transform": [{"filter": "datum.k == '実績'"}],
             "encoding": {"x": x, "y": y, "color": {"field": "k"}}},
            {"mark": {"type": "point", "shape": "diamond", "filled": True}, "transform": [{"filter": "datum.k != '実績'"}],
             "encoding": {"x": x, "y": y, "color": {"field": "k"}}},
        ],
    }  # fmt: skip

    def draw() -> str:
        return vl_convert.vegalite_to_svg(spec)

    return draw


def main() -> None:
    for name, make, n in (
        ("matplotlib, tuned", matplotlib_tuned, 30),
        ("pygal", pygal_chart, 50),
        ("vl-convert-python (Vega-Lite)", vega_lite, 20),
    ):
        try:
            print(f"{name}: {timed(make(), n):.1f} ms CPU per chart")
        except ImportError as missing:
            print(f"{name}: not installed ({missing.name})")


if __name__ == "__main__":
    main()
