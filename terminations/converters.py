"""The `caseref` path converter: only a well-formed case reference (TC-2026-00042) reaches a
view, so anything else in its place (a NUL byte, 5,000 letters, markup) is a plain 404."""

from django.urls import register_converter


class CaseReferenceConverter:
    regex = r"TC-[0-9]{4}-[0-9]{5,9}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CaseReferenceConverter, "caseref")
