"""Every change to the area tree goes through here: validated, atomic, announced on commit."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civic.core.errors import DomainError
from civic.core.permissions import can_manage_core, require

from .events import areas_changed
from .geometry import BoundaryError, contains, parse_boundary
from .models import KIND_RANK, Area, AreaKind


class AreaInvalid(DomainError):
    code = "area_invalid"
    default_message = gettext_lazy("The area is not valid.")


class AreaHasChildren(DomainError):
    code = "area_has_children"
    default_message = gettext_lazy("Delete or move the areas inside this one first.")


class AreaImportRefused(DomainError):
    code = "area_import_refused"
    default_message = gettext_lazy("The areas were not imported; nothing was changed.")

    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join([str(self.default_message), *problems]))


def _announce():
    transaction.on_commit(lambda: areas_changed.send(sender=Area))


def _bbox_fields(geometry):
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    return {"min_lon": min_lon, "min_lat": min_lat, "max_lon": max_lon, "max_lat": max_lat}


def _kind_name(kind):
    return str(AreaKind(kind).label).lower()


def kind_problem(kind, parent_kind):
    """Why ``kind`` cannot sit under ``parent_kind`` (None for a root), or None if it can."""
    if kind not in KIND_RANK:
        return _("unknown kind '%(kind)s' (expected one of: %(kinds)s)") % {
            "kind": kind,
            "kinds": ", ".join(AreaKind.values),
        }
    if parent_kind is None:
        return None if kind == AreaKind.CITY else _("only a city can be at the top of the tree")
    if KIND_RANK[kind] <= KIND_RANK[parent_kind]:
        return _("a %(kind)s cannot be inside a %(parent)s") % {
            "kind": _kind_name(kind),
            "parent": _kind_name(parent_kind),
        }
    return None


def validate_area(*, kind, code, boundary, parent, instance=None):
    """Check one area's fields against its parent (and, for an existing area, its children).

    Returns the parsed geometry; raises AreaInvalid naming the field at fault.
    """
    problem = kind_problem(kind, parent.kind if parent else None)
    if problem:
        raise AreaInvalid(problem, field="kind")
    code = str(code or "").strip()
    if not code:
        raise AreaInvalid(_("an area needs a code"), field="code")
    clash = Area.objects.filter(code=code)
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise AreaInvalid(_("the code '%(code)s' is already used") % {"code": code}, field="code")
    try:
        geometry = parse_boundary(boundary)
    except BoundaryError as exc:
        raise AreaInvalid(str(exc), field="boundary") from None
    if parent is not None and not contains(parse_boundary(parent.boundary), geometry):
        raise AreaInvalid(
            _("the boundary is not inside its parent %(parent)s") % {"parent": parent.code},
            field="boundary",
        )
    if instance is not None:
        for child in instance.get_children():
            if not contains(geometry, parse_boundary(child.boundary)):
                raise AreaInvalid(
                    _("the area %(child)s inside it would be left outside") % {"child": child.code},
                    field="boundary",
                )
    return geometry


@transaction.atomic
def create_area(actor, *, parent, kind, code, name, boundary, name_en=""):
    require(can_manage_core(actor))
    geometry = validate_area(kind=kind, code=code, boundary=boundary, parent=parent)
    fields = {
        "kind": kind,
        "code": code.strip(),
        "name": name,
        "name_en": name_en,
        "boundary": boundary,
        **_bbox_fields(geometry),
    }
    area = Area.add_root(**fields) if parent is None else parent.add_child(**fields)
    _announce()
    return area


@transaction.atomic
def update_area(actor, area, *, name, name_en, code, boundary):
    """Rename, recode or redraw an area. Its kind and place in the tree stay."""
    require(can_manage_core(actor))
    parent = area.get_parent()
    geometry = validate_area(
        kind=area.kind, code=code, boundary=boundary, parent=parent, instance=area
    )
    area.name, area.name_en, area.code, area.boundary = name, name_en, code.strip(), boundary
    for field, value in _bbox_fields(geometry).items():
        setattr(area, field, value)
    area.save()
    _announce()
    return area


@transaction.atomic
def delete_area(actor, area):
    require(can_manage_core(actor))
    if area.get_children_count():
        raise AreaHasChildren()
    area.delete()
    _announce()


# --- Import from a GeoJSON FeatureCollection --------------------------------------------------


@dataclass
class _Spec:
    label: str
    code: str
    kind: str
    name: str
    name_en: str
    parent_code: str | None
    boundary: dict
    geometry: object = None


@dataclass
class ImportSummary:
    created: int
    updated: int
    unchanged: int


def _read_feature(number, feature, problems):
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        problems.append(_("feature %(n)s: not a GeoJSON Feature") % {"n": number})
        return None
    props = feature.get("properties")
    if not isinstance(props, dict):
        props = {}
    code = str(props.get("code") or "").strip()
    label = _("feature %(n)s (%(code)s)") % {"n": number, "code": code or "?"}
    spec = _Spec(
        label=label,
        code=code,
        kind=str(props.get("kind") or ""),
        name=str(props.get("name") or "").strip(),
        name_en=str(props.get("name_en") or "").strip(),
        parent_code=(str(props["parent"]).strip() or None) if props.get("parent") else None,
        boundary=feature.get("geometry"),
    )
    if not code:
        problems.append(f"{label}: " + _("no 'code' property"))
    if not spec.name:
        problems.append(f"{label}: " + _("no 'name' property"))
    if spec.kind not in KIND_RANK:
        problems.append(f"{label}: " + kind_problem(spec.kind, None))
    try:
        spec.geometry = parse_boundary(spec.boundary)
    except BoundaryError as exc:
        problems.append(f"{label}: {exc}")
    return spec


def _features_of(collection):
    """The features of a FeatureCollection; anything else is refused at once."""
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise AreaImportRefused([_("the file is not a GeoJSON FeatureCollection")])
    features = collection.get("features")
    if not isinstance(features, list) or not features:
        raise AreaImportRefused([_("the FeatureCollection has no features")])
    return features


def _read_features(features, problems):
    """The readable features by code; a feature repeating an earlier code is a problem."""
    specs = {}
    for number, feature in enumerate(features, start=1):
        spec = _read_feature(number, feature, problems)
        if spec is None or not spec.code:
            continue
        if spec.code in specs:
            problems.append(f"{spec.label}: " + _("the code appears twice in the file"))
            continue
        specs[spec.code] = spec
    return specs


@dataclass
class _Known:
    """What each feature is checked against: the file's features and the areas already saved
    (by code, both those the file names and the parents it refers to)."""

    specs: dict
    existing: dict

    def parent(self, spec):
        """The parent's feature in the file, else its saved area; None for a root or unknown."""
        if not spec.parent_code:
            return None
        return self.specs.get(spec.parent_code) or self.existing.get(spec.parent_code)

    def current(self, spec):
        return self.existing.get(spec.code)


