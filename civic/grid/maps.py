"""An inline SVG of a cell with patrol tracks and check-ins: no tile server, no JavaScript."""

import math

from django.utils.html import format_html, format_html_join

WIDTH = 640


def _rings(geometry):
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def track_map(cells, tracks, check_ins, *, label):
    """``cells``: GeoJSON boundaries; ``tracks``: (title, [(lat, lon)...]); ``check_ins``:
    (title, lat, lon). Longitude is scaled by the cosine of the latitude."""
    points = [(lat, lon) for boundary in cells for ring in _rings(boundary) for lon, lat in ring]
    points += [p for _title, track in tracks for p in track]
    points += [(lat, lon) for _title, lat, lon in check_ins]
    if not points:
        return ""
    min_lat, max_lat = min(p[0] for p in points), max(p[0] for p in points)
    min_lon, max_lon = min(p[1] for p in points), max(p[1] for p in points)
    x_scale = math.cos(math.radians((min_lat + max_lat) / 2))
    scale = WIDTH / max((max_lon - min_lon) * x_scale, 1e-9)
    height = max(round(max(max_lat - min_lat, 1e-9) * scale), 1)

    def xy(lat, lon):
        return f"{(lon - min_lon) * x_scale * scale:.1f},{(max_lat - lat) * scale:.1f}"

    cell_paths = format_html_join(
        "",
        '<path d="{}" class="area"></path>',
        (
            (
                " ".join(
                    "M" + " ".join(xy(lat, lon) for lon, lat in ring) + "Z" for ring in _rings(b)
                ),
            )
            for b in cells
        ),
    )
    track_lines = format_html_join(
        "",
        '<polyline points="{}" class="track" fill="none" stroke="#c00" stroke-width="3">'
        "<title>{}</title></polyline>",
        ((" ".join(xy(lat, lon) for lat, lon in track), title) for title, track in tracks),
    )
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="6" class="check-in" fill="#06c"><title>{}</title></circle>',
        ((*xy(lat, lon).split(","), title) for title, lat, lon in check_ins),
    )
    return format_html(
        '<svg class="area-map grid-map" viewBox="0 0 {} {}" role="img" aria-label="{}">'
        "{}{}{}</svg>",
        WIDTH,
        height,
        label,
        cell_paths,
        track_lines,
        dots,
    )
