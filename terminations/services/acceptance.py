"""Online acceptance of a confirmation of mutual termination, from the partner's page.

The signer gives name, position and company, agrees to the stated terms and confirms with a
one-time code sent to the contract's notice e-mail. The desk then freezes the accepted
confirmation — the issued letter's pages plus an acceptance page saying who accepted, when, from
where and by which channel — as a new PDF with its own SHA-256, signed where a certificate is
configured. It counts as the countersigned copy only after a manager confirms the signer's
authority. An e-mailed code is weaker evidence than a seal (README).
"""

from __future__ import annotations

import hashlib
import hmac
import io
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import ShopProfile
from terminations.models import (
    Basis,
    CaseEvent,
    LetterEmail,
    Notice,
    OnlineAcceptance,
    PartnerPageRecord,
    Stage,
)
from terminations.services._base import (
    TransitionError,
    case_warnings,
    lock_case,
    record_event,
    require_manager,
    set_warnings,
)
from terminations.services.deliveries import case_recompute_end_date
from terminations.services.emails import link_expired, partner_page_record

__all__ = [
    "acceptance_accept",
    "acceptance_confirm_authority",
    "acceptance_open",
    "acceptance_request_code",
    "acceptance_send_code",
    "can_accept_online",
]

# Refusals on the partner's page are codes; the page words them in the letter's languages.
EXPIRED, NOT_OFFERED, MISSING, CODE_EXPIRED, CODE_WRONG, TOO_MANY, DONE = (
    "expired",
    "not_offered",
    "missing",
    "code_expired",
    "code_wrong",
    "too_many",
    "done",
)


