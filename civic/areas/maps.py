"""Small SVG maps drawn from area boundaries: no tile server, readable without JavaScript."""

import math

from django.utils.html import format_html, format_html_join
from shapely.geometry import shape as to_shapely

WIDTH = 640


def _rings(geometry):
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def svg_map(shapes, *, label):
    """An inline SVG of ``shapes``: dicts with ``geometry`` (GeoJSON), ``title``, and optional
    ``href``, ``css_class`` and ``named`` (False: no name written on the shape). Longitude is
    scaled by the cosine of the latitude so shapes keep their proportions."""
    shapes = list(shapes)
    if not shapes:
        return ""
    points = [pt for shape in shapes for ring in _rings(shape["geometry"]) for pt in ring]
    min_lon = min(p[0] for p in points)
    max_lon = max(p[0] for p in points)
    min_lat = min(p[1] for p in points)
    max_lat = max(p[1] for p in points)
    x_scale = math.cos(math.radians((min_lat + max_lat) / 2))
    span_x = max((max_lon - min_lon) * x_scale, 1e-9)
    span_y = max(max_lat - min_lat, 1e-9)
    scale = WIDTH / span_x
    height = max(round(span_y * scale), 1)

    def path_data(geometry):
        parts = []
        for ring in _rings(geometry):
            coords = " ".join(
                f"{(lon - min_lon) * x_scale * scale:.1f},{(max_lat - lat) * scale:.1f}"
                for lon, lat in ring
            )
            parts.append(f"M{coords}Z")
        return " ".join(parts)

    def shape_html(shape):
        path = format_html(
            '<path d="{}" class="{}"><title>{}</title></path>',
            path_data(shape["geometry"]),
            shape.get("css_class", "area"),
            shape["title"],
        )
        if shape.get("href"):
            return format_html('<a href="{}">{}</a>', shape["href"], path)
        return path

    def name_html(shape):
        # A representative point always lies inside the shape, even a concave one.
        point = to_shapely(shape["geometry"]).representative_point()
        return format_html(
            '<text x="{}" y="{}" class="area-name" aria-hidden="true" font-size="16" '
            'text-anchor="middle" dominant-baseline="middle">{}</text>',
            f"{(point.x - min_lon) * x_scale * scale:.1f}",
            f"{(max_lat - point.y) * scale:.1f}",
            shape["title"],
        )

    return format_html(
        '<svg class="area-map" viewBox="0 0 {} {}" role="img" aria-label="{}">{}{}</svg>',
        WIDTH,
        height,
        label,
        format_html_join("", "{}", ((shape_html(s),) for s in shapes)),
        format_html_join("", "{}", ((name_html(s),) for s in shapes if s.get("named", True))),
    )
