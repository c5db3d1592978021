"""`{{ contract.clause_notice|clause_ref }}`: a clause reference as the page's language prints it
("第9.1条" / "clause 9.1"; anything not a bare number as typed)."""

from django import template
from django.utils.translation import get_language

from terminations.rules.clauses import clause_en, clause_zh

register = template.Library()


@register.filter
def clause_ref(value: str) -> str:
    return clause_zh(value) if (get_language() or "").startswith("zh") else clause_en(value)