class AcceptanceRefused(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def can_accept_online(email: LetterEmail) -> bool:
    """The confirmation may be accepted from this link: a mutual confirmation, sent as a notice
    to the contract's designated address, still the current version, the case still open
    before the handover, and not accepted yet."""
    notice = email.notice
    case = notice.case
    return (
        notice.kind == Notice.Kind.MUTUAL
        and email.purpose == LetterEmail.Purpose.NOTICE
        and notice.status == Notice.Status.ISSUED
        and case.basis == Basis.MUTUAL
        and case.stage in (Stage.ASSESSMENT, Stage.NEGOTIATION, Stage.NOTICE)
        and not email.acceptances.filter(accepted_at__isnull=False).exists()
    )


def acceptance_open(email: LetterEmail) -> OnlineAcceptance | None:
    """The acceptance waiting for its code on this link, if any."""
    return email.acceptances.filter(accepted_at__isnull=True).order_by("-code_sent_at").first()


def _code_hash(acceptance_pk: int, code: str) -> str:
    return hashlib.sha256(f"{acceptance_pk}:{code}".encode()).hexdigest()


@transaction.atomic
def acceptance_request_code(
    *,
    email: LetterEmail,
    signer_name: str,
    signer_position: str,
    signer_company: str,
    agreed: bool,
    ip_address: str | None,
    user_agent: str,
) -> OnlineAcceptance:
    lock_case(email.notice.case_id)
    email = LetterEmail.objects.select_for_update().select_related("notice__case").get(pk=email.pk)
    if link_expired(email):
        raise AcceptanceRefused(EXPIRED)
    if not can_accept_online(email):
        raise AcceptanceRefused(NOT_OFFERED)
    fields = [signer_name.strip(), signer_position.strip(), signer_company.strip()]
    if not all(fields) or not agreed:
        raise AcceptanceRefused(MISSING)
    # One live code per link: asking again replaces the previous one.
    email.acceptances.filter(accepted_at__isnull=True).delete()
    acceptance = OnlineAcceptance.objects.create(
        email=email,
        signer_name=fields[0][:100],
        signer_position=fields[1][:100],
        signer_company=fields[2][:200],
        code_hash="-",
        code_sent_to=email.recipient,
        ip_address=ip_address or None,
        user_agent=(user_agent or "")[:300],
    )
    code = f"{secrets.randbelow(10**6):06d}"
    acceptance.code_hash = _code_hash(acceptance.pk, code)
    acceptance.save(update_fields=["code_hash"])
    partner_page_record(
        email=email,
        kind=PartnerPageRecord.Kind.CODE_SENT,
        ip_address=ip_address,
        user_agent=user_agent,
    )
    pk = acceptance.pk
    transaction.on_commit(lambda: _enqueue_code(pk, code))
    return acceptance


def _enqueue_code(acceptance_pk: int, code: str) -> None:
    from terminations.tasks import send_acceptance_code_task

    send_acceptance_code_task.enqueue(acceptance_pk=acceptance_pk, code=code)


def acceptance_send_code(acceptance_pk: int, code: str) -> None:
    acceptance = OnlineAcceptance.objects.select_related("email__notice").get(pk=acceptance_pk)
    profile = ShopProfile.load()
    notice = acceptance.email.notice
    context = {
        "code": code,
        "minutes": settings.ACCEPTANCE_CODE_MINUTES,
        "notice": notice,
        "s": notice.snapshot or {},
        "acceptance": acceptance,
        "en": notice.language in ("en", "bilingual"),
        "zh": notice.language in ("zh", "bilingual"),
    }
    message = mail.EmailMessage(
        subject=" ".join(render_to_string("emails/acceptance_code_subject.txt", context).split()),
        body=render_to_string("emails/acceptance_code.txt", context),
        from_email=(
            f"{profile.legal_name} <{profile.sender_email}>"
            if profile and profile.sender_email
            else settings.DEFAULT_FROM_EMAIL
        ),
        to=[acceptance.code_sent_to],
    )
    mail.mailers["letters"].send_messages([message])


def acceptance_accept(
    *, email: LetterEmail, code: str, ip_address: str | None, user_agent: str
) -> OnlineAcceptance:
    """Check the one-time code and freeze the accepted confirmation. A wrong code is counted
    (and kept, although the request is refused); after too many the code is dead."""
    with transaction.atomic():
        result = _accept(email=email, code=code, ip_address=ip_address, user_agent=user_agent)
    if isinstance(result, str):
        raise AcceptanceRefused(result)
    return result


def _accept(
    *, email: LetterEmail, code: str, ip_address: str | None, user_agent: str
) -> OnlineAcceptance | str:
    case = lock_case(email.notice.case_id)
    email = LetterEmail.objects.select_for_update().select_related("notice").get(pk=email.pk)
    email.notice.case = case
    if link_expired(email):
        return EXPIRED
    if not can_accept_online(email):
        return NOT_OFFERED
    acceptance = acceptance_open(email)
    if acceptance is None:
        return MISSING
    acceptance = OnlineAcceptance.objects.select_for_update().get(pk=acceptance.pk)
    if acceptance.code_attempts >= settings.ACCEPTANCE_CODE_ATTEMPTS:
        return TOO_MANY
    if timezone.now() > acceptance.code_sent_at + timedelta(
        minutes=settings.ACCEPTANCE_CODE_MINUTES
    ):
        return CODE_EXPIRED
    given = "".join((code or "").split())
    if not hmac.compare_digest(_code_hash(acceptance.pk, given), acceptance.code_hash):
        acceptance.code_attempts += 1
        acceptance.save(update_fields=["code_attempts"])
        partner_page_record(
            email=email,
            kind=PartnerPageRecord.Kind.CODE_WRONG,
            ip_address=ip_address,
            user_agent=user_agent,
        )
        return CODE_WRONG
    acceptance.accepted_at = timezone.now()
    acceptance.ip_address = ip_address or None
    acceptance.user_agent = (user_agent or "")[:300]
    pdf = accepted_confirmation_pdf(acceptance)
    acceptance.sha256 = hashlib.sha256(pdf).hexdigest()
    acceptance.pdf.save(f"{email.notice.letter_number}-accepted.pdf", ContentFile(pdf), save=False)
    acceptance.save(update_fields=["accepted_at", "ip_address", "user_agent", "pdf", "sha256"])
    partner_page_record(
        email=email,
        kind=PartnerPageRecord.Kind.ACCEPTED,
        ip_address=ip_address,
        user_agent=user_agent,
    )
    if email.acknowledged_at is None:
        # Accepting the confirmation proves it was received no later than then.
        email.acknowledged_at = acceptance.accepted_at
        email.save(update_fields=["acknowledged_at"])
    record_event(
        case=case,
        actor=None,
        kind=CaseEvent.Kind.ACCEPTED_ONLINE,
        message=_(
            "%(number)s accepted online by %(name)s (%(position)s, %(company)s); a manager must "
            "confirm the signer's authority before it counts as countersigned."
        )
        % {
            "number": email.notice.letter_number,
            "name": acceptance.signer_name,
            "position": acceptance.signer_position,
            "company": acceptance.signer_company,
        },
        data={"notice": email.notice_id, "acceptance": acceptance.pk, "sha256": acceptance.sha256},
    )
    return acceptance


def accepted_confirmation_pdf(acceptance: OnlineAcceptance) -> bytes:
    """The issued confirmation's own pages, unchanged, followed by the acceptance page; signed
    by the shop where a certificate is configured."""
    from pypdf import PdfReader, PdfWriter

    from terminations.letters.render import html_to_pdf

    notice = acceptance.email.notice
    snapshot = notice.snapshot or {}
    html = render_to_string(
        "letters/acceptance_page.html",
        {
            "s": snapshot,
            "notice": notice,
            "acceptance": acceptance,
            "accepted_at": timezone.localtime(acceptance.accepted_at),
            "zh": notice.language in ("zh", "bilingual"),
            "en": notice.language in ("en", "bilingual"),
        },
    )
    page = html_to_pdf(html)
    with notice.pdf.open("rb") as stored:
        letter = stored.read()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(letter)))
    writer.append(PdfReader(io.BytesIO(page)))
    out = io.BytesIO()
    writer.write(out)
    data = out.getvalue()
    try:
        from terminations.letters.signing import SigningError, sign_pdf
    except ImportError:
        return data
    try:
        return sign_pdf(
            data, reason="Online acceptance of a confirmation of mutual termination", location=""
        )
    except SigningError:
        # The partner has accepted: keep the acceptance unsigned rather than lose it; the
        # manager sees that it is unsigned on the verification page.
        return data


