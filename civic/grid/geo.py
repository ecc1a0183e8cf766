"""Distances, track lengths and coverage on a local flat projection: a grid cell and a patrol
span a few kilometres at most, where an equirectangular projection about the cell's centre is
accurate to well under a metre."""

import itertools
import math

import numpy as np
import shapely
from shapely.geometry import LineString, Point, shape

EARTH_RADIUS_M = 6_371_008.8


def distance_m(lat1, lon1, lat2, lon2):
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def track_length_m(points):
    """The length of a track given as (lat, lon) pairs in order."""
    return sum(distance_m(a[0], a[1], b[0], b[1]) for a, b in itertools.pairwise(points))


def _projection(lat0, lon0):
    k = math.radians(1) * EARTH_RADIUS_M
    cos0 = math.cos(math.radians(lat0))

    def project(coords):
        # (lon, lat) rows to metres east and north of the centre.
        return (coords - (lon0, lat0)) * (k * cos0, k)

    return project


BUFFER_PIECE = 16  # track points per buffered piece


def coverage(boundary, points, radius_m=30):
    """The share (0..1) of the cell's ``boundary`` (GeoJSON) within ``radius_m`` of the track
    through ``points`` ((lat, lon) pairs in order)."""
    if not points:
        return 0.0
    cell = shape(boundary)
    centre = cell.centroid
    project = _projection(centre.y, centre.x)
    flat_cell = shapely.transform(cell, project)
    if flat_cell.area == 0:
        return 0.0
    flat = project(np.array([(lon, lat) for lat, lon in points], dtype=float))
    if len(flat) == 1:
        swept = Point(flat[0]).buffer(radius_m, quad_segs=16)
    else:
        # Buffering a long self-crossing track at once is quadratic (6,000 points walked to and
        # fro took 24 s); the buffer of a line is the union of its pieces' buffers, and pieces
        # clipped to the cell union quickly.
        pieces = [
            LineString(flat[start : start + BUFFER_PIECE + 1])
            for start in range(0, len(flat) - 1, BUFFER_PIECE)
        ]
        swept = shapely.union_all(
            shapely.intersection(shapely.buffer(pieces, radius_m, quad_segs=16), flat_cell)
        )
    covered = flat_cell.intersection(swept).area
    return min(1.0, covered / flat_cell.area)


def inside(boundary, lat, lon):
    return shape(boundary).covers(Point(lon, lat))
