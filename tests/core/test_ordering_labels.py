"""Sort options read in the reader's language: "名称（降序）" in Chinese, "Name (descending)" in
English, on the case list and the partner list alike (issue 14, item 8)."""

import pytest
from django.urls import reverse
from django.utils import translation

from partners.filters import PartnerFilter
from terminations.filters import CaseFilter


@pytest.mark.django_db
@pytest.mark.parametrize("filterset", [PartnerFilter, CaseFilter])
def test_descending_labels_follow_the_language(filterset):
    for language, suffix in (("zh-hans", "（降序）"), ("en", " (descending)")):
        with translation.override(language):
            labels = [
                str(label)
                for value, label in filterset().filters["o"].field.choices
                if value.startswith("-")
            ]
            assert labels and all(label.endswith(suffix) for label in labels), labels
            if language == "en":
                assert not any("\u4e00" <= ch <= "\u9fff" for label in labels for ch in label)


@pytest.mark.django_db
def test_the_case_list_page_shows_chinese_sort_options(staff_client):
    page = staff_client.get(reverse("terminations:case_list")).content.decode()
    assert "（降序）" in page and "(descending)" not in page
