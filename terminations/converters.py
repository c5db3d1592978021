"""The `caseref` path converter: only something shaped like a case reference (TC-2026-00042:
letters, digits and hyphens, at most 30) reaches a view, so anything else in its place (a NUL
byte, 5,000 letters, markup) is a plain 404 before any query is made."""

from django.urls import register_converter


class CaseReferenceConverter:
    regex = r"[A-Za-z0-9-]{1,30}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CaseReferenceConverter, "caseref")
