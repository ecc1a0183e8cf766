"""The grid's portal pages, under /grid/."""

from django.urls import path

from . import views

app_name = "grid"

urlpatterns = [
    path("cells/<int:pk>/", views.cell, name="cell"),
    path("tasks/", views.my_tasks, name="tasks"),
]
