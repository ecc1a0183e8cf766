from .events import areas_changed


def _invalidate_spatial_index(sender, **kwargs):
    from . import spatial

    spatial.invalidate()


def connect():
    areas_changed.connect(_invalidate_spatial_index, dispatch_uid="areas.invalidate_index")