# Each check returns the problems it finds with one feature (known kind, code unique in the file).


def _parent_is_known(spec, known):
    if spec.parent_code and known.parent(spec) is None:
        return [
            _("its parent '%(parent)s' is neither in the file nor in the database")
            % {"parent": spec.parent_code}
        ]
    return []


def _kind_fits_parent(spec, known):
    parent = known.parent(spec)
    if parent is not None and parent.kind not in KIND_RANK:
        return []  # the parent's unknown kind is reported with the parent
    problem = kind_problem(spec.kind, parent.kind if parent else None)
    return [problem] if problem else []


def _stays_under_its_parent(spec, known):
    current = known.current(spec)
    if current is None:
        return []
    current_parent = current.get_parent()
    if (current_parent.code if current_parent else None) != spec.parent_code:
        return [_("already exists under another parent; move it in the admin instead")]
    return []


def _keeps_its_kind(spec, known):
    current = known.current(spec)
    if current is not None and current.kind != spec.kind:
        return [_("already exists as another kind")]
    return []


def _inside_parent(spec, known):
    parent = known.parent(spec)
    if parent is None or spec.geometry is None:
        return []
    # A parent in the file whose own boundary is unreadable was reported already.
    if isinstance(parent, _Spec):
        parent_geometry = parent.geometry
    else:
        parent_geometry = parse_boundary(parent.boundary)
    if parent_geometry is not None and not contains(parent_geometry, spec.geometry):
        return [
            _("its boundary is not inside its parent '%(parent)s'") % {"parent": spec.parent_code}
        ]
    return []


