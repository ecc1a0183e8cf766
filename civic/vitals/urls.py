from django.urls import path

from . import views

app_name = "vitals"
urlpatterns = [path("readings", views.ingest, name="ingest")]
