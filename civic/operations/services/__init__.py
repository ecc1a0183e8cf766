"""The operations centre's services: keeping the figures (``figures``) and reading them for
one viewer, within what the viewer may see (``statistics``)."""

from .figures import contribution, rebuild, refresh_report

__all__ = ["contribution", "rebuild", "refresh_report"]
