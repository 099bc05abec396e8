"""The round's overview map, drawn offline with matplotlib (no tile server, no network).

Under the route: the communes' outlines and names (bundled geometry, :mod:`common.boundaries`).
On top: the depot and one numbered bubble per stop. Bubbles are placed greedily, in stop order:
on the stop when there is room, else pushed aside with a thin leader line, so no two bubbles
overlap and none leaves the map. A commune name is written only where it hits no bubble, no
other name and stays in the frame. The caption is wrapped and fitted inside the picture.
"""

from __future__ import annotations

import io
import math
import textwrap
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")
import matplotlib.patheffects as path_effects  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Polygon as PolygonPatch  # noqa: E402

from common.boundaries import communes_in_box, point_in_ring  # noqa: E402

from .data import RouteSheet  # noqa: E402

STATUS_COLOURS = {"planned": "#0b5d1e", "delivered": "#7a7a7a", "failed": "#b00020"}
COMMUNE_FILL = "#f1efe6"
COMMUNE_EDGE = "#a3a09a"
COMMUNE_TEXT = "#6e6b66"
CREDIT = "Communes : IGN Admin Express (Licence Ouverte)"

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in figure pixels (origin bottom left)


@dataclass(frozen=True)
class OverviewMap:
    """What :func:`draw_overview_map` drew, for the sheet and for the tests.

    Attributes
    ----------
    png
        The picture.
    size_px
        ``(width, height)`` of the picture in pixels.
    communes_named
        The commune names written on the map, in drawing order.
    stop_boxes
        Sequence number -> the bubble's box ``(x0, y0, x1, y1)`` in pixels, origin bottom left.
    moved_stops
        Sequence numbers whose bubble was pushed aside (drawn with a leader line).
    caption_box
        The caption's box in pixels.
    name_boxes
        The boxes of the commune names written, in the order of ``communes_named``.
    """

    png: bytes
    size_px: tuple[int, int]
    communes_named: tuple[str, ...]
    stop_boxes: dict[int, Box]
    moved_stops: tuple[int, ...]
    caption_box: Box
    name_boxes: tuple[Box, ...] = ()


def _scale_bar_km(span_km: float) -> float:
    """A round length for the scale bar, about a fifth of the map width."""
    target = max(span_km / 5, 0.1)
    for step in (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50):
        if step >= target:
            return step
    return 100.0


