"""Filters shared by the lists."""

import django_filters
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _


class ReaderLanguageOrderingFilter(django_filters.OrderingFilter):
    """Sort options in the reader's language. django-filter formats "… (descending)" once, at
    import, in the default language (an English page showed Chinese field names), and ships no
    zh_Hans catalogue; here the format is ours and each label is formatted when a page reads it."""

    descending_fmt = _("%s (descending)")

    def build_choices(self, fields, labels):
        choices = super().build_choices(fields, labels)
        ascending = {value: label for value, label in choices if not value.startswith("-")}
        descending = lazy(lambda label: str(self.descending_fmt) % label, str)
        return [
            (value, descending(ascending[value[1:]]) if value.startswith("-") else label)
            for value, label in choices
        ]
