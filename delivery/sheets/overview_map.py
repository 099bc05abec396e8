"""The round's overview map, drawn offline with matplotlib (no tile server, no network)."""

import io
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from .data import RouteSheet  # noqa: E402

STATUS_COLOURS = {"planned": "#0b5d1e", "delivered": "#7a7a7a", "failed": "#b00020"}


def _scale_bar_km(span_km: float) -> float:
    """A round length for the scale bar, about a fifth of the map width."""
    target = max(span_km / 5, 0.1)
    for step in (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50):
        if step >= target:
            return step
    return 100.0


def draw_overview(sheet: RouteSheet, *, width_in: float = 6.0, height_in: float | None = None, dpi: int = 150,
                  large: bool = False) -> bytes:
    """Draw the depot, the numbered stops and the route line; return PNG bytes.

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
    stops = [(s.lon, s.lat) for s in sheet.stops]
    line = list(sheet.path) if sheet.path else [depot, *stops, depot]
    if height_in is None:  # follow the round's shape so the map fills the space it gets
        lons, lats = [p[0] for p in line], [p[1] for p in line]
        mid = math.radians((min(lats) + max(lats)) / 2)
        ratio = (max(lats) - min(lats) + 0.004) / ((max(lons) - min(lons)) * math.cos(mid) + 0.004)
        if ratio > 1:
            height_in, width_in = width_in, max(width_in / ratio, 4.0) + 0.3
        else:
            height_in = max(width_in * ratio, 3.0) + 0.6
    fig, ax = plt.subplots(figsize=(width_in, height_in), dpi=dpi)
    try:
        ax.plot([p[0] for p in line], [p[1] for p in line], color="#1f4e9c", linewidth=2.5 if large else 1.6,
                linestyle="-" if sheet.path_is_road else "--", zorder=1)
        ax.scatter([depot[0]], [depot[1]], marker="s", s=220 if large else 140, color="#1a1a1a", zorder=3)
        ax.annotate("Dépôt", depot, xytext=(8, -14), textcoords="offset points", fontsize=12 if large else 8,
                    fontweight="bold")
        size = 360 if large else 260
        for stop in sheet.stops:
            colour = STATUS_COLOURS.get(stop.status, "#0b5d1e")
            marker = "^" if stop.is_collect else "o"
            ax.scatter([stop.lon], [stop.lat], s=size, color="white", edgecolors=colour, linewidths=2,
                       marker=marker, zorder=4)
            ax.annotate(str(stop.sequence), (stop.lon, stop.lat), ha="center", va="center",
                        fontsize=11 if large else 8, fontweight="bold", color=colour, zorder=5)
        xs = [p[0] for p in line] + [depot[0]]
        ys = [p[1] for p in line] + [depot[1]]
        pad_x = max((max(xs) - min(xs)) * 0.08, 0.005)
        pad_y = max((max(ys) - min(ys)) * 0.08, 0.004)
        ax.set_xlim(min(xs) - pad_x, max(xs) + pad_x)
        ax.set_ylim(min(ys) - pad_y, max(ys) + pad_y)
        mid_lat = (min(ys) + max(ys)) / 2
        ax.set_aspect(1 / math.cos(math.radians(mid_lat)))
        x0, x1 = ax.get_xlim()
        span_km = (x1 - x0) * 111.32 * math.cos(math.radians(mid_lat))
        bar = _scale_bar_km(span_km)
        bar_deg = bar / (111.32 * math.cos(math.radians(mid_lat)))
        y0 = ax.get_ylim()[0] + pad_y * 0.4
        ax.plot([x0 + pad_x * 0.4, x0 + pad_x * 0.4 + bar_deg], [y0, y0], color="black", linewidth=3)
        ax.annotate(f"{bar:g} km", (x0 + pad_x * 0.4, y0), xytext=(0, 4), textcoords="offset points",
                    fontsize=10 if large else 7)
        ax.set_xticks([])
        ax.set_yticks([])
        caption = "tracé routier" if sheet.path_is_road else "lignes droites entre arrêts (pas de carte routière)"
        ax.set_title(f"{sheet.van_name} — {len(sheet.stops)} arrêts\n{caption} · ▲ collecte · ● livraison",
                     fontsize=11 if large else 9)
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png")
        return out.getvalue()
    finally:
        plt.close(fig)
