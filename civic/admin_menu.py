"""Admin menu items shown only to those their screen lets in."""

from wagtail.admin.menu import MenuItem


class PermittedMenuItem(MenuItem):
    """A menu item shown when ``check(user)`` is true: the same check the screen's view makes,
    so nobody is offered a screen that would turn them away."""

    def __init__(self, *args, check, **kwargs):
        super().__init__(*args, **kwargs)
        self.check = check

    def is_shown(self, request):
        return bool(self.check(request.user))