def overlap_area(a: Box, b: Box) -> float:
    """Area shared by two boxes (0 when they only touch)."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _inside(inner: Box, outer: Box) -> bool:
    return inner[0] >= outer[0] and inner[1] >= outer[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def _extent(artist, renderer) -> Box:
    e = artist.get_window_extent(renderer)
    return (e.x0, e.y0, e.x1, e.y1)


def place_bubbles(points: list[tuple[float, float]], size: float, frame: Box,
                  obstacles: list[Box]) -> list[tuple[float, float]]:
    """Centres for square bubbles of side ``size`` (pixels), one per point, greedily in order.

    Each bubble goes on its point when it fits, else at the nearest of 8 directions at growing
    distance where it overlaps no earlier bubble nor obstacle and stays in ``frame``; when none
    fits, the least overlapping place is kept.
    """
    placed: list[Box] = []
    out = []
    half = size / 2
    rings = [0.0, 1.15, 1.9, 2.7, 3.6]
    angles = [math.radians(a) for a in (45, 135, 315, 225, 90, 270, 0, 180)]
    for px, py in points:
        best, best_cost = (px, py), math.inf
        for ring in rings:
            for angle in angles if ring else [0.0]:
                cx, cy = px + ring * size * math.cos(angle), py + ring * size * math.sin(angle)
                box = (cx - half, cy - half, cx + half, cy + half)
                cost = sum(overlap_area(box, other) for other in placed + obstacles)
                if not _inside(box, frame):
                    cost += size * size * 10
                cost += ring * 0.01  # prefer the nearest place among free ones
                if cost < best_cost:
                    best, best_cost = (cx, cy), cost
            if best_cost < 1:
                break
        out.append(best)
        placed.append((best[0] - half, best[1] - half, best[0] + half, best[1] + half))
    return out


def _figure_size(line, width_in: float, height_in: float | None) -> tuple[float, float]:
    if height_in is not None:
        return width_in, height_in
    lons, lats = [p[0] for p in line], [p[1] for p in line]  # follow the round's shape
    mid = math.radians((min(lats) + max(lats)) / 2)
    ratio = (max(lats) - min(lats) + 0.004) / ((max(lons) - min(lons)) * math.cos(mid) + 0.004)
    if ratio > 1:
        return min(width_in, max(width_in / ratio, 4.5) + 0.3), width_in
    return width_in, max(width_in * ratio, 3.0) + 0.9


def draw_overview_map(sheet: RouteSheet, *, width_in: float = 6.0, height_in: float | None = None,
                      dpi: int = 150, large: bool = False) -> OverviewMap:
    """Draw the communes, the route, the depot and the numbered stops; say what was drawn.

    The line follows ``sheet.path`` (road geometry when ``path_is_road``), otherwise straight
    segments between consecutive stops. Longitudes are scaled by cos(latitude) so distances look
    right at 50° N.

    Parameters
    ----------
    sheet
        The round to draw.
    width_in, height_in
        Figure size in inches; by default the longer side is ``width_in`` and the other
        follows the round's shape.
    dpi
        Resolution in dots per inch.
    large
        Bigger numbers and thicker lines for the large-print sheet.
    """
    depot = (sheet.depot_lon, sheet.depot_lat)
    line = list(sheet.path) if sheet.path else [depot, *((s.lon, s.lat) for s in sheet.stops), depot]
    width_in, height_in = _figure_size(line, width_in, height_in)
    caption_pt = 11 if large else 9
    parts = [f"{sheet.van_name} — {len(sheet.stops)} arrêts",
             "tracé routier" if sheet.path_is_road else "trajets en ligne droite",
             "▲ collecte · ● livraison"]
    chars = max(20, int(width_in * 72 / (caption_pt * 0.6)))
    lines: list[str] = []
    for part in parts:  # a line break only between parts, unless one part alone is too long
        if lines and len(lines[-1]) + 3 + len(part) <= chars:
            lines[-1] += " · " + part
        else:
            lines += textwrap.wrap(part, chars)
    caption = "\n".join(lines)
    caption_lines = caption.count("\n") + 1
    fig = plt.figure(figsize=(width_in, height_in), dpi=dpi)
    try:
        top = 1 - (caption_lines * caption_pt * 1.35 + 10) / (height_in * 72)
        ax = fig.add_axes((0.015, 0.015, 0.97, top - 0.015))
        ax.set_facecolor("#fbfbf8")
        xs, ys = [p[0] for p in line] + [depot[0]], [p[1] for p in line] + [depot[1]]
        mid_lat = (min(ys) + max(ys)) / 2
        cos_lat = math.cos(math.radians(mid_lat))
        marker_pt = 20 if large else 16
        size_px = marker_pt * dpi / 72
        box_w, box_h = ax.get_position().width * width_in * dpi, ax.get_position().height * height_in * dpi
        margin = 1.7 * size_px  # room for a bubble pushed aside at the edge
        # at least about 3 km across, so even a one-village round shows its neighbours
        span_x, span_y = max(max(xs) - min(xs), 0.04) * cos_lat, max(max(ys) - min(ys), 0.026)
        scale = min((box_w - 2 * margin) / span_x, (box_h - 2 * margin) / span_y)  # pixels per degree of latitude
        cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
        ax.set_xlim(cx - box_w / 2 / scale / cos_lat, cx + box_w / 2 / scale / cos_lat)
        ax.set_ylim(cy - box_h / 2 / scale, cy + box_h / 2 / scale)
        ax.set_aspect(1 / cos_lat, adjustable="box")  # the limits above already have the box's shape
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_color("#777777")
        title = fig.text(0.5, 1 - 4 / (height_in * 72), caption, ha="center", va="top", fontsize=caption_pt,
                         linespacing=1.25)
        fig.canvas.draw()  # fixes the axes' limits (aspect) so data -> pixel transforms hold from here
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        x0, x1 = ax.get_xlim()
        y0, y1 = ax.get_ylim()
        to_px, to_data = ax.transData.transform, ax.transData.inverted().transform
        frame = _extent(ax.patch, renderer)
        inner = (frame[0] + 3, frame[1] + 3, frame[2] - 3, frame[3] - 3)

        view = communes_in_box((x0, y0, x1, y1))
        for commune in view:
            for ring in commune.polygons:
                ax.add_patch(PolygonPatch(ring, closed=True, facecolor=COMMUNE_FILL, edgecolor=COMMUNE_EDGE,
                                          linewidth=0.7, zorder=0))

        route_w = 2.5 if large else 1.6
        ax.plot([p[0] for p in line], [p[1] for p in line], color="#1f4e9c", linewidth=route_w,
                linestyle="-" if sheet.path_is_road else "--", zorder=2)

        obstacles: list[Box] = []
        small_pt = 10 if large else 7
        bar = _scale_bar_km((x1 - x0) * 111.32 * math.cos(math.radians(mid_lat)))
        bar_deg = bar / (111.32 * math.cos(math.radians(mid_lat)))
        bx, by = to_data((inner[0] + 10, inner[1] + 12))
        ax.plot([bx, bx + bar_deg], [by, by], color="black", linewidth=3, zorder=6, solid_capstyle="butt")
        bar_text = ax.annotate(f"{bar:g} km", (bx, by), xytext=(0, 4), textcoords="offset points",
                               fontsize=small_pt, zorder=6)
        credit = ax.text(0.995, 0.004, CREDIT, transform=ax.transAxes, ha="right", va="bottom",
                         fontsize=5.5 if not large else 7, color="#777777", zorder=6,
                         bbox={"boxstyle": "square,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})
        bar_px = to_px([(bx, by), (bx + bar_deg, by)])
        obstacles += [_extent(bar_text, renderer), _extent(credit, renderer),
                      (bar_px[0][0] - 2, bar_px[0][1] - 4, bar_px[1][0] + 2, bar_px[1][1] + 4)]

        # depot: a black square with its word beside it
        ax.scatter([depot[0]], [depot[1]], marker="s", s=220 if large else 140, color="#1a1a1a", zorder=5)
        dpx = to_px([depot])[0]
        depot_half = math.sqrt(220 if large else 140) * dpi / 72 / 2
        depot_box = (dpx[0] - depot_half, dpx[1] - depot_half, dpx[0] + depot_half, dpx[1] + depot_half)
        obstacles.append(depot_box)

        # stops: numbered bubbles, placed so none overlaps another
        stop_px = [tuple(p) for p in to_px([(s.lon, s.lat) for s in sheet.stops])] if sheet.stops else []
        depot_word_at = None
        for dx, dy in ((8, -16), (8, 6), (-38, -16), (-38, 6)):  # "Dépôt" where it hits nothing
            word = ax.annotate("Dépôt", depot, xytext=(dx + depot_half * 72 / dpi, dy), textcoords="offset points",
                               fontsize=12 if large else 8, fontweight="bold", zorder=6)
            box = _extent(word, renderer)
            hits = any(overlap_area(box, (x - size_px / 2, y - size_px / 2, x + size_px / 2, y + size_px / 2))
                       for x, y in stop_px)
            if not hits and _inside(box, inner):
                depot_word_at = word
                break
            word.remove()
        if depot_word_at is None:
            depot_word_at = ax.annotate("Dépôt", depot, xytext=(8, -16), textcoords="offset points",
                                        fontsize=12 if large else 8, fontweight="bold", zorder=6)
        obstacles.append(_extent(depot_word_at, renderer))

        centres = place_bubbles(stop_px, size_px * 1.2, inner, obstacles)  # a little air around each number
        stop_boxes: dict[int, Box] = {}
        moved = []
        for stop, (px, py), (cx, cy) in zip(sheet.stops, stop_px, centres, strict=True):
            colour = STATUS_COLOURS.get(stop.status, "#0b5d1e")
            at = to_data((cx, cy))
            if math.hypot(cx - px, cy - py) > 1:
                moved.append(stop.sequence)
                ax.plot([stop.lon, at[0]], [stop.lat, at[1]], color=colour, linewidth=0.9, zorder=3)
                ax.scatter([stop.lon], [stop.lat], s=14 if large else 9, color=colour, zorder=3.5)
            ax.scatter([at[0]], [at[1]], s=marker_pt ** 2, color="white", edgecolors=colour, linewidths=2,
                       marker="^" if stop.is_collect else "o", zorder=4)
            ax.annotate(str(stop.sequence), at, xytext=(0, -1.5 if stop.is_collect else 0), textcoords="offset points",
                        ha="center", va="center", fontsize=11 if large else 8, fontweight="bold", color=colour, zorder=5)
            half = size_px / 2
            stop_boxes[stop.sequence] = (cx - half, cy - half, cx + half, cy + half)

        # commune names last, where they hit nothing and stay in the frame: at the commune's label
        # point, else at the nearest free place of a grid over the map that lies inside the commune
        taken = list(stop_boxes.values()) + obstacles
        grid = [(x0 + (x1 - x0) * (i + 0.5) / 12, y0 + (y1 - y0) * (j + 0.5) / 12) for i in range(12) for j in range(12)]
        named, name_boxes = [], []
        for commune in sorted(view, key=lambda c: c.name):
            label = ax.text(commune.label_at[0], commune.label_at[1], commune.name, ha="center", va="center",
                            fontsize=8 if large else 6, color=COMMUNE_TEXT, style="italic", zorder=1)
            label.set_path_effects([path_effects.withStroke(linewidth=2, foreground=COMMUNE_FILL)])
            lx, ly = commune.label_at
            inside = [p for p in grid if any(point_in_ring(p, ring) for ring in commune.polygons)]
            candidates = [commune.label_at, *sorted(inside, key=lambda p: (p[0] - lx) ** 2 + (p[1] - ly) ** 2)]
            for at in candidates[:12]:
                label.set_position(at)
                box = _extent(label, renderer)
                box = (box[0] - 2, box[1] - 1, box[2] + 2, box[3] + 1)
                if _inside(box, inner) and not any(overlap_area(box, other) for other in taken):
                    taken.append(box)
                    named.append(commune.name)
                    name_boxes.append(box)
                    break
            else:
                label.remove()

        caption_box = _extent(title, renderer)
        out = io.BytesIO()
        fig.savefig(out, format="png")
        width_px, height_px = fig.canvas.get_width_height()
        return OverviewMap(png=out.getvalue(), size_px=(width_px, height_px), communes_named=tuple(named),
                           stop_boxes=stop_boxes, moved_stops=tuple(moved), caption_box=caption_box,
                           name_boxes=tuple(name_boxes))
    finally:
        plt.close(fig)


def draw_overview(sheet: RouteSheet, *, width_in: float = 6.0, height_in: float | None = None, dpi: int = 150,
                  large: bool = False) -> bytes:
    """The overview map as PNG bytes (see :func:`draw_overview_map`)."""
    return draw_overview_map(sheet, width_in=width_in, height_in=height_in, dpi=dpi, large=large).png
