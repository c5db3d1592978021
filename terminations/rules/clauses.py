"""Clause references as staff type them, stored once in a normal form and printed one way.

A reference is kept as typed except that one outer "第…条" around a bare number is stripped
("第 9.1 条", "9.1条", "第9.1条" → "9.1"); anything else ("第九条第一款", "附件一第3条") stays as
typed. Printing adds "第…条" (Chinese) or "clause …" (English) only around a bare number, so no
letter or explanation says "第第 9.1 条条" or "clause 第 9.1 条".
"""

from __future__ import annotations

import re

_BARE = re.compile(r"\d+(?:\.\d+)*")
_WRAPPED = re.compile(r"第?\s*(\d+(?:\.\d+)*)\s*条?")


def normalise_clause(text: str | None) -> str:
    """The stored form of a clause reference: a bare number where one was wrapped."""
    text = (text or "").strip()
    match = _WRAPPED.fullmatch(text)
    return match.group(1) if match else text


def is_bare_number(text: str) -> bool:
    return bool(_BARE.fullmatch(text))


def clause_zh(text: str | None) -> str:
    """ "第9.1条" for a bare number, anything else as typed ("第九条第一款"); "" for none."""
    ref = normalise_clause(text)
    return f"第{ref}条" if is_bare_number(ref) else ref


def clause_en(text: str | None) -> str:
    """ "clause 9.1" for a bare number, anything else as typed; "" for none."""
    ref = normalise_clause(text)
    return f"clause {ref}" if is_bare_number(ref) else ref
