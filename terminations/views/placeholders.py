"""Temporary pages for parts being built; each is replaced by its real view."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def coming(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    return render(request, "terminations/coming.html")
