"""Everything a letter shows, frozen into one JSON-able dict of facts (STYLE.md point 5).

`build_snapshot(notice)` reads the case, partner, contract, shop profile and settlement once and
returns plain values: the parties, the contract or chat cooperation, the dates and the rules that
produced them, the amounts, the items and a few flags. It holds no legal sentence: the wording of
each kind of letter, Chinese and English side by side, is in `templates/letters/kinds/`, and the
section numbers are computed there from the sections present.

Issued letters keep the snapshot they were issued with (schema 1 snapshots carried their
sentences; `render.body_template` still renders them for the preview).
"""

from __future__ import annotations

import base64
import mimetypes
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from core.models import ShopProfile
from terminations.rules.clauses import clause_en, clause_zh

SCHEMA = 2

CHANNELS = {"doudian": ("抖店", "Douyin shop"), "laike": ("抖音来客", "Douyin Laike store")}


def zh_date(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def en_date(day: date | None) -> str:
    return f"{day.day} {day:%B} {day.year}" if day else ""


def zh_month(day: date | None) -> str:
    return f"{day.year}年{day.month}月" if day else ""


def en_month(day: date | None) -> str:
    return f"{day:%B} {day.year}" if day else ""


def money(amount: Decimal) -> str:
    return f"{amount.quantize(Decimal('0.01')):,}"


def _seal_data_uri(profile: ShopProfile | None) -> str:
    if not profile or not profile.seal_image:
        return ""
    try:
        with profile.seal_image.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        return ""
    mime = mimetypes.guess_type(profile.seal_image.name)[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


_SENDER_FIELDS = {
    "name": "legal_name",
    "credit_code": "credit_code",
    "address": "address",
    "shop_name": "shop_name",
    "shop_id": "shop_id",
    "contact_name": "contact_name",
    "contact_phone": "contact_phone",
    "contact_email": "contact_email",
    "bank_name": "bank_name",
    "bank_account_name": "bank_account_name",
    "bank_account_number": "bank_account_number",
}


def _sender(profile: ShopProfile | None) -> dict[str, str]:
    sender = {
        key: (getattr(profile, field) if profile else "") for key, field in _SENDER_FIELDS.items()
    }
    sender["seal"] = _seal_data_uri(profile)
    return sender


def _party(partner, contract=None) -> dict[str, Any]:
    """A party as registered, with the notice channels the contract names for the party that
    signed it (`contract` given), else the party's own. A creator is named by the name of the
    party that signed: the real name of a person, the registered name of a studio; the nickname
    and ID number (masked: the plain number never enters a snapshot) follow."""
    creator = partner.kind == "creator"
    if creator and partner.entity == "studio":
        display_name = partner.company_name or partner.real_name or partner.name
    elif creator:
        display_name = partner.real_name or partner.name
    else:
        display_name = partner.company_name or partner.name
    return {
        "kind": partner.kind,
        "entity": partner.entity,
        "name": partner.name,
        "real_name": partner.real_name if creator else "",
        "company_name": partner.company_name,
        "display_name": display_name,
        "id_number_masked": partner.id_number_masked if creator else "",
        "credit_code": partner.credit_code,
        "douyin_id": partner.douyin_id,
        "buyin_id": partner.buyin_id,
        "contact_name": partner.contact_name,
        "address": contract.effective_notice_address if contract else partner.notice_address,
        "email": contract.effective_notice_email if contract else partner.notice_email,
        "messaging": contract.effective_notice_messaging if contract else partner.notice_messaging,
    }


# The handover items of a 来客 store (terminations.handover_templates) the letter demands.
STORE_ITEM_CODES = ("laike_subaccounts", "laike_vouchers", "laike_unbind_store")


def _store_items(case) -> list[str]:
    """The case's 来客 handover items, in checklist order, except those a manager waived."""
    return [
        item.code
        for item in case.handover_items.all()
        if item.code in STORE_ITEM_CODES and item.status != "waived"
    ]


def _cooperation(contract, partner, sender: dict[str, str]) -> dict[str, Any]:
    """What ties the parties: a written contract, a cooperation agreed in chat, or neither on
    record. A chat cooperation has no title and no signing date, and the letter gives it none."""
    if contract is None:
        return {"form": "none", "douyin_id": partner.douyin_id, "buyin_id": partner.buyin_id}
    channel = CHANNELS.get(contract.channel, ("", ""))
    return {
        "form": "contract" if contract.written else "chat",
        "number": contract.number,
        "title": contract.title,
        "signed_on_zh": zh_date(contract.signed_on),
        "signed_on_en": en_date(contract.signed_on),
        "start_zh": zh_date(contract.start_date),
        "start_en": en_date(contract.start_date),
        "start_month_zh": zh_month(contract.start_date),
        "start_month_en": en_month(contract.start_date),
        "end_zh": zh_date(contract.end_date),
        "end_en": en_date(contract.end_date),
        "open_ended": contract.end_date is None,
        "channel": contract.channel,
        "channel_zh": channel[0],
        "channel_en": channel[1],
        # A 来客 contract is identified by its store, a 抖店 one by the shop.
        "laike_store_name": contract.laike_store_name if contract.channel == "laike" else "",
        "laike_store_id": contract.laike_store_id if contract.channel == "laike" else "",
        "shop_name": sender["shop_name"],
        "shop_id": sender["shop_id"],
        "douyin_id": partner.douyin_id,
        "buyin_id": partner.buyin_id,
        "has_document": bool(contract.signed_document),
        "convenience_termination": contract.convenience_termination,
        "convenience_fee_name": contract.convenience_fee_name.strip(),
        "clause_termination_zh": clause_zh(contract.clause_termination),
        "clause_termination_en": clause_en(contract.clause_termination),
        "clause_notice_zh": clause_zh(contract.clause_notice),
        "clause_notice_en": clause_en(contract.clause_notice),
        "clause_penalty_zh": clause_zh(contract.clause_penalty),
        "clause_penalty_en": clause_en(contract.clause_penalty),
        "notice_period": contract.notice_period,
        "notice_unit": contract.notice_unit,
        "counted_from": contract.notice_counted_from,
        "first_day_counts": contract.first_day_counts,
        "roll_over_rest_days": contract.roll_over_rest_days,
        "dispute_resolution": contract.dispute_resolution.strip(),
    }


def _end(case) -> dict[str, Any]:
    end = case.end_date
    return {
        "date": end.isoformat() if end else "",
        "date_zh": zh_date(end),
        "date_en": en_date(end),
        "nominal": case.end_date_nominal.isoformat() if case.end_date_nominal else "",
        "time": "24:00",
        "rule": case.end_date_rule,
        "confirmed": case.end_date_confirmed,
        "explanation_zh": case.end_date_explanation_zh,
        "explanation_en": case.end_date_explanation_en,
        "reasonable_notice_days": case.reasonable_notice_days,
    }


def _fixed(notice) -> dict[str, str]:
    """The termination date the letter fixes, if the manager chose one (the later of it and the
    rule's end governs); the letter's only date of the end that is not agreed."""
    day = notice.fixed_end_date
    return {
        "date": day.isoformat() if day else "",
        "date_zh": zh_date(day),
        "date_en": en_date(day),
    }


def _agreed_cause(case) -> dict[str, str]:
    from terminations.services.notices import agreed_cause_needed

    if not agreed_cause_needed(case) or not case.agreed_cause.strip():
        return {}
    return {
        "text": case.agreed_cause.strip(),
        "text_en": case.agreed_cause_en.strip(),
        "clause_zh": clause_zh(case.agreed_cause_clause),
        "clause_en": clause_en(case.agreed_cause_clause),
        "has_evidence": bool(case.agreed_cause_evidence),
    }


def _breach(case) -> dict[str, Any]:
    return {
        "prior_demand_on_zh": zh_date(case.prior_demand_on),
        "prior_demand_on_en": en_date(case.prior_demand_on),
        "prior_demand_until_zh": zh_date(case.prior_demand_until),
        "prior_demand_until_en": en_date(case.prior_demand_until),
        "no_demand_ground": case.no_demand_ground if case.no_demand_confirmed_at else "",
        "cure_ground": getattr(case, "cure_ground", "") or "delay",
    }


def _settlement(case, sender: dict[str, str]) -> dict[str, Any]:
    """What the letter states about money, as finance would sign it: the open agreed lines and
    who pays after set-off; claims the partner has not accepted listed apart as claims (never
    in the net); paid lines left out; a creator's commissions only as settled by the platform
    under its rules (never a payment of the shop's)."""
    from terminations.services.settlement import settlement_net

    def row(line) -> dict[str, Any]:
        return {
            "kind": line.kind,
            "direction": line.direction,
            "description": line.description,
            "description_en": line.description_en,
            "amount": money(line.amount),
            "claim": line.is_claim,
            "due_zh": zh_date(line.due_on),
            "due_en": en_date(line.due_on),
        }

    net = settlement_net(case=case)
    payer = net["payer"] or ""  # who pays after set-off: "partner", "shop" or "" (nobody)
    bank = None
    if payer == "partner" and sender["bank_account_number"]:
        bank = {
            "account_name": sender["bank_account_name"] or sender["name"],
            "bank_name": sender["bank_name"],
            "account_number": sender["bank_account_number"],
        }
    return {
        "lines": [row(line) for line in net["open"]],
        "claims": [row(line) for line in net["claims"]],
        "net": money(net["amount"]),
        "payer": payer,
        "shop_bank": bank,  # only when the partner pays the shop
    }


def _withdrawn(notice) -> dict[str, Any] | None:
    target = notice.withdraws
    if target is None:
        return None
    dispatched = min((d.dispatched_on for d in target.deliveries.all()), default=None)
    issued = timezone.localdate(target.issued_at) if target.issued_at else None
    return {
        "number": target.letter_number or target.number_or_draft,
        "kind": target.kind,
        "dispatched_on_zh": zh_date(dispatched),
        "dispatched_on_en": en_date(dispatched),
        "issued_on_zh": zh_date(issued),
        "issued_on_en": en_date(issued),
    }


def _attachments(notice, contract, cooperation: dict[str, Any]) -> list[dict[str, str]]:
    """Only what exists: the signed contract or chat records uploaded, the withdrawn letter,
    evidence files."""
    items: list[dict[str, str]] = []
    if notice.kind == "withdrawal":
        if notice.withdraws_id and notice.withdraws.pdf:
            items.append({"kind": "withdrawn", "number": notice.withdraws.number_or_draft})
        return items
    if contract is not None and cooperation.get("has_document"):
        items.append({"kind": cooperation["form"], "title": contract.title})
    if notice.kind == "mutual":
        return items  # the confirmation records an agreement, not the evidence of a complaint
    if notice.kind == "termination" and _agreed_cause(notice.case).get("has_evidence"):
        items.append({"kind": "agreed_cause"})
    for evidence in notice.case.evidence.all():
        if evidence.file:
            items.append(
                {
                    "kind": "evidence",
                    "text": evidence.description,
                    "text_en": evidence.description_en,
                }
            )
    return items


def build_snapshot(
    notice, *, letter_number: str = "", verification_code: str = "", issued_on: date | None = None
) -> dict[str, Any]:
    """Every value the letter shows. Called for the preview (no number yet) and, inside
    `notice_issue`, once more with the number and code; the result is stored on the row."""
    case = notice.case
    partner = case.partner
    contract = case.contract
    profile = ShopProfile.load()
    sender = _sender(profile)
    issued_on = issued_on or timezone.localdate()
    cooperation = _cooperation(contract, partner, sender)
    # Addressed to the party that signed (the creator, the creator's studio or the MCN), with a
    # copy (抄送) to the other where an MCN is involved (DOMAIN.md §6).
    signer, other = partner.letter_addressee, partner.letter_copy_to
    addressees = [_party(signer, contract)]
    copy_to = [_party(other)] if other is not None else []
    return {
        "schema": SCHEMA,
        "kind": notice.kind,
        "language": notice.language,
        "basis": case.basis,
        "draft": not letter_number,
        "letter_number": letter_number,
        "verification_code": verification_code,
        "case_reference": case.reference,
        "issued_on": issued_on.isoformat(),
        "issued_on_zh": zh_date(issued_on),
        "issued_on_en": en_date(issued_on),
        "sender": sender,
        "partner_kind": partner.kind,
        "addressees": addressees,
        "copy_to": copy_to,
        # When the MCN signed for the creator: the creator, whose acts the MCN is to procure.
        "via_mcn": signer.pk != partner.pk,
        "creator_name": (partner.real_name or partner.name) if partner.kind == "creator" else "",
        "store_items": _store_items(case),
        "cooperation": cooperation,
        "facts": notice.facts.strip(),
        "facts_en": notice.facts_en.strip(),
        "demands": notice.demands.strip(),
        "demands_en": notice.demands_en.strip(),
        "end": _end(case),
        "fixed": _fixed(notice),
        "agreed_cause": _agreed_cause(case),
        "breach": _breach(case),
        "cure_days": notice.cure_period_days or case.cure_period_days,
        "agreed": {
            "end_zh": zh_date(case.agreed_end_date),
            "end_en": en_date(case.agreed_end_date),
            "on_zh": zh_date(case.agreed_on),
            "on_en": en_date(case.agreed_on),
            "terms": case.agreed_terms.strip(),
            "terms_en": case.agreed_terms_en.strip(),
        },
        "settlement": _settlement(case, sender),
        "withdrawn": _withdrawn(notice),
        "attachments": _attachments(notice, contract, cooperation),
    }


def snapshot_texts(snapshot: Any) -> list[str]:
    """Every string in a snapshot except embedded images: what the font must cover."""
    if isinstance(snapshot, str):
        return [] if snapshot.startswith("data:") else [snapshot]
    if isinstance(snapshot, dict):
        return [text for value in snapshot.values() for text in snapshot_texts(value)]
    if isinstance(snapshot, (list, tuple)):
        return [text for value in snapshot for text in snapshot_texts(value)]
    return []
