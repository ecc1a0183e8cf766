"""The portal's forum pages, under /forums/."""

from django.urls import path

from . import views

app_name = "forums"

urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("groups/", views.groups, name="groups"),
    path("groups/<str:slug>/", views.group_detail, name="group"),
    path("groups/<str:slug>/join/", views.join_group, name="join"),
    path("groups/<str:slug>/leave/", views.leave_group, name="leave"),
    path("groups/<str:slug>/members/<int:pk>/", views.decide_member, name="decide_member"),
    path("s/<slug:slug>/", views.space_threads, name="space"),
    path("s/<slug:slug>/new/", views.new_thread, name="new_thread"),
    path("s/<slug:slug>/b/<slug:board>/", views.board_threads, name="board"),
    path("t/<int:pk>/", views.thread_detail, name="thread"),
    path("t/<int:pk>/edit/", views.edit_thread, name="edit_thread"),
    path("t/<int:pk>/delete/", views.delete_thread, name="delete_thread"),
    path("t/<int:pk>/reply/", views.reply, name="reply"),
    path("t/<int:pk>/like/", views.like_thread, name="like_thread"),
    path("t/<int:pk>/follow/", views.follow, name="follow"),
    path("t/<int:pk>/flag/", views.flag_thread, name="flag_thread"),
    path("t/<int:pk>/nominate/", views.nominate, name="nominate"),
    path("t/<int:pk>/share/", views.share_down, name="share_down"),
    path("p/<int:pk>/edit/", views.edit_post, name="edit_post"),
    path("p/<int:pk>/delete/", views.delete_post, name="delete_post"),
    path("p/<int:pk>/like/", views.like_post, name="like_post"),
    path("p/<int:pk>/flag/", views.flag_post, name="flag_post"),
    path("p/<int:pk>/official/", views.mark_official, name="mark_official"),
]
