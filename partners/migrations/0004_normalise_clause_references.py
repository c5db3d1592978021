"""Stored clause references in their normal form: "第 9.1 条" → "9.1" (terminations.rules.clauses).

The pattern is copied here rather than imported, so that this migration keeps doing what it did
if the helper changes."""

import re

from django.db import migrations

_WRAPPED = re.compile(r"第?\s*(\d+(?:\.\d+)*)\s*条?")
FIELDS = ("clause_notice", "clause_termination", "clause_penalty", "clause_counting")


def _normalise(text: str) -> str:
    text = (text or "").strip()
    match = _WRAPPED.fullmatch(text)
    return match.group(1) if match else text


def normalise(apps, schema_editor) -> None:
    Contract = apps.get_model("partners", "Contract")
    for contract in Contract.objects.only("pk", *FIELDS).iterator():
        changed = [name for name in FIELDS if _normalise(getattr(contract, name)) != getattr(contract, name)]
        for name in changed:
            setattr(contract, name, _normalise(getattr(contract, name)))
        if changed:
            contract.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [("partners", "0003_contract_convenience_fee_name")]
    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