def _keeps_children_inside(spec, known):
    """A saved area's children the file does not redraw must stay inside its new boundary."""
    current = known.current(spec)
    if current is None or spec.geometry is None:
        return []
    return [
        _("the area '%(child)s' inside it would be left outside") % {"child": child.code}
        for child in current.get_children()
        if child.code not in known.specs
        and not contains(spec.geometry, parse_boundary(child.boundary))
    ]


# The first placement problem ends a feature's checks: the later ones assume a known parent of a
# fitting kind. The boundary checks then all run.
_PLACEMENT_CHECKS = (_parent_is_known, _kind_fits_parent, _stays_under_its_parent, _keeps_its_kind)
_BOUNDARY_CHECKS = (_inside_parent, _keeps_children_inside)


def _feature_problems(spec, known):
    for check in _PLACEMENT_CHECKS:
        problems = check(spec, known)
        if problems:
            return problems
    return [problem for check in _BOUNDARY_CHECKS for problem in check(spec, known)]


def _check_import(collection):
    problems = []
    specs = _read_features(_features_of(collection), problems)
    existing = Area.objects.in_bulk(
        {s.code for s in specs.values()} | {s.parent_code for s in specs.values() if s.parent_code},
        field_name="code",
    )
    known = _Known(specs, existing)
    for spec in specs.values():
        if spec.kind in KIND_RANK:  # an unknown kind was reported when the feature was read
            problems += [f"{spec.label}: {problem}" for problem in _feature_problems(spec, known)]
    if problems:
        raise AreaImportRefused(problems)
    return specs, existing


def _in_tree_order(specs):
    """Parents before children, whatever order the file had."""
    ordered, placed = [], set()
    pending = list(specs.values())
    while pending:
        ready = [
            s
            for s in pending
            if not s.parent_code or s.parent_code not in specs or s.parent_code in placed
        ]
        ordered.extend(ready)
        placed.update(s.code for s in ready)
        pending = [s for s in pending if s.code not in placed]
        if not ready:
            raise AreaImportRefused([_("the parents in the file form a cycle")])
    return ordered


def import_areas(actor, collection, *, progress=iter):
    """Create or update the areas of a FeatureCollection, all or nothing.

    Each feature's properties: ``code``, ``kind``, ``name``, optional ``name_en`` and ``parent``
    (the parent's code, in the file or already in the database). Every problem in the file is
    reported at once, each naming its feature; nothing is written unless there are none.
    """
    require(can_manage_core(actor))
    specs, existing = _check_import(collection)
    ordered = _in_tree_order(specs)
    created = updated = unchanged = 0
    with transaction.atomic():
        by_code = dict(existing)
        for spec in progress(ordered):
            fields = {
                "kind": spec.kind,
                "name": spec.name,
                "name_en": spec.name_en,
                "boundary": spec.boundary,
                **_bbox_fields(spec.geometry),
            }
            area = by_code.get(spec.code)
            if area is not None:
                # Re-importing the same file writes nothing and leaves every index as it is.
                if all(getattr(area, field) == value for field, value in fields.items()):
                    unchanged += 1
                    continue
                for field, value in fields.items():
                    setattr(area, field, value)
                area.save()
                updated += 1
            else:
                parent = by_code.get(spec.parent_code) if spec.parent_code else None
                if parent is None:
                    area = Area.add_root(code=spec.code, **fields)
                else:
                    parent.refresh_from_db(fields=["numchild", "path", "depth"])
                    area = parent.add_child(code=spec.code, **fields)
                created += 1
            by_code[spec.code] = area
        if created or updated:
            _announce()
    return ImportSummary(created=created, updated=updated, unchanged=unchanged)
