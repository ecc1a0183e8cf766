"""Walking the Wagtail admin as a user would: every menu item the user is shown, and the first
edit, inspect or listing page each of those screens links to. Yields each screen's visible text.
"""

import re
from html.parser import HTMLParser

from django.test import RequestFactory
from wagtail.admin.menu import SubmenuMenuItem, admin_menu

# Text a person reads or hears: element text, and these attributes.
READ_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}
# Elements whose content is not read as text.
SILENT = {"script", "style", "template", "noscript", "svg"}
# Links worth following from a screen: one of each kind of page it leads to.
FOLLOW = re.compile(
    r"^/admin/(?:.+/)?(?:edit|inspect|history|usage)/[^/?#]+/(?:[^?#]*)$|"
    r"^/admin/pages/\d+/(?:edit/)?$"
)


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.links, self._silent = [], [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in SILENT:
            self._silent += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
            self.parts.append(attrs["value"])
        self.parts.extend(v for k, v in attrs.items() if k in READ_ATTRIBUTES and v)

    def handle_endtag(self, tag):
        if tag in SILENT and self._silent:
            self._silent -= 1

    def handle_data(self, data):
        if not self._silent and data.strip():
            self.parts.append(data.strip())


def visible_text(html):
    """The page's visible (and spoken) text, one piece per line, and the links it has."""
    parser = _Text()
    parser.feed(html)
    return "\n".join(parser.parts), parser.links


def menu_urls(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    urls, menus = [], [admin_menu]
    while menus:
        for item in menus.pop().menu_items_for_request(request):
            if isinstance(item, SubmenuMenuItem):
                menus.append(item.menu)
            elif item.url.startswith("/admin/"):
                urls.append(item.url)
    return urls


def walk_admin(client, user, *, extra=()):
    """(url, visible text) of the dashboard, every menu item's screen and a sample of the pages
    each links to, as ``client`` (signed in as ``user``) gets them in its language."""
    seen, kinds = set(), set()
    queue = ["/admin/", *menu_urls(user), *extra]
    followed = 0
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code in (200, 302), (url, response.status_code)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        text, links = visible_text(response.content.decode())
        yield url, text
        for link in links:
            kind = re.sub(r"\d+", "N", link.split("?")[0])
            if FOLLOW.match(link) and kind not in kinds and followed < 60:
                kinds.add(kind)
                followed += 1
                queue.append(link)
