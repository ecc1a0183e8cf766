"""The demo city 清河市 (Qinghe City, fictional): a boundary tree generated with shapely and
imported through the ordinary import service.

Every boundary is cut from one noded set of lines on a 1e-6° grid, so siblings share their
edges exactly, children tile their parent with no gap or overlap, and rounding to six decimals
moves nothing. No randomness: a second run imports the same geometry again.
"""

import math
from collections import defaultdict

import shapely
from shapely.geometry import LineString, MultiPoint, Polygon, mapping

from civic.areas.models import AreaKind
from civic.areas.services import import_areas
from civic.core.permissions import SYSTEM

GRID_SIZE = 1e-6  # degrees, about 10 cm: the precision every boundary is snapped to
CLIP_MARGIN = 1e-5  # cut lines reach a little past their area so snapping cannot leave a gap
# The regular lattice of grid cells: about 1.25 by 1.2 km at this latitude.
LATTICE_ORIGIN = (120.0, 30.15)
LATTICE_STEP = (0.013, 0.011)
# Lattice pieces smaller than this share of a full cell join a neighbour in their community.
MIN_CELL_SHARE = 0.35

CITY = ("QH", "清河市", "Qinghe City")
# A river bend cuts into the east side; the west follows hills.
CITY_OUTLINE = [
    (120.031, 30.212),
    (120.052, 30.188),
    (120.087, 30.181),
    (120.118, 30.192),
    (120.146, 30.186),
    (120.172, 30.204),
    (120.179, 30.232),
    (120.158, 30.249),
    (120.174, 30.276),
    (120.161, 30.303),
    (120.128, 30.317),
    (120.096, 30.309),
    (120.068, 30.318),
    (120.041, 30.301),
    (120.027, 30.272),
    (120.036, 30.246),
]

# (code, name, English name, children): districts carry the point their Voronoi cell grows
# from; streets and communities are strips across their parent, in order along it.
DISTRICTS = [
    (
        "DH",
        "东湖区",
        "Donghu District",
        (120.146, 30.243),
        [
            (
                "WJ",
                "望江街道",
                "Wangjiang Subdistrict",
                [("CH", "春晖社区", "Chunhui Community"), ("LX", "临溪社区", "Linxi Community")],
            ),
            (
                "HB",
                "湖滨街道",
                "Hubin Subdistrict",
                [
                    ("CY", "朝阳社区", "Chaoyang Community"),
                    ("QS", "清水社区", "Qingshui Community"),
                    ("YH", "月华社区", "Yuehua Community"),
                ],
            ),
            ("SM", "水门街道", "Shuimen Subdistrict", [("JN", "锦南社区", "Jinnan Community")]),
        ],
    ),
    (
        "XL",
        "西岭区",
        "Xiling District",
        (120.056, 30.252),
        [
            (
                "CF",
                "翠峰街道",
                "Cuifeng Subdistrict",
                [("SL", "松林社区", "Songlin Community"), ("ZY", "竹园社区", "Zhuyuan Community")],
            ),
            (
                "GT",
                "古塘街道",
                "Gutang Subdistrict",
                [
                    ("XH", "杏花社区", "Xinghua Community"),
                    ("TY", "桃源社区", "Taoyuan Community"),
                    ("LS", "柳湾社区", "Liuwan Community"),
                ],
            ),
        ],
    ),
    (
        "BT",
        "北塘区",
        "Beitang District",
        (120.101, 30.291),
        [
            (
                "WL",
                "文澜街道",
                "Wenlan Subdistrict",
                [("SY", "书院社区", "Shuyuan Community"), ("MQ", "明桥社区", "Mingqiao Community")],
            ),
            (
                "YC",
                "运河街道",
                "Yunhe Subdistrict",
                [("GY", "广源社区", "Guangyuan Community"), ("JD", "金渡社区", "Jindu Community")],
            ),
            (
                "XC",
                "新城街道",
                "Xincheng Subdistrict",
                [
                    ("HX", "和兴社区", "Hexing Community"),
                    ("JY", "嘉苑社区", "Jiayuan Community"),
                    ("FH", "丰和社区", "Fenghe Community"),
                ],
            ),
        ],
    ),
    (
        "NP",
        "南浦区",
        "Nanpu District",
        (120.104, 30.211),
        [
            (
                "JX",
                "江夏街道",
                "Jiangxia Subdistrict",
                [("BS", "白沙社区", "Baisha Community"), ("HT", "荷塘社区", "Hetang Community")],
            ),
            (
                "NY",
                "南苑街道",
                "Nanyuan Subdistrict",
                [
                    ("DQ", "东桥社区", "Dongqiao Community"),
                    ("FL", "枫林社区", "Fenglin Community"),
                ],
            ),
            (
                "QT",
                "钱塘街道",
                "Qiantang Subdistrict",
                [("HY", "海月社区", "Haiyue Community"), ("XY", "星语社区", "Xingyu Community")],
            ),
        ],
    ),
]


