"""The formal notice letters: draft → approved (manager) → issued (frozen PDF, stored once).

Every function locks the case row, checks its preconditions, raises `TransitionError` with a
translated message, saves with `update_fields` and appends a `CaseEvent`. Issuing renders the PDF
inside the step itself, so that a missing glyph refuses the issue and a double-clicked button
yields one letter (the second request waits for the lock, then finds the letter issued).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.fonts import missing_glyphs, missing_letter_requirements
from core.validators import validate_document
from terminations.models import (
    FINAL_STAGES,
    Basis,
    CaseEvent,
    Delivery,
    Notice,
    Stage,
    TerminationCase,
)
from terminations.rules.dates import RulesError
from terminations.services._base import (
    Refusal,
    TransitionError,
    local_today,
    lock_case,
    record_event,
    record_replacement,
    require_editor,
    require_manager,
    stored_file_replacement,
)
from terminations.services.breach import breach_letter_errors
from terminations.services.deliveries import FIXED_DATE_KINDS, rule_end
from terminations.services.handover import (
    handover_recompute_due_dates,
    require_before_letter_items,
)

__all__ = [
    "DRAFTING_STAGES",
    "agreed_cause_needed",
    "delivery_buffer_days",
    "earliest_fixed_end",
    "letter_attachment_warnings",
    "letter_missing_english",
    "letter_missing_fields",
    "notice_approve",
    "notice_by_verification_code",
    "notice_correct",
    "notice_draft",
    "notice_issue",
    "notice_matching_pdf",
    "notice_record_external",
    "notice_update_draft",
    "notice_upload_scan",
]

# A letter is drafted, issued or recorded from the notice stage on, while the case is open.
DRAFTING_STAGES = (Stage.NOTICE, Stage.HANDOVER, Stage.REVIEW)

# Which kinds of letter fit which basis (DOMAIN.md §6); a withdrawal fits any.
KINDS_FOR_BASIS = {
    Basis.CONTRACTUAL: (Notice.Kind.TERMINATION,),
    Basis.BREACH: (Notice.Kind.TERMINATION, Notice.Kind.CURE),
    Basis.ENTRUSTMENT: (Notice.Kind.TERMINATION,),
    Basis.OPEN_ENDED: (Notice.Kind.OPEN_ENDED,),
    Basis.MUTUAL: (Notice.Kind.MUTUAL,),
}
EDITABLE_FIELDS = (
    "facts",
    "facts_en",
    "demands",
    "demands_en",
    "language",
    "cure_period_days",
    "fixed_end_date",
)
# A fixed termination date further off than this is a typo.
FIXED_END_MAX_DAYS = 3660
# Unambiguous characters for the printed verification code (no 0/O, 1/I/L).
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _require_drafting_stage(case: TerminationCase) -> None:
    if case.stage not in DRAFTING_STAGES:
        raise TransitionError(
            _(
                "Letters can only be drafted or issued while the case is at the notice stage or later (it is at “%(stage)s”)."
            )
            % {"stage": case.get_stage_display()}
        )


def _lock_notice(notice: Notice) -> tuple[TerminationCase, Notice]:
    case = lock_case(notice.case_id)
    notice = Notice.objects.select_for_update().select_related("case").get(pk=notice.pk)
    notice.case = case
    return case, notice


def _check_kind(
    *, case: TerminationCase, kind: str, withdraws: Notice | None, cure_days: int | None
) -> None:
    if kind not in Notice.Kind.values:
        raise TransitionError(_("Unknown kind of letter."))
    if kind == Notice.Kind.WITHDRAWAL:
        if withdraws is None:
            raise TransitionError(_("Choose the letter this withdrawal withdraws."))
        if withdraws.case_id != case.pk or withdraws.kind == Notice.Kind.WITHDRAWAL:
            raise TransitionError(_("A withdrawal must withdraw another letter of the same case."))
        if withdraws.status != Notice.Status.ISSUED:
            raise TransitionError(_("Only an issued letter can be withdrawn."))
        if withdraws.deliveries.filter(arrived_on__isnull=False).exists():
            raise TransitionError(
                _(
                    "That letter has already arrived: it can no longer be withdrawn "
                    "(Civil Code art. 141)."
                )
            )
        return
    if not case.basis:
        raise TransitionError(
            _("Choose the basis for ending the cooperation before drafting a letter.")
        )
    if kind not in KINDS_FOR_BASIS.get(case.basis, ()):
        raise TransitionError(
            _("A %(kind)s does not fit the basis “%(basis)s”.")
            % {"kind": Notice.Kind(kind).label, "basis": case.get_basis_display()}
        )
    if kind == Notice.Kind.CURE and not cure_days:
        raise TransitionError(_("A cure notice needs a cure period in days."))
    errors = breach_letter_errors(case, kind)
    if errors:
        raise TransitionError(" ".join(errors), anchor=errors[0].anchor)


def agreed_cause_needed(case: TerminationCase) -> bool:
    """A contractual right that is not a right to end for convenience: it rests on an agreed
    cause (约定解除事由) that staff record and a manager confirms (DOMAIN.md §3)."""
    return (
        case.basis == Basis.CONTRACTUAL
        and case.contract_id is not None
        and not case.contract.convenience_termination
    )


# How each channel a letter may go by maps to a delivery method (and its buffer setting).
_CHANNEL_METHODS = (("address", "courier"), ("email", "email"), ("messaging", "platform"))


def delivery_buffer_days(case: TerminationCase) -> tuple[int, str]:
    """(days, method): the longest delivery buffer among the channels the letter can go by
    (``TERMINATIONS_DELIVERY_BUFFER_DAYS``), so that a fixed date survives the slowest one."""
    partner, contract = case.partner, case.contract
    if contract is not None and contract.partner_id == partner.pk:
        values = {
            "address": contract.effective_notice_address,
            "email": contract.effective_notice_email,
            "messaging": contract.effective_notice_messaging,
        }
    else:
        values = {
            "address": partner.notice_address,
            "email": partner.notice_email,
            "messaging": partner.notice_messaging,
        }
    buffers = settings.DELIVERY_BUFFER_DAYS
    methods = [method for channel, method in _CHANNEL_METHODS if values[channel].strip()]
    methods = methods or ["courier"]
    method = max(methods, key=lambda m: buffers.get(m, 0))
    return buffers.get(method, 0), method


def earliest_fixed_end(notice: Notice, *, today: date | None = None) -> date | None:
    """The earliest termination date a letter may fix: the rule's end for a dispatch today
    (the day of issue) that arrives after the delivery buffer. None where the rule cannot be
    applied yet (no basis, no contract)."""
    today = today or local_today()
    days, _method = delivery_buffer_days(notice.case)
    result = rule_end(notice.case, notice, arrival=today + timedelta(days=days), dispatched=today)
    return result.end if result is not None else None


def _check_fixed_date(notice: Notice) -> None:
    fixed = notice.fixed_end_date
    if fixed is None:
        return
    if notice.kind not in FIXED_DATE_KINDS:
        raise TransitionError(
            _(
                "Only a termination notice or a notice ending an open-ended cooperation may fix "
                "a termination date; leave the date empty."
            )
        )
    today = local_today()
    if fixed < today or (fixed - today).days > FIXED_END_MAX_DAYS:
        raise TransitionError(
            _("The fixed termination date %(date)s must be between today and ten years ahead.")
            % {"date": fixed.isoformat()}
        )
    try:
        earliest = earliest_fixed_end(notice, today=today)
    except RulesError as error:
        raise TransitionError(str(error)) from error
    if earliest is not None and fixed < earliest:
        days, method = delivery_buffer_days(notice.case)
        raise TransitionError(
            _(
                "The fixed termination date %(date)s is too early: a letter issued today and "
                "delivered within %(days)d days (%(method)s) ends no earlier than %(earliest)s "
                "by the rule. Choose %(earliest)s or later, or leave the date empty."
            )
            % {
                "date": fixed.isoformat(),
                "days": days,
                "method": dict(Delivery.Method.choices)[method],
                "earliest": earliest.isoformat(),
            }
        )


def _has_cjk(text: str) -> bool:
    """Typed in Chinese (CJK ideographs or punctuation): an English letter cannot print it."""
    return any("\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" for ch in text)


def letter_missing_english(notice: Notice) -> list[str]:
    """The free texts an English or bilingual letter prints in English: each one typed in
    Chinese needs its English text (names, addresses and identifiers print as registered)."""
    if notice.language == Notice.Language.ZH:
        return []
    case = notice.case
    missing: list[str] = []
    # Only the kinds whose template prints them (a confirmation states the agreed terms, not
    # the facts; a withdrawal neither).
    prints_facts = notice.kind in (
        Notice.Kind.TERMINATION,
        Notice.Kind.CURE,
        Notice.Kind.OPEN_ENDED,
    )
    if prints_facts and notice.facts.strip() and not notice.facts_en.strip():
        missing.append(_("the facts in English"))
    prints_demands = notice.kind != Notice.Kind.WITHDRAWAL
    if prints_demands and notice.demands.strip() and not notice.demands_en.strip():
        missing.append(_("the particular demands in English"))
    if prints_facts:  # the kinds that list the case's evidence among the attachments
        untranslated = [
            e.description
            for e in case.evidence.all()
            if e.file and _has_cjk(e.description) and not e.description_en.strip()
        ]
        if untranslated:
            missing.append(
                _("the English description of the evidence: %(items)s")
                % {"items": "; ".join(untranslated)}
            )
    if notice.kind == Notice.Kind.MUTUAL and not case.agreed_terms_en.strip():
        missing.append(_("the agreed terms in English"))
    if (
        notice.kind == Notice.Kind.TERMINATION
        and agreed_cause_needed(case)
        and not case.agreed_cause_en.strip()
    ):
        missing.append(_("the agreed cause in English"))
    if notice.kind in (Notice.Kind.TERMINATION, Notice.Kind.OPEN_ENDED, Notice.Kind.MUTUAL):
        from terminations.services.settlement import settlement_net

        net = settlement_net(case=case)
        untranslated = [
            line.description
            for line in [*net["open"], *net["claims"]]
            if line.description.strip()
            and not line.description_en.strip()
            # a fee named as the contract names it prints as that name
            and not (
                line.kind == line.Kind.TERMINATION_FEE
                and case.contract_id
                and line.description.strip() == case.contract.convenience_fee_name.strip()
            )
        ]
        if untranslated:
            missing.append(
                _("the English description of the settlement lines: %(lines)s")
                % {"lines": "; ".join(untranslated)}
            )
    return missing


def _next_sequence(case: TerminationCase) -> int:
    return (Notice.objects.filter(case=case).aggregate(m=Max("sequence"))["m"] or 0) + 1


@transaction.atomic
def notice_draft(
    *,
    case: TerminationCase,
    by,
    kind: str,
    language: str = Notice.Language.ZH,
    facts: str = "",
    demands: str = "",
    facts_en: str = "",
    demands_en: str = "",
    cure_period_days: int | None = None,
    withdraws: Notice | None = None,
    fixed_end_date: date | None = None,
) -> Notice:
    require_editor(by)
    case = lock_case(case)
    _require_drafting_stage(case)
    if language not in Notice.Language.values:
        raise TransitionError(_("Unknown letter language."))
    if kind == Notice.Kind.CURE:
        cure_period_days = cure_period_days or case.cure_period_days
    _check_kind(case=case, kind=kind, withdraws=withdraws, cure_days=cure_period_days)
    notice = Notice(
        case=case,
        kind=kind,
        sequence=_next_sequence(case),
        version=1,
        language=language,
        facts=facts.strip() or case.facts,
        facts_en=facts_en.strip(),
        demands=demands.strip(),
        demands_en=demands_en.strip(),
        fixed_end_date=fixed_end_date,
        cure_period_days=cure_period_days if kind == Notice.Kind.CURE else None,
        withdraws=withdraws if kind == Notice.Kind.WITHDRAWAL else None,
        drafted_by=by,
    )
    _check_fixed_date(notice)
    notice.save()
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.NOTICE_DRAFTED,
        message=notice.number_or_draft,
        data={"notice": notice.pk, "kind": kind, "language": language},
    )
    return notice


@transaction.atomic
def notice_update_draft(*, notice: Notice, by, **fields) -> Notice:
    """Change what a person writes (facts, particular demands), the language or the cure
    period. Editing an approved draft sends it back for approval."""
    require_editor(by)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TransitionError(
            _("These fields cannot be changed: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    case, notice = _lock_notice(notice)
    _require_drafting_stage(case)
    if notice.status not in (Notice.Status.DRAFT, Notice.Status.APPROVED):
        raise TransitionError(_("An issued letter never changes: correct it with a new version."))
    if "language" in fields and fields["language"] not in Notice.Language.values:
        raise TransitionError(_("Unknown letter language."))
    if notice.kind == Notice.Kind.CURE and "cure_period_days" in fields:
        if not fields["cure_period_days"]:
            raise TransitionError(_("A cure notice needs a cure period in days."))
    elif "cure_period_days" in fields:
        fields.pop("cure_period_days")
    changed = []
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        if getattr(notice, name) != value:
            setattr(notice, name, value)
            changed.append(name)
    if "fixed_end_date" in changed:
        _check_fixed_date(notice)
    if notice.status == Notice.Status.APPROVED and changed:
        notice.status = Notice.Status.DRAFT
        notice.approved_by = None
        notice.approved_at = None
        changed += ["status", "approved_by", "approved_at"]
    if changed:
        notice.save(update_fields=changed)
        record_event(
            case=case,
            actor=by,
            kind=CaseEvent.Kind.NOTICE_EDITED,
            message=notice.number_or_draft,
            data={"notice": notice.pk, "fields": sorted(set(changed) & set(EDITABLE_FIELDS))},
        )
    return notice


def _agreed_cause_errors(case: TerminationCase, notice: Notice) -> list[str]:
    if notice.kind != Notice.Kind.TERMINATION or not agreed_cause_needed(case):
        return []
    if not case.agreed_cause.strip():
        return [
            Refusal(
                _(
                    "The contract gives no right to end it for convenience: record the agreed "
                    "cause that occurred (which cause, which clause, the evidence) first."
                ),
                "assessment",
            )
        ]
    return []


@transaction.atomic
def notice_approve(*, notice: Notice, by, confirm_agreed_cause: bool = False) -> Notice:
    """A manager approves the draft. A termination resting on an agreed cause needs the
    manager to confirm that cause (which clause, the evidence) in the same step."""
    require_manager(by)
    case, notice = _lock_notice(notice)
    _require_drafting_stage(case)
    if notice.status != Notice.Status.DRAFT:
        raise TransitionError(
            _("Only a draft can be approved; this letter is “%(status)s”.")
            % {"status": notice.get_status_display()}
        )
    errors = _agreed_cause_errors(case, notice)
    if errors:
        raise TransitionError(" ".join(errors), anchor=errors[0].anchor)
    if notice.kind == Notice.Kind.TERMINATION and agreed_cause_needed(case):
        if not confirm_agreed_cause:
            raise TransitionError(
                _("Confirm the agreed cause (%(cause)s) before approving: the letter relies on it.")
                % {"cause": case.agreed_cause.strip()[:80]}
            )
        if case.agreed_cause_confirmed_at is None:
            case.agreed_cause_confirmed_by = by
            case.agreed_cause_confirmed_at = timezone.now()
            case.save(
                update_fields=[
                    "agreed_cause_confirmed_by",
                    "agreed_cause_confirmed_at",
                    "updated_at",
                ]
            )
            record_event(
                case=case,
                actor=by,
                kind=CaseEvent.Kind.ASSESSMENT_UPDATED,
                message=_("Agreed cause confirmed: %(cause)s")
                % {"cause": case.agreed_cause.strip()},
                data={"agreed_cause_confirmed": True, "clause": case.agreed_cause_clause},
            )
    _check_fixed_date(notice)
    notice.status = Notice.Status.APPROVED
    notice.approved_by = by
    notice.approved_at = timezone.now()
    notice.save(update_fields=["status", "approved_by", "approved_at"])
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.NOTICE_APPROVED,
        message=notice.number_or_draft,
        data={"notice": notice.pk},
    )
    return notice


def _new_verification_code() -> str:
    while True:
        raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
        code = f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"
        if not Notice.objects.filter(verification_code=code).exists():
            return code


def letter_attachment_warnings(notice: Notice) -> list[str]:
    """Attachments a lawyer would expect that are not on file (DOMAIN.md §6): the letter lists
    only what exists, so the manager is warned at approval instead. Not a refusal."""
    case, contract = notice.case, notice.case.contract
    warnings: list[str] = []
    if notice.kind == Notice.Kind.WITHDRAWAL:
        return warnings
    if contract is not None and not contract.signed_document:
        warnings.append(
            _("The signed contract is not uploaded: the letter lists no copy of it.")
            if contract.written
            else _("The chat records of the cooperation are not uploaded: the letter lists none.")
        )
    if notice.kind == Notice.Kind.MUTUAL:
        return warnings
    if (
        notice.kind == Notice.Kind.TERMINATION
        and agreed_cause_needed(case)
        and not case.agreed_cause_evidence
    ):
        warnings.append(_("No evidence of the agreed cause is uploaded: the letter attaches none."))
    if case.basis == Basis.BREACH and not case.evidence.exists():
        warnings.append(_("No evidence of the breach is uploaded: the letter attaches none."))
    return warnings


def letter_missing_fields(notice: Notice) -> list[str]:
    """What a letter cannot go out without (DOMAIN.md §6), named as the forms name it. Any other
    missing value only leaves its sentence out of the letter."""
    from core.models import ShopProfile

    case = notice.case
    partner = case.partner
    contract = case.contract
    missing: list[str] = []
    profile = ShopProfile.load()
    if profile is None or not profile.legal_name.strip():
        missing.append(_("the shop's legal name (shop profile)"))
    if profile is None or not profile.credit_code.strip():
        missing.append(_("the shop's unified social credit code (shop profile)"))
    if partner.entity == partner.Entity.MCN and not partner.mcn_id:
        missing.append(
            _("the MCN that signed for %(partner)s (partner register)") % {"partner": partner}
        )
    # The party that signed is named by its legal name: a person by the real name, a studio or
    # a company by its registered name. An MCN copied is a party to the contract too.
    signer, other = partner.letter_addressee, partner.letter_copy_to
    parties = [signer] + ([other] if other is not None and other.kind != other.Kind.CREATOR else [])
    for party in parties:
        if party.entity == party.Entity.PERSON:
            if not party.real_name.strip():
                missing.append(
                    _("the real name (真实姓名) of %(partner)s (partner register)")
                    % {"partner": party}
                )
        elif party.entity == party.Entity.STUDIO:
            if not party.company_name.strip():
                missing.append(
                    _(
                        "the registered name of the studio or company of %(partner)s (partner register)"
                    )
                    % {"partner": party}
                )
        elif not party.company_name.strip():
            missing.append(_("the company legal name of %(partner)s") % {"partner": party})
    uses_contract = contract is not None and contract.partner_id == partner.pk
    if uses_contract:
        channels = (
            contract.effective_notice_address,
            contract.effective_notice_email,
            contract.effective_notice_messaging,
        )
    else:
        channels = (signer.notice_address, signer.notice_email, signer.notice_messaging)
    if not any(value.strip() for value in channels):
        missing.append(
            _("an address, e-mail or messaging account for notices of %(partner)s")
            % {"partner": signer}
        )
    if contract is None:
        if not (partner.douyin_id.strip() or partner.buyin_id.strip()):
            missing.append(
                _(
                    "the cooperation's identification (a contract, or the partner's Douyin or Buyin ID)"
                )
            )
    elif contract.written and not (contract.number.strip() and contract.title.strip()):
        missing.append(_("the contract's number and title"))
    elif not contract.written and not contract.number.strip():
        missing.append(_("the cooperation's reference number"))
    if contract is not None and contract.is_laike:
        # A 来客 contract is identified by its store (DOMAIN.md §6).
        if not contract.laike_store_name.strip():
            missing.append(_("the 来客 store name of the contract"))
        if not contract.laike_store_id.strip():
            missing.append(_("the 来客 store ID / POI ID of the contract"))
    if notice.kind == Notice.Kind.MUTUAL:
        if not case.agreed_end_date:
            missing.append(_("the agreed end date"))
        if not case.agreed_terms.strip():
            missing.append(_("the agreed terms"))
    missing.extend(letter_missing_english(notice))
    return missing


def _check_letter_machinery() -> None:
    problems = missing_letter_requirements()
    if problems:
        raise TransitionError(
            _("Letters cannot be issued on this server: %(problem)s") % {"problem": problems[0][0]}
        )


def _signed(pdf: bytes, *, snapshot: dict) -> tuple[bytes, str]:
    """The rendered letter signed with the shop's certificate where there is one, and who signed
    it ("" for a letter issued unsigned). A letter that cannot be signed as configured is not
    issued; nor is one whose fresh signature does not verify."""
    from terminations.letters.signing import (
        SigningError,
        sign_pdf,
        signature_report,
        signing_configured,
    )

    if not signing_configured():
        return pdf, ""
    # The reason is read in PDF viewers' signature panels: in the letter's language.
    with translation.override("en" if snapshot["language"] == "en" else "zh-hans"):
        reason = _("Issued letter %(number)s") % {"number": snapshot["letter_number"]}
    try:
        signed = sign_pdf(pdf, reason=reason, location=snapshot["sender"]["address"])
    except SigningError as error:
        raise TransitionError(str(error)) from error
    if signed == pdf:  # the certificate was removed a moment ago
        return pdf, ""
    reports = signature_report(signed)
    if not reports or not reports[-1].sound:
        raise TransitionError(
            _("The letter was signed, but its signature does not verify; it was not issued.")
        )
    return signed, reports[-1].signer


@transaction.atomic
def notice_issue(*, notice: Notice, by) -> Notice:
    """Freeze the snapshot, render the PDF once, sign it where the shop holds a certificate,
    store bytes + SHA-256 + number + code."""
    from terminations.letters.render import render_pdf
    from terminations.letters.snapshot import build_snapshot, snapshot_texts

    require_manager(by)
    case, notice = _lock_notice(notice)
    if notice.status in (Notice.Status.ISSUED, Notice.Status.SUPERSEDED):
        raise TransitionError(
            _("Letter %(number)s has already been issued.") % {"number": notice.letter_number}
        )
    _require_drafting_stage(case)
    if notice.status != Notice.Status.APPROVED:
        raise TransitionError(_("A manager must approve the letter before it is issued."))
    if notice.kind == Notice.Kind.WITHDRAWAL:
        withdrawn = Notice.objects.get(pk=notice.withdraws_id)
        _check_kind(case=case, kind=notice.kind, withdraws=withdrawn, cure_days=None)
    errors = breach_letter_errors(case, notice.kind)
    if errors:
        raise TransitionError(" ".join(errors), anchor=errors[0].anchor)
    require_before_letter_items(case=case, notice=notice)
    errors = _agreed_cause_errors(case, notice)
    if errors:
        raise TransitionError(" ".join(errors), anchor=errors[0].anchor)
    if (
        notice.kind == Notice.Kind.TERMINATION
        and agreed_cause_needed(case)
        and case.agreed_cause_confirmed_at is None
    ):
        raise TransitionError(
            _("A manager must confirm the agreed cause at approval before the letter is issued.")
        )
    _check_fixed_date(notice)
    missing = letter_missing_fields(notice)
    if missing:
        raise TransitionError(
            _("The letter cannot be issued without: %(fields)s.") % {"fields": "; ".join(missing)}
        )
    _check_letter_machinery()

    number = f"{case.reference}-L{notice.sequence}-v{notice.version}"
    if Notice.objects.filter(letter_number=number).exclude(pk=notice.pk).exists():
        raise TransitionError(_("Letter number %(number)s is already taken.") % {"number": number})
    code = _new_verification_code()
    snapshot = build_snapshot(
        notice, letter_number=number, verification_code=code, issued_on=timezone.localdate()
    )
    missing = missing_glyphs(snapshot_texts(snapshot))
    if missing:
        raise TransitionError(
            _(
                "The letter cannot be issued: the font has no glyph for %(chars)s. "
                "Change the text (partner, facts, demands or shop profile) and try again."
            )
            % {"chars": " ".join(f"“{c}” (U+{ord(c):04X})" for c in missing[:10])}
        )
    pdf = render_pdf(snapshot)
    pdf, signed_by = _signed(pdf, snapshot=snapshot)
    digest = hashlib.sha256(pdf).hexdigest()

    notice.pdf.save(f"{number}.pdf", ContentFile(pdf), save=False)
    notice.snapshot = snapshot
    notice.sha256 = digest
    notice.size = len(pdf)
    notice.signed_by = signed_by or ""
    notice.letter_number = number
    notice.verification_code = code
    notice.status = Notice.Status.ISSUED
    notice.issued_by = by
    notice.issued_at = timezone.now()
    # The only dates a letter states as the end: a date it fixes, or the agreed one. A rule
    # counted from this letter's own arrival is not a date yet.
    if notice.kind == Notice.Kind.MUTUAL:
        notice.stated_end_date = case.agreed_end_date
    elif notice.kind in FIXED_DATE_KINDS:
        notice.stated_end_date = notice.fixed_end_date
    else:
        notice.stated_end_date = None
    notice.save(
        update_fields=[
            "pdf",
            "snapshot",
            "stated_end_date",
            "sha256",
            "size",
            "signed_by",
            "letter_number",
            "verification_code",
            "status",
            "issued_by",
            "issued_at",
        ]
    )
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.NOTICE_ISSUED,
        message=number,
        data={
            "notice": notice.pk,
            "sha256": digest,
            "size": len(pdf),
            "signed": bool(signed_by),
            "signed_by": signed_by,
        },
    )
    # Before-the-letter handover items fall due the day the first letter is issued.
    handover_recompute_due_dates(case=case)
    if notice.supersedes_id:
        old = Notice.objects.select_for_update().get(pk=notice.supersedes_id)
        if old.status == Notice.Status.ISSUED:
            old.status = Notice.Status.SUPERSEDED
            old.save(update_fields=["status"])
            record_event(
                case=case,
                actor=by,
                kind=CaseEvent.Kind.NOTICE_SUPERSEDED,
                message=_("%(old)s is superseded by %(new)s.")
                % {"old": old.number_or_draft, "new": number},
                data={"notice": old.pk, "superseded_by": notice.pk},
            )
    return notice


@transaction.atomic
def notice_correct(*, notice: Notice, by) -> Notice:
    """A new draft version of an issued letter; the old one is superseded when it is issued."""
    require_editor(by)
    case, notice = _lock_notice(notice)
    _require_drafting_stage(case)
    if notice.status != Notice.Status.ISSUED:
        raise TransitionError(_("Only the current issued version of a letter can be corrected."))
    if Notice.objects.filter(
        supersedes=notice, status__in=(Notice.Status.DRAFT, Notice.Status.APPROVED)
    ).exists():
        raise TransitionError(_("A correction of this letter is already being drafted."))
    version = (
        Notice.objects.filter(case=case, sequence=notice.sequence).aggregate(m=Max("version"))["m"]
        or 0
    ) + 1
    correction = Notice.objects.create(
        case=case,
        kind=notice.kind,
        sequence=notice.sequence,
        version=version,
        language=notice.language,
        facts=notice.facts,
        facts_en=notice.facts_en,
        demands=notice.demands,
        demands_en=notice.demands_en,
        cure_period_days=notice.cure_period_days,
        withdraws=notice.withdraws,
        supersedes=notice,
        drafted_by=by,
    )
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.NOTICE_DRAFTED,
        message=_("Correction of %(number)s drafted.") % {"number": notice.number_or_draft},
        data={"notice": correction.pk, "corrects": notice.pk},
    )
    return correction


def _validated_file(file, label: str) -> None:
    if not file:
        raise TransitionError(_("Choose the file of the %(what)s.") % {"what": label})
    try:
        validate_document(file)
    except ValidationError as error:
        raise TransitionError(" ".join(error.messages)) from None


@transaction.atomic
def notice_record_external(
    *, case: TerminationCase, by, kind: str, issued_on: date, scanned_copy, facts: str = ""
) -> Notice:
    """A letter drafted outside the desk, recorded with its scan: issued, origin external."""
    require_manager(by)
    case = lock_case(case)
    _require_drafting_stage(case)
    if kind not in Notice.Kind.values or kind == Notice.Kind.WITHDRAWAL:
        raise TransitionError(_("Record an external withdrawal by drafting one here instead."))
    if issued_on > timezone.localdate():
        raise TransitionError(_("The date of the letter cannot be in the future."))
    _validated_file(scanned_copy, _("signed copy"))
    sequence = _next_sequence(case)
    number = f"{case.reference}-L{sequence}-v1"
    notice = Notice(
        case=case,
        kind=kind,
        origin=Notice.Origin.EXTERNAL,
        sequence=sequence,
        version=1,
        status=Notice.Status.ISSUED,
        facts=facts.strip(),
        letter_number=number,
        snapshot={"origin": "external", "issued_on": issued_on.isoformat(), "facts": facts.strip()},
        drafted_by=by,
        issued_by=by,
        issued_at=timezone.make_aware(datetime.combine(issued_on, time(12, 0))),
    )
    notice.scanned_copy.save(scanned_copy.name, scanned_copy, save=False)
    notice.save()
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.NOTICE_RECORDED,
        message=number,
        data={"notice": notice.pk, "kind": kind, "issued_on": issued_on.isoformat()},
    )
    return notice


@transaction.atomic
def notice_upload_scan(*, notice: Notice, by, file) -> Notice:
    """The stamped, signed copy actually sent, kept with the letter as evidence."""
    require_editor(by)
    case, notice = _lock_notice(notice)
    if not notice.is_issued:
        raise TransitionError(_("Upload the signed copy after the letter has been issued."))
    if case.stage in FINAL_STAGES:
        raise TransitionError(
            _("The case is %(stage)s: its letters' evidence no longer changes.")
            % {"stage": case.get_stage_display()}
        )
    # Evidence is kept, not replaced: for a letter drafted outside the desk the scan is the only
    # copy there is. A manager may replace it; the old file stays in storage.
    replaced = stored_file_replacement(
        by=by, current=notice.scanned_copy, new=file, what=_("stamped copy")
    )
    _validated_file(file, _("signed copy"))
    file.seek(0)
    digest = hashlib.sha256(file.read()).hexdigest()
    file.seek(0)
    notice.scanned_copy.save(file.name, file, save=False)
    notice.save(update_fields=["scanned_copy"])
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.SCAN_UPLOADED,
        message=notice.number_or_draft,
        data={"notice": notice.pk, "sha256": digest, "size": notice.scanned_copy.size},
    )
    if replaced:
        record_replacement(
            case=case,
            by=by,
            replaced=replaced,
            new_name=notice.scanned_copy.name,
            notice=notice.pk,
        )
    return notice


# --- reads: verification ------------------------------------------------------------------


def notice_matching_pdf(*, data: bytes) -> Notice | None:
    """The issued letter whose stored SHA-256 equals that of `data`, if any."""
    digest = hashlib.sha256(data).hexdigest()
    return (
        Notice.objects.filter(sha256=digest, origin=Notice.Origin.GENERATED)
        .exclude(status__in=(Notice.Status.DRAFT, Notice.Status.APPROVED))
        .select_related("case", "case__partner", "issued_by")
        .first()
    )


def notice_by_verification_code(code: str) -> Notice | None:
    cleaned = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if len(cleaned) != 12:
        return None
    formatted = f"{cleaned[:4]}-{cleaned[4:8]}-{cleaned[8:]}"
    return (
        Notice.objects.filter(verification_code=formatted)
        .select_related("case", "case__partner", "issued_by")
        .first()
    )
