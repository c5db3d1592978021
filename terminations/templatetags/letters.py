"""Tags for the letter templates: which languages a letter shows, and section headings numbered
from the sections actually present (一、二、三… in Chinese, 1. 2. 3. in English)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

register = template.Library()

_DIGITS = "零一二三四五六七八九"


def chinese_numeral(number: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 23 → 二十三 (enough for any letter)."""
    if number < 10:
        return _DIGITS[number]
    tens, units = divmod(number, 10)
    return f"{'' if tens == 1 else _DIGITS[tens]}十{_DIGITS[units] if units else ''}"


class LetterLanguage:
    """`zh` / `en`: whether the letter shows that language's paragraph; counts the sections."""

    def __init__(self, language: str, form: str = "contract") -> None:
        self.code = language
        # A written contract is "本合同" / "the Contract"; a chat cooperation "双方合作".
        self.contract = form == "contract"
        self.zh = language != "en"
        self.en = language != "zh"
        self.bilingual = language == "bilingual"
        # Punctuation after labels and around brackets follows the letter's first language.
        self.colon = "：" if self.zh else ": "
        self.lp, self.rp = ("（", "）") if self.zh else (" (", ")")
        self.sections = 0


@register.simple_tag
def letter_language(language: str, form: str = "contract") -> LetterLanguage:
    return LetterLanguage(language, form or "contract")


@register.simple_tag
def heading(lang: LetterLanguage, zh: str, en: str) -> str:
    """The next section's heading, numbered; its number depends only on the headings before."""
    lang.sections += 1
    n = lang.sections
    if lang.bilingual:
        return format_html(
            '<h2>{}、{} <span class="en" lang="en">{}. {}</span></h2>',
            chinese_numeral(n),
            zh,
            n,
            en,
        )
    if lang.zh:
        return format_html("<h2>{}、{}</h2>", chinese_numeral(n), zh)
    return format_html("<h2>{}. {}</h2>", n, en)


@register.simple_tag
def label(lang: LetterLanguage, zh: str, en: str) -> str:
    """A short label in the letter's language(s): "通知地址", "Address for notices", or both."""
    if lang.bilingual:
        return f"{zh} / {en}"
    return zh if lang.zh else en