def _strip_seeds(region, count):
    """Points along the longer side of ``region``'s bounding box, nudged alternately off the
    axis so that the strips between them are not quite parallel."""
    min_x, min_y, max_x, max_y = region.bounds
    width, height = max_x - min_x, max_y - min_y
    seeds = []
    for i in range(count):
        along = (i + 0.5) / count
        nudge = 0.12 * (1 if i % 2 else -1)
        if width >= height:
            seeds.append((min_x + along * width, min_y + (0.5 + nudge) * height))
        else:
            seeds.append((min_x + (0.5 + nudge) * width, min_y + along * height))
    return seeds


def _nearest(point, seeds):
    return min(range(len(seeds)), key=lambda i: math.dist(point, seeds[i]))


class _Area:
    """A planned area above the grid level: its region (exact to floating point, used only to
    place cut lines) and its children, each owning the points nearest to its seed."""

    def __init__(self, code, name, name_en, region):
        self.code, self.name, self.name_en = code, name, name_en
        self.region = region
        self.children, self.seeds, self.cuts = [], [], []

    def split(self, specs, seeds):
        self.seeds = seeds
        if len(specs) == 1:
            self.children = [_Area(f"{self.code}-{specs[0][0]}", *specs[0][1:3], self.region)]
            return
        points = MultiPoint(seeds)
        frame = self.region.buffer(0.05)  # the diagram's own frame stays well clear of the area
        cells = shapely.voronoi_polygons(points, extend_to=frame, ordered=True).geoms
        self.children = [
            _Area(f"{self.code}-{spec[0]}", spec[1], spec[2], self.region.intersection(cell))
            for spec, cell in zip(specs, cells, strict=True)
        ]
        # The cut lines reach just past the edge so that snapping cannot leave them short.
        edges = shapely.voronoi_polygons(points, extend_to=frame, only_edges=True)
        self.cuts = [edges.intersection(self.region.buffer(CLIP_MARGIN))]

    def child_at(self, point):
        return self.children[_nearest(point, self.seeds)]


def _plan():
    """The city down to its communities, each split among its children."""
    city = _Area(*CITY, Polygon(CITY_OUTLINE))
    city.split(DISTRICTS, [spec[3] for spec in DISTRICTS])
    for district, (*_, streets) in zip(city.children, DISTRICTS, strict=True):
        district.split(streets, _strip_seeds(district.region, len(streets)))
        for street, (*_, communities) in zip(district.children, streets, strict=True):
            street.split(communities, _strip_seeds(street.region, len(communities)))
    return city


def _lattice_lines(region):
    min_x, min_y, max_x, max_y = region.bounds
    (x0, y0), (dx, dy) = LATTICE_ORIGIN, LATTICE_STEP
    reach = region.buffer(CLIP_MARGIN)
    lines = []
    for i in range(math.floor((min_x - x0) / dx), math.ceil((max_x - x0) / dx) + 1):
        x = x0 + i * dx
        lines.append(LineString([(x, min_y - 0.01), (x, max_y + 0.01)]).intersection(reach))
    for j in range(math.floor((min_y - y0) / dy), math.ceil((max_y - y0) / dy) + 1):
        y = y0 + j * dy
        lines.append(LineString([(min_x - 0.01, y), (max_x + 0.01, y)]).intersection(reach))
    return lines


