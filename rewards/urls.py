from django.urls import path

from . import views

app_name = "rewards"

urlpatterns = [
    path("", views.my_points, name="my_points"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/<int:pk>/redeem/", views.redeem, name="redeem"),
    path("leaderboard/", views.leaderboard, name="leaderboard"),
]
