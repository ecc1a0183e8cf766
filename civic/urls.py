from django.conf import settings
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from civic.api.views import CivicGraphQLView
from civic.core import public_cache
from civic.core.files import serve_signed
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
    path("grid/", include("civic.grid.urls")),
    path("notifications/", include("civic.notifications.urls")),
    path("open-data/", include("civic.operations.urls")),
    path("vitals/", include("civic.vitals.urls")),
    # Private stored files, by a link signed for a few minutes (civic/core/files.py).
    path("files/<str:token>/", serve_signed, name="signed-file"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# The portal's pages show reports, threads, case studies and points: kept for readers without a
# session until any of them changes.
urlpatterns += [
    re_path(
        wagtail_urls.serve_pattern,
        public_cache.cached_page(*public_cache.NAMESPACES)(wagtail_views.serve),
        name="wagtail_serve",
    ),
    path("", include(wagtail_urls)),
]
