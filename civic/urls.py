from django.conf import settings
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from civic.api.views import CivicGraphQLView
from civic.core.text import checks_its_own_text

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("_allauth/", include("civic.accounts.headless_urls")),
    path("_allauth/", include("allauth.headless.urls")),
    path("accounts/", include("civic.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # Exempt here because requests without a session cookie need no CSRF token; the view
    # checks CSRF itself for requests that ride on one, and refuses invalid text as GraphQL
    # errors.
    path("graphql/", csrf_exempt(checks_its_own_text(CivicGraphQLView.as_view())), name="graphql"),
    path("reports/", include("reports.urls")),
    path("rewards/", include("rewards.urls")),
    path("open311/v2/", include("reports.open311.urls")),
    path("forums/", include("forums.urls")),
    path("notifications/", include("civic.notifications.urls")),
    path("open-data/", include("civic.operations.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns.append(path("", include(wagtail_urls)))
