from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils.translation import get_language

from . import services


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return getattr(settings, "ACCOUNT_ALLOW_SIGNUP", True)

    def save_user(self, request, user, form, commit=True):
        # Portal and app (headless) sign-ups alike: notifications come in the language the
        # person signed up in, until they choose another.
        user.language = services.signup_language(get_language())
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            services.on_signed_up(user)
        return user
