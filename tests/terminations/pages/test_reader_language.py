"""What the reader sees follows the reader's language (issue 14): checklist items made from a
template by their code, typed items as typed; the case list's descending sort options."""

from django.utils import translation

from terminations.filters import CaseFilter
from terminations.models import HandoverItem
from tests.terminations.factories import open_case


def test_template_items_read_in_the_readers_language_and_typed_items_as_typed(staff_user):
    with translation.override("zh-hans"):
        case = open_case(by=staff_user)
    item = case.handover_items.exclude(code="").first()
    typed = HandoverItem.objects.create(case=case, title="把样品寄回仓库", position=99)
    with translation.override("en"):
        assert item.display_title.isascii(), item.display_title
        assert typed.display_title == "把样品寄回仓库"
    with translation.override("zh-hans"):
        assert item.display_title == item.title


def test_descending_sort_options_follow_the_language():
    choices = CaseFilter.base_filters["o"].extra["choices"]
    with translation.override("en"):
        labels = [str(label) for value, label in choices if value.startswith("-")]
    assert labels and all(label.isascii() for label in labels), labels
