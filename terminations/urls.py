"""URL names of the terminations app. Each part of the app keeps its routes in its own module."""

from django.urls import path

from terminations import urls_cases, urls_letters, urls_work
from terminations.views import calculator

app_name = "terminations"

urlpatterns = [
    path("calculator/", calculator.calculator, name="calculator"),
    *urls_cases.urlpatterns,
    *urls_letters.urlpatterns,
    *urls_work.urlpatterns,
]