def _lattice_key(point):
    (x0, y0), (dx, dy) = LATTICE_ORIGIN, LATTICE_STEP
    return (math.floor((point[0] - x0) / dx), math.floor((point[1] - y0) / dy))


def _faces(city):
    """The smallest pieces of the plan, from one snap-rounded noding of every line in it: each
    area is a union of them, so neighbours share exactly the same edges."""
    lines = [city.region.exterior, *city.cuts]
    for district in city.children:
        lines += district.cuts
        for street in district.children:
            lines += street.cuts
            for community in street.children:
                lines += _lattice_lines(community.region)
    noded = shapely.union_all(lines, grid_size=GRID_SIZE)
    return list(shapely.polygonize(noded.geoms).geoms)


def _merge_small_cells(cells):
    """Fold lattice pieces that are slivers into the neighbour they share most border with.

    ``cells`` maps a lattice key to its faces, all in one community.
    """
    full = LATTICE_STEP[0] * LATTICE_STEP[1]
    shapes = {key: shapely.union_all(faces, grid_size=GRID_SIZE) for key, faces in cells.items()}
    while len(shapes) > 1:
        key = min(shapes, key=lambda k: (shapes[k].area, k))
        if shapes[key].area >= MIN_CELL_SHARE * full:
            break
        shared = {
            other: shapes[key].boundary.intersection(shape.boundary).length
            for other, shape in shapes.items()
            if other != key
        }
        target = max(shared, key=lambda k: (shared[k], k))
        if shared[target] == 0:
            break  # an island of the community: it stays a cell of its own
        cells[target] += cells.pop(key)
        shapes[target] = shapely.union_all(cells[target], grid_size=GRID_SIZE)
        del shapes[key]
    return cells


def _feature(code, kind, name, name_en, parent, faces):
    geometry = shapely.orient_polygons(shapely.union_all(faces, grid_size=GRID_SIZE))
    # The union is already on the 1e-6 grid; rounding only drops binary noise from the output.
    geometry = shapely.transform(geometry, lambda xy: xy.round(6))
    properties = {"code": code, "kind": kind.value, "name": name, "name_en": name_en}
    if parent:
        properties["parent"] = parent
    return {"type": "Feature", "properties": properties, "geometry": mapping(geometry)}


LEVEL_KINDS = [AreaKind.CITY, AreaKind.DISTRICT, AreaKind.STREET, AreaKind.COMMUNITY]


def _collect(area, depth, parent_code, cells_by_community, features):
    """Append the features of ``area`` and everything inside it, parents first; return the
    faces it is made of."""
    kind = LEVEL_KINDS[depth]
    position = len(features)
    features.append(None)
    faces = []
    if kind == AreaKind.COMMUNITY:
        cells = _merge_small_cells(cells_by_community[area])
        # Numbered row by row from the north-west, as read on a paper map.
        for number, key in enumerate(sorted(cells, key=lambda k: (-k[1], k[0])), start=1):
            code = f"{area.code}-G{number:02d}"
            name, name_en = f"网格 {number:02d}", f"Grid {number:02d}"
            features.append(_feature(code, AreaKind.GRID, name, name_en, area.code, cells[key]))
            faces += cells[key]
    else:
        for child in area.children:
            faces += _collect(child, depth + 1, area.code, cells_by_community, features)
    features[position] = _feature(area.code, kind, area.name, area.name_en, parent_code, faces)
    return faces


def build_collection():
    """The demo city as a GeoJSON FeatureCollection, parents before children."""
    city = _plan()
    cells_by_community = defaultdict(lambda: defaultdict(list))
    for face in _faces(city):
        point = face.point_on_surface()
        xy = (point.x, point.y)
        community = city.child_at(xy).child_at(xy).child_at(xy)
        cells_by_community[community][_lattice_key(xy)].append(face)
    features = []
    _collect(city, 0, None, cells_by_community, features)
    return {"type": "FeatureCollection", "features": features}


def seed(progress=iter):
    """Create or update the demo city's areas; returns the import summary."""
    return import_areas(SYSTEM, build_collection(), progress=progress)
