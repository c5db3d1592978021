"""Top-level (un-namespaced) routes of the managers' dashboard."""

from django.urls import path

from terminations.views import dashboard

urlpatterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
]
