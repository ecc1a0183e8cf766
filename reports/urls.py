"""The portal's report pages, under /reports/."""

from django.urls import path, re_path

from . import services, views

app_name = "reports"

urlpatterns = [
    path("new/", views.new_report, name="new"),
    path("categories.json", views.categories_json, name="categories_json"),
    path("suggest.json", views.suggest_json, name="suggest_json"),
    path("map/", views.report_map, name="map"),
    path("reports.geojson", views.reports_geojson, name="geojson"),
    path("areas.geojson", views.areas_geojson, name="areas_geojson"),
    path("nearby.json", views.nearby_json, name="nearby_json"),
    path("places.json", views.places_json, name="places_json"),
    path("mine/", views.my_reports, name="mine"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/support/", views.support, name="support"),
    path("<int:pk>/follow/", views.follow, name="follow"),
    path("<int:pk>/fixed/", views.confirm_fixed, name="confirm_fixed"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("<int:pk>/comments/<int:comment_pk>/flag/", views.flag_comment, name="flag_comment"),
    path("<int:pk>/rate/", views.rate, name="rate"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    re_path(r"^photos/(?P<pk>[0-9]+)/(?P<size>display|thumbnail)\.jpg$", views.photo, name="photo"),
    re_path(
        rf"^drafts/(?P<token>{services.DRAFT_TOKEN.pattern})\.jpg$",
        views.draft_photo,
        name="draft_photo",
    ),
]
