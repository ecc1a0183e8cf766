"""Geometry helpers for tests: rectangles as GeoJSON."""


def rect(min_lon, min_lat, max_lon, max_lat):
    return {
        "type": "Polygon",
        "coordinates": [
            [
                [min_lon, min_lat],
                [max_lon, min_lat],
                [max_lon, max_lat],
                [min_lon, max_lat],
                [min_lon, min_lat],
            ]
        ],
    }


def feature(code, kind, geometry, *, name=None, parent=None, name_en=None):
    properties = {"code": code, "kind": kind, "name": name or code}
    if parent:
        properties["parent"] = parent
    if name_en:
        properties["name_en"] = name_en
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}
