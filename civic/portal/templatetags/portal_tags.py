from django import template

from civic.areas.maps import svg_map

register = template.Library()


@register.simple_tag
def area_map(areas, label, pages_by_area=None):
    """Draw ``areas``; with ``pages_by_area`` ({area_id: page}) each links to its page."""
    pages_by_area = pages_by_area or {}
    return svg_map(
        (
            {
                "geometry": area.boundary,
                "title": area.localized_name,
                "href": pages_by_area[area.pk].url if area.pk in pages_by_area else None,
                "css_class": f"area area-{area.kind}",
            }
            for area in areas
        ),
        label=label,
    )
