"""The public pages, under /open-data/."""

from django.urls import path

from . import views

app_name = "operations"

urlpatterns = [
    path("", views.index, name="open_data"),
    path("reports.csv", views.reports_csv, name="reports_csv"),
    path("reports.geojson", views.reports_geojson, name="reports_geojson"),
    path("daily-figures.csv", views.daily_figures_csv, name="daily_figures_csv"),
    path("rankings/", views.rankings, name="rankings"),
    path("request/", views.request_dataset, name="request"),
]
