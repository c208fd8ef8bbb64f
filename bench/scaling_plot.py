#!/usr/bin/env python3
"""The scaling table and plot from bench/scaling.sh's TSV.

    python3 bench/scaling_plot.py scaling.tsv scaling.svg

Prints a Markdown table (median wall seconds per run kind and scale, min to max, the largest peak
RSS, and seconds per million rows) and writes an SVG plot of median wall time against rows, with
the line through the origin and the 1x no-cache median (what linear growth would give). The SVG
is plain text with fixed formatting, so the same TSV gives the same bytes.
"""

from __future__ import annotations

import csv
import statistics
import sys
from collections import defaultdict

RUNS = [
    ("cat", "cat (floor)", "#888888"),
    ("no-cache", "saferstats --no-cache", "#1f77b4"),
    ("first-with-cache", "first run with the cache", "#d62728"),
    ("one-month-added", "re-run after one month added", "#2ca02c"),
    ("warm", "warm re-run", "#9467bd"),
]


def load(path: str):
    cells = defaultdict(list)
    meta = {}
    with open(path, newline="") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            scale = float(r["scale"])
            cells[(scale, r["run"])].append((float(r["wall_s"]), int(r["rss_mb"])))
            meta[scale] = (int(r["rows"]), int(r["bytes"]))
    return cells, meta


def table(cells, meta) -> str:
    lines = [
        "| scale | rows | GB | run | median wall s (min to max) | s per M rows | peak RSS MB |",
        "|---:|---:|---:|---|---:|---:|---:|",
    ]
    for scale in sorted(meta):
        rows, nbytes = meta[scale]
        for run, _, _ in RUNS:
            got = cells.get((scale, run))
            if not got:
                continue
            walls = [w for w, _ in got]
            med = statistics.median(walls)
            lines.append(
                f"| {scale:g}x | {rows:,} | {nbytes / 1e9:.1f} | {run} | {med:.2f} ({min(walls):.2f} to {max(walls):.2f}) "
                f"| {med / (rows / 1e6):.3f} | {max(m for _, m in got)} |"
            )
    return "\n".join(lines)


def svg(cells, meta) -> str:
    width, height, left, right, top, bottom = 720, 440, 70, 200, 30, 60
    pw, ph = width - left - right, height - top - bottom
    xmax = max(meta[s][0] for s in meta) / 1e6
    medians = {k: statistics.median(w for w, _ in v) for k, v in cells.items()}
    ymax = max(medians.values()) * 1.1 or 1.0
    x = lambda rows_m: left + pw * rows_m / xmax
    y = lambda s: top + ph * (1.0 - s / ymax)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        '<title>saferstats wall time against rows, national history archive</title>',
        f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#000"/>',
    ]
    for i in range(6):
        v = ymax * i / 5
        out.append(f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v:.1f}</text>')
    for scale in sorted(meta):
        rows_m = meta[scale][0] / 1e6
        out.append(f'<text x="{x(rows_m):.1f}" y="{top + ph + 16}" text-anchor="middle">{rows_m:g}M</text>')
    out.append(f'<text x="{left + pw / 2}" y="{height - 15}" text-anchor="middle">rows (millions)</text>')
    out.append(f'<text x="16" y="{top + ph / 2}" text-anchor="middle" transform="rotate(-90 16 {top + ph / 2})">median wall seconds</text>')
    base = min(meta)
    if (base, "no-cache") in medians:
        per_m = medians[(base, "no-cache")] / (meta[base][0] / 1e6)
        out.append(f'<line x1="{x(0):.1f}" y1="{y(0):.1f}" x2="{x(xmax):.1f}" y2="{y(min(per_m * xmax, ymax)):.1f}" stroke="#1f77b4" stroke-dasharray="4 4"/>')
    legend_y = top + 10
    for run, label, colour in RUNS:
        pts = [(meta[s][0] / 1e6, medians[(s, run)]) for s in sorted(meta) if (s, run) in medians]
        if not pts:
            continue
        path = " ".join(f"{x(a):.1f},{y(b):.1f}" for a, b in pts)
        out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        out.extend(f'<circle cx="{x(a):.1f}" cy="{y(b):.1f}" r="3" fill="{colour}"/>' for a, b in pts)
        out.append(f'<line x1="{left + pw + 12}" y1="{legend_y}" x2="{left + pw + 32}" y2="{legend_y}" stroke="{colour}" stroke-width="2"/>')
        out.append(f'<text x="{left + pw + 36}" y="{legend_y + 4}">{label}</text>')
        legend_y += 18
    out.append(f'<line x1="{left + pw + 12}" y1="{legend_y}" x2="{left + pw + 32}" y2="{legend_y}" stroke="#1f77b4" stroke-dasharray="4 4"/>')
    out.append(f'<text x="{left + pw + 36}" y="{legend_y + 4}">linear from 1x --no-cache</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main(argv) -> int:
    if len(argv) != 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    cells, meta = load(argv[1])
    if not meta:
        print(f"scaling_plot: no rows in {argv[1]}", file=sys.stderr)
        return 1
    print(table(cells, meta))
    with open(argv[2], "w") as fh:
        fh.write(svg(cells, meta))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