@transaction.atomic
def acceptance_confirm_authority(*, acceptance: OnlineAcceptance, by, note: str):
    """A manager confirms that the signer had authority to accept for the partner: the accepted
    confirmation then counts as the countersigned copy for the workflow's gate."""
    require_manager(by)
    note = (note or "").strip()
    if not note:
        raise TransitionError(
            _(
                "Say how the signer's authority was checked (e.g. the business licence names "
                "them as legal representative, or a power of attorney)."
            )
        )
    case = lock_case(acceptance.email.notice.case_id)
    acceptance = OnlineAcceptance.objects.select_for_update().get(pk=acceptance.pk)
    if acceptance.accepted_at is None:
        raise TransitionError(_("The confirmation has not been accepted online."))
    if acceptance.authority_confirmed_at is not None:
        raise TransitionError(_("The signer's authority is already confirmed."))
    if case.basis != Basis.MUTUAL or case.stage not in (
        Stage.ASSESSMENT,
        Stage.NEGOTIATION,
        Stage.NOTICE,
    ):
        raise TransitionError(
            _("The case is no longer waiting for a countersigned confirmation (it is %(stage)s).")
            % {"stage": case.get_stage_display()}
        )
    if case.countersigned_confirmation:
        raise TransitionError(
            _("A countersigned confirmation is already stored for this case; it is kept.")
        )
    acceptance.authority_confirmed_by = by
    acceptance.authority_confirmed_at = timezone.now()
    acceptance.authority_note = note
    acceptance.save(
        update_fields=["authority_confirmed_by", "authority_confirmed_at", "authority_note"]
    )
    with acceptance.pdf.open("rb") as stored:
        data = stored.read()
    case.countersigned_confirmation.save(
        f"{acceptance.email.notice.letter_number}-accepted.pdf", ContentFile(data), save=False
    )
    case.save(update_fields=["countersigned_confirmation", "updated_at"])
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.AUTHORITY_CONFIRMED,
        message=note,
        data={
            "acceptance": acceptance.pk,
            "confirmation_sha256": acceptance.sha256,
            "signer": acceptance.signer_name,
        },
    )
    case = case_recompute_end_date(case=case, by=by)
    return set_warnings(case, case_warnings(case))
