"""Our additions to allauth's headless API for the app (``/_allauth/app/v1/``)."""

from django.urls import path

from . import headless_views

urlpatterns = [
    path("app/v1/auth/firebase", headless_views.firebase_sign_in, name="headless_firebase"),
]
