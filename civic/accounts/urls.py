from django.urls import path

from . import views

urlpatterns = [
    path("data/", views.my_data, name="account_data"),
    path("data/export.json", views.export_my_data, name="account_data_export"),
    path("close/", views.close_account, name="account_close"),
]
