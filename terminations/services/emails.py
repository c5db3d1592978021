"""Letters sent from the desk by e-mail: who may receive one as a notice, the message kept as
evidence, the sending task's outcomes, and the partner's acknowledgment.

The dispatch record is a `LetterEmail`: the exact message (.eml bytes and SHA-256), its
Message-ID and the mail server's replies. The relay's acceptance is not arrival: a notice e-mail
becomes a `Delivery` dispatched on the day the server accepted it, and its arrival is what staff
confirm from the partner's acknowledgment or other evidence (Civil Code art. 137 ¶2, 565).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import secrets
import smtplib
from dataclasses import dataclass, field
from datetime import timedelta
from email.utils import make_msgid

from django.conf import settings
from django.core import mail
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.mail import PHASE_DATA, PHASE_DONE, message_bytes
from core.models import ShopProfile
from terminations.models import (
    FINAL_STAGES,
    CaseEvent,
    Delivery,
    LetterEmail,
    Notice,
    PartnerPageRecord,
    TerminationCase,
)
from terminations.services._base import (
    TransitionError,
    lock_case,
    record_event,
    require_editor,
    require_manager,
)
from terminations.services.deliveries import delivery_record_arrival, delivery_record_dispatch
from terminations.services.handover import require_before_letter_items

__all__ = [
    "EmailPlan",
    "email_plan",
    "letter_email_confirm_arrival",
    "letter_email_deliver",
    "letter_email_resolve",
    "letter_email_send",
    "letter_email_sweep_stale",
    "partner_acknowledge",
    "partner_link",
    "partner_page_erase_expired",
    "partner_page_record",
]

logger = logging.getLogger(__name__)

# Letters that may be e-mailed: issued and not yet superseded.
_SENDABLE = (Notice.Status.ISSUED,)


@dataclass(frozen=True)
class Recipient:
    purpose: str
    email: str
    name: str
    clause: str = ""
    source: str = ""  # where the address comes from, for the form


@dataclass(frozen=True)
class EmailPlan:
    """Where a letter may go by e-mail: the notice address the contract designates (or why
    there is none), the party copied, and the addresses a courtesy copy may go to."""

    notice: Recipient | None
    no_notice_reason: str
    copies: list[Recipient] = field(default_factory=list)
    courtesy: list[Recipient] = field(default_factory=list)

    def find(self, purpose: str, email: str) -> Recipient | None:
        candidates = {
            LetterEmail.Purpose.NOTICE: [self.notice] if self.notice else [],
            LetterEmail.Purpose.COPY: self.copies,
            LetterEmail.Purpose.COURTESY: self.courtesy,
        }.get(purpose, [])
        email = (email or "").strip().lower()
        return next((r for r in candidates if r.email.lower() == email), None)


def _display_name(party) -> str:
    if party.kind == "creator" and party.entity != "studio":
        return party.real_name or party.name
    return party.company_name or party.real_name or party.name


def email_plan(notice: Notice) -> EmailPlan:
    """The addresses the letter may be e-mailed to (DOMAIN.md §1): an e-mail counts as a notice
    only where the contract names it for notices, with the clause recorded, and does not exclude
    e-mail; the partner's general addresses serve for courtesy copies."""
    case = notice.case
    partner = case.partner
    contract = case.contract if case.contract_id else None
    addressee = partner.letter_addressee
    notice_recipient = None
    if contract is None:
        reason = _(
            "No contract is recorded, so no e-mail address is designated for notices: send the "
            "letter by courier, or send a courtesy copy."
        )
    elif contract.email_notices_excluded:
        reason = _("Contract %(number)s excludes notices by e-mail.") % {"number": contract.number}
    elif not contract.notice_email:
        reason = _(
            "Contract %(number)s names no e-mail address for notices (the partner's own "
            "address is not designated by the contract)."
        ) % {"number": contract.number}
    elif not contract.clause_notice_channels:
        reason = _(
            "Record the clause of contract %(number)s that names %(email)s for notices first "
            "(on the contract): without it the address is not shown to be designated."
        ) % {"number": contract.number, "email": contract.notice_email}
    else:
        reason = ""
        notice_recipient = Recipient(
            purpose=LetterEmail.Purpose.NOTICE,
            email=contract.notice_email,
            name=_display_name(addressee),
            clause=contract.clause_notice_channels,
            source=_("designated by clause %(clause)s of contract %(number)s")
            % {"clause": contract.clause_notice_channels, "number": contract.number},
        )
    copies = []
    other = partner.letter_copy_to
    if other is not None and other.notice_email:
        copies.append(
            Recipient(
                purpose=LetterEmail.Purpose.COPY,
                email=other.notice_email,
                name=_display_name(other),
                source=_("the party copied (抄送)"),
            )
        )
    courtesy = []
    seen = {r.email.lower() for r in [notice_recipient, *copies] if r}
    for party in (addressee, partner):
        for address, label in (
            (party.notice_email, _("the partner's e-mail for notices")),
            (getattr(party, "contact_email", ""), _("the partner's contact e-mail")),
        ):
            if address and address.lower() not in seen:
                seen.add(address.lower())
                courtesy.append(
                    Recipient(
                        purpose=LetterEmail.Purpose.COURTESY,
                        email=address,
                        name=_display_name(party),
                        source=label,
                    )
                )
    if (
        contract is not None
        and contract.notice_email
        and notice_recipient is None
        and contract.notice_email.lower() not in seen
    ):
        courtesy.insert(
            0,
            Recipient(
                purpose=LetterEmail.Purpose.COURTESY,
                email=contract.notice_email,
                name=_display_name(addressee),
                source=_("the contract's e-mail (not designated for notices)"),
            ),
        )
    return EmailPlan(notice_recipient, reason, copies, courtesy)


# --- sending ------------------------------------------------------------------------------


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def partner_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("partner_letter", args=[token])


def _sender_address(profile: ShopProfile | None) -> str:
    if profile is None or not profile.sender_email:
        raise TransitionError(
            _(
                "Set the sender address for letters sent by e-mail in the shop profile first "
                "(its domain needs SPF, DKIM and DMARC for the desk's mail server)."
            )
        )
    return profile.sender_email


def _compose(
    *, notice: Notice, recipient: Recipient, profile: ShopProfile, token: str
) -> tuple[mail.EmailMessage, str]:
    """The message: who sends what and why, in the letter's languages; the frozen PDF attached
    with its number and SHA-256; the personal link. Returns it with its Message-ID."""
    snapshot = notice.snapshot or {}
    domain = profile.sender_email.rsplit("@", 1)[-1]
    message_id = make_msgid(domain=domain)
    language = notice.language
    context = {
        "notice": notice,
        "s": snapshot,
        "recipient": recipient,
        "purpose": recipient.purpose,
        "profile": profile,
        "zh": language in ("zh", "bilingual"),
        "en": language in ("en", "bilingual"),
        "link": partner_url(token),
        "link_days": settings.PARTNER_LINK_DAYS,
        "kind_zh": KIND_TITLES_ZH.get(notice.kind, ""),
        "kind_en": KIND_TITLES_EN.get(notice.kind, ""),
        "contract_clause": recipient.clause,
        # A mutual confirmation sent as the notice may be accepted online from the link.
        "accept_online": notice.kind == Notice.Kind.MUTUAL
        and recipient.purpose == LetterEmail.Purpose.NOTICE,
    }
    body = render_to_string("emails/letter_email.txt", context)
    subject = render_to_string("emails/letter_email_subject.txt", context)
    subject = " ".join(subject.split())
    message = mail.EmailMessage(
        subject=subject,
        body=body,
        from_email=f"{profile.legal_name} <{profile.sender_email}>",
        to=[recipient.email],
        reply_to=[profile.contact_email] if profile.contact_email else [],
        headers={"Message-ID": message_id, "Auto-Submitted": "auto-generated"},
    )
    with notice.pdf.open("rb") as stored:
        message.attach(f"{notice.letter_number}.pdf", stored.read(), "application/pdf")
    return message, message_id


KIND_TITLES_ZH = {
    Notice.Kind.TERMINATION: "解除合同通知书",
    Notice.Kind.CURE: "催告及附条件解除通知",
    Notice.Kind.OPEN_ENDED: "终止合作通知函",
    Notice.Kind.MUTUAL: "解除协议确认函",
    Notice.Kind.WITHDRAWAL: "撤回通知",
}
KIND_TITLES_EN = {
    Notice.Kind.TERMINATION: "Notice of Termination",
    Notice.Kind.CURE: "Demand for Performance and Conditional Notice of Termination",
    Notice.Kind.OPEN_ENDED: "Notice Ending the Cooperation",
    Notice.Kind.MUTUAL: "Confirmation of Termination by Agreement",
    Notice.Kind.WITHDRAWAL: "Withdrawal of Notice",
}


def _enqueue(email_pk: int, *, run_after=None) -> None:
    from terminations.tasks import send_letter_email_task

    task = send_letter_email_task
    if run_after is not None:
        from django.tasks import task_backends

        if not task_backends[task.backend].supports_defer:
            return  # the immediate backend (tests): `letter_email_deliver` is called again
        task = task.using(run_after=run_after)
    task.enqueue(email_pk=email_pk)


@transaction.atomic
def letter_email_send(*, notice: Notice, by, purpose: str, email: str = "") -> LetterEmail:
    """A manager sends an issued letter by e-mail. The message is composed and stored now (the
    evidence does not depend on the worker); the sending task runs after the commit. A second
    request for the same letter, purpose and address while one is live is refused."""
    require_manager(by)
    case = lock_case(notice.case_id)
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    notice.case = case
    if case.stage in FINAL_STAGES:
        raise TransitionError(
            _("The case is %(stage)s: letters can no longer be sent.")
            % {"stage": case.get_stage_display()}
        )
    if notice.status not in _SENDABLE or not notice.pdf:
        raise TransitionError(
            _("Only an issued letter can be sent; %(number)s is %(status)s.")
            % {"number": notice.number_or_draft, "status": notice.get_status_display()}
        )
    if purpose not in LetterEmail.Purpose.values:
        raise TransitionError(_("Choose whom to send the letter to."))
    plan = email_plan(notice)
    if purpose == LetterEmail.Purpose.NOTICE:
        if plan.notice is None:
            raise TransitionError(plan.no_notice_reason)
        recipient = plan.notice
        require_before_letter_items(case=case, notice=notice)
    else:
        recipient = plan.find(purpose, email)
        if recipient is None:
            raise TransitionError(_("Choose one of the addresses offered."))
    live = LetterEmail.objects.filter(
        notice=notice, purpose=purpose, recipient__iexact=recipient.email
    ).exclude(status__in=[LetterEmail.Status.GAVE_UP, LetterEmail.Status.ABANDONED])
    if live.exists():
        raise TransitionError(
            _("Letter %(number)s has already been sent to %(email)s (see its e-mails below).")
            % {"number": notice.letter_number, "email": recipient.email}
        )
    return _create_email(notice=notice, recipient=recipient, by=by, case=case)


def _create_email(
    *, notice: Notice, recipient: Recipient, by, case: TerminationCase, resends=None
) -> LetterEmail:
    profile = ShopProfile.load()
    _sender_address(profile)
    token, digest = _new_token()
    message, message_id = _compose(notice=notice, recipient=recipient, profile=profile, token=token)
    data = message_bytes(message)
    row = LetterEmail(
        notice=notice,
        purpose=recipient.purpose,
        recipient=recipient.email,
        recipient_name=recipient.name[:200],
        designated_by=recipient.clause,
        message_id=message_id.strip("<>"),
        eml_sha256=hashlib.sha256(data).hexdigest(),
        token_hash=digest,
        expires_at=timezone.now() + timedelta(days=settings.PARTNER_LINK_DAYS),
        requested_by=by,
        resends=resends,
    )
    row.eml.save(f"{notice.letter_number}-{row.eml_sha256[:12]}.eml", ContentFile(data), save=False)
    row.save()
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.EMAIL_QUEUED,
        message=_("%(number)s to %(email)s (%(purpose)s)")
        % {
            "number": notice.letter_number,
            "email": row.recipient,
            "purpose": row.get_purpose_display(),
        },
        data={
            "notice": notice.pk,
            "email": row.pk,
            "purpose": row.purpose,
            "recipient": row.recipient,
            "message_id": row.message_id,
            "eml_sha256": row.eml_sha256,
        },
    )
    if settings.DEBUG:
        # Development only: the link is in the message, whose Chinese text is base64-encoded,
        # and only its hash is stored. Never logged in production (it opens the partner's page).
        logger.info("letter e-mail %s: the partner's link is %s", row.pk, partner_url(token))
    pk = row.pk
    transaction.on_commit(lambda: _enqueue(pk))
    return row


class _StoredMessage(mail.EmailMessage):
    """The stored .eml handed to a mail backend as it is: every backend sends these bytes."""

    def __init__(self, *, data: bytes, from_email: str, to: list[str]) -> None:
        super().__init__(from_email=from_email, to=to)
        self.wire_bytes = data

    def message(self, *, policy=None):
        import email

        return email.message_from_bytes(self.wire_bytes, policy=policy or email.policy.SMTP)


def _claim(pk: int) -> bool:
    """Mark the e-mail as being sent, once: a second task for it (a double enqueue, a retry
    that raced) finds nothing to claim and does nothing."""
    now = timezone.now()
    return bool(
        LetterEmail.objects.filter(pk=pk)
        .filter(
            Q(status=LetterEmail.Status.QUEUED)
            | Q(status=LetterEmail.Status.FAILED, next_attempt_at__lte=now)
        )
        .update(status=LetterEmail.Status.SENDING, attempts=F("attempts") + 1, claimed_at=now)
    )


def _stale_after() -> timedelta:
    """How long a send may go without an outcome before the worker is taken to have died: ten
    times the mail server's timeout (each SMTP command is bounded by it), at least 15 minutes."""
    timeout = settings.MAILERS.get("letters", {}).get("OPTIONS", {}).get("timeout") or 60
    return max(timedelta(minutes=15), timedelta(seconds=10 * float(timeout)))


def letter_email_sweep_stale(*, now=None) -> int:
    """E-mails left "sending" by a worker that died mid-send become "outcome unknown": the
    message may have been handed over before it died, so a manager decides, as after a timeout.
    Run before every send and daily with the reminders. Returns how many were found."""
    now = now or timezone.now()
    stale = LetterEmail.objects.filter(
        status=LetterEmail.Status.SENDING, claimed_at__lt=now - _stale_after()
    ).values_list("pk", flat=True)
    return sum(_mark_stale(pk) for pk in list(stale))


@transaction.atomic
def _mark_stale(pk: int) -> int:
    row = LetterEmail.objects.select_related("notice").get(pk=pk)
    case = lock_case(row.notice.case_id)
    started = timezone.localtime(row.claimed_at).strftime("%Y-%m-%d %H:%M")
    error = _("The sending started at %(at)s recorded no outcome: the worker stopped.") % {
        "at": started
    }
    # Only if still "sending" since that claim: another sweep, or the worker recording its
    # outcome late, leaves nothing to do.
    if not LetterEmail.objects.filter(
        pk=pk, status=LetterEmail.Status.SENDING, claimed_at=row.claimed_at
    ).update(status=LetterEmail.Status.UNKNOWN, next_attempt_at=None, last_error=error[:500]):
        return 0
    record_event(
        case=case,
        actor=None,
        kind=CaseEvent.Kind.EMAIL_UNKNOWN,
        message=_(
            "Sending %(number)s to %(email)s started at %(at)s and recorded no outcome (the "
            "worker stopped): it may or may not have been accepted. It is not sent again unless "
            "a manager decides so."
        )
        % {"number": row.notice.letter_number, "email": row.recipient, "at": started},
        data={"notice": row.notice_id, "email": pk, "attempt": row.attempts, "stale": True},
    )
    logger.warning("letter e-mail %s: left sending since %s, now unknown", pk, row.claimed_at)
    return 1


def _describe(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        parts = [
            f"{address}: {code} {text.decode('utf-8', 'replace') if isinstance(text, bytes) else text}"
            for address, (code, text) in error.recipients.items()
        ]
        return _("recipient refused: %(detail)s") % {"detail": "; ".join(parts)}
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error
        text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        return f"{error.smtp_code} {text}"
    return f"{type(error).__name__}: {error}"[:480]


def letter_email_deliver(email_pk: int) -> str:
    """Send one queued e-mail (the task's body). Returns the status it ends in."""
    letter_email_sweep_stale()
    if not _claim(email_pk):
        return "skipped"
    row = LetterEmail.objects.select_related("notice", "notice__case").get(pk=email_pk)
    with row.eml.open("rb") as stored:
        data = stored.read()
    profile = ShopProfile.load()
    message = _StoredMessage(
        data=data,
        from_email=(profile.sender_email if profile and profile.sender_email else "")
        or settings.DEFAULT_FROM_EMAIL,
        to=[row.recipient],
    )
    try:
        mail.mailers["letters"].send_messages([message])
    except Exception as error:  # every failure is recorded and shown
        phase = getattr(message, "smtp_phase", "")
        replies = getattr(message, "smtp_replies", [])
        definite = not (phase == PHASE_DATA and not isinstance(error, smtplib.SMTPDataError))
        return _record_failure(row, error=error, replies=replies, definite=definite)
    replies = getattr(message, "smtp_replies", [])
    if getattr(message, "smtp_phase", PHASE_DONE) != PHASE_DONE:
        return _record_failure(
            row, error=RuntimeError("incomplete"), replies=replies, definite=False
        )
    return _record_sent(row, replies=replies)


def _replies_text(replies: list[dict]) -> str:
    """The transaction as the server answered it, one command per line."""
    return "\n".join(f"{r['command']} {r['argument']} → {r['code']} {r['text']}" for r in replies)


@transaction.atomic
def _record_failure(row: LetterEmail, *, error: BaseException, replies, definite: bool) -> str:
    case = lock_case(row.notice.case_id)
    row = LetterEmail.objects.select_for_update().get(pk=row.pk)
    row.last_error = _describe(error)[:500]
    row.server_reply = _replies_text(replies)
    retries = settings.LETTER_EMAIL_RETRY_MINUTES
    if not definite:
        row.status = LetterEmail.Status.UNKNOWN
        row.next_attempt_at = None
        kind = CaseEvent.Kind.EMAIL_UNKNOWN
        message = _(
            "The mail server stopped answering after the message was handed over: it may or may "
            "not have been accepted. It is not sent again unless a manager decides so."
        )
    elif row.attempts <= len(retries):
        row.status = LetterEmail.Status.FAILED
        row.next_attempt_at = timezone.now() + timedelta(minutes=retries[row.attempts - 1])
        kind = CaseEvent.Kind.EMAIL_FAILED
        message = _("Attempt %(n)s failed (%(error)s); next attempt at %(at)s.") % {
            "n": row.attempts,
            "error": row.last_error,
            "at": timezone.localtime(row.next_attempt_at).strftime("%Y-%m-%d %H:%M"),
        }
    else:
        row.status = LetterEmail.Status.GAVE_UP
        row.next_attempt_at = None
        kind = CaseEvent.Kind.EMAIL_FAILED
        message = _("Attempt %(n)s failed (%(error)s); no more attempts.") % {
            "n": row.attempts,
            "error": row.last_error,
        }
    row.save(update_fields=["status", "next_attempt_at", "last_error", "server_reply"])
    record_event(
        case=case,
        actor=None,
        kind=kind,
        message=message,
        data={"notice": row.notice_id, "email": row.pk, "attempt": row.attempts},
    )
    logger.warning("letter e-mail %s: %s (%s)", row.pk, row.status, row.last_error)
    if row.status == LetterEmail.Status.FAILED:
        pk, when = row.pk, row.next_attempt_at
        transaction.on_commit(lambda: _enqueue(pk, run_after=when))
    return row.status


@transaction.atomic
def _record_sent(row: LetterEmail, *, replies) -> str:
    case = lock_case(row.notice.case_id)
    row = LetterEmail.objects.select_for_update().select_related("notice").get(pk=row.pk)
    row.status = LetterEmail.Status.SENT
    row.sent_at = timezone.now()
    row.server_reply = _replies_text(replies)
    row.last_error = ""
    row.next_attempt_at = None
    row.eml_timestamp = _timestamp(row.eml_sha256)
    fields = ["status", "sent_at", "server_reply", "last_error", "next_attempt_at", "eml_timestamp"]
    if row.is_notice and case.stage not in FINAL_STAGES and row.notice.status in _SENDABLE:
        row.delivery = delivery_record_dispatch(
            notice=row.notice,
            by=row.requested_by,
            method=Delivery.Method.EMAIL,
            dispatched_on=timezone.localdate(row.sent_at),
            reference=f"<{row.message_id}>",
            address=row.recipient,
            system=True,
        )
        fields.append("delivery")
    row.save(update_fields=fields)
    record_event(
        case=case,
        actor=None,
        kind=CaseEvent.Kind.EMAIL_SENT,
        message=_("%(number)s accepted by the mail server for %(email)s.")
        % {"number": row.notice.letter_number, "email": row.recipient},
        data={
            "notice": row.notice_id,
            "email": row.pk,
            "message_id": row.message_id,
            "eml_sha256": row.eml_sha256,
            "timestamped": bool(row.eml_timestamp),
        },
    )
    return row.status


def _timestamp(hexdigest: str) -> str:
    """An RFC 3161 timestamp of the message's SHA-256 where a server is set; a failure is logged,
    not fatal: the message has already gone."""
    try:
        from terminations.letters.signing import SigningError, timestamp_sha256
    except ImportError:
        return ""
    try:
        token = timestamp_sha256(hexdigest)
    except SigningError as error:
        logger.warning("timestamping an e-mail failed: %s", error)
        return ""
    return base64.b64encode(token).decode("ascii") if token else ""


@transaction.atomic
def letter_email_resolve(*, email: LetterEmail, by, decision: str) -> LetterEmail:
    """A manager decides about an e-mail whose outcome is unknown or that was given up on:
    "resend" sends a new message (new Message-ID and link; the first is kept as abandoned);
    "abandon" sends nothing more."""
    require_manager(by)
    case = lock_case(email.notice.case_id)
    email = LetterEmail.objects.select_for_update().select_related("notice").get(pk=email.pk)
    email.notice.case = case
    if email.status not in (LetterEmail.Status.UNKNOWN, LetterEmail.Status.GAVE_UP):
        raise TransitionError(
            _("Only an e-mail whose outcome is unknown or that failed for good can be decided.")
        )
    if decision not in ("resend", "abandon"):
        raise TransitionError(_("Choose: send it again, or do not send it again."))
    if case.stage in FINAL_STAGES:
        raise TransitionError(
            _("The case is %(stage)s: letters can no longer be sent.")
            % {"stage": case.get_stage_display()}
        )
    previous = email.get_status_display()
    email.status = LetterEmail.Status.ABANDONED
    email.save(update_fields=["status"])
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.EMAIL_RESOLVED,
        message=_("%(email)s (%(previous)s): %(decision)s")
        % {
            "email": email.recipient,
            "previous": previous,
            "decision": _("sent again") if decision == "resend" else _("not sent again"),
        },
        data={"notice": email.notice_id, "email": email.pk, "decision": decision},
    )
    if decision == "abandon":
        return email
    if email.notice.status not in _SENDABLE:
        raise TransitionError(_("The letter is no longer the current version: send the new one."))
    plan = email_plan(email.notice)
    recipient = plan.find(email.purpose, email.recipient)
    if recipient is None:
        raise TransitionError(
            _("%(email)s is no longer an address this letter may go to.")
            % {"email": email.recipient}
        )
    return _create_email(notice=email.notice, recipient=recipient, by=by, case=case, resends=email)


# --- the partner's page ---------------------------------------------------------------------


def partner_link(token: str) -> LetterEmail | None:
    """The e-mail a link's token belongs to, or None (the token itself is never stored)."""
    if not token or len(token) > 100:
        return None
    return (
        LetterEmail.objects.select_related("notice", "notice__case")
        .filter(token_hash=token_hash(token))
        .first()
    )


def link_expired(email: LetterEmail) -> bool:
    return timezone.now() >= email.expires_at


def partner_page_record(
    *, email: LetterEmail, kind: str, ip_address: str | None, user_agent: str
) -> PartnerPageRecord:
    return PartnerPageRecord.objects.create(
        email=email, kind=kind, ip_address=ip_address or None, user_agent=(user_agent or "")[:300]
    )


@transaction.atomic
def partner_acknowledge(
    *, email: LetterEmail, ip_address: str | None, user_agent: str
) -> LetterEmail:
    """The partner pressed "Acknowledge receipt" (a POST: a mail scanner's GET never counts).
    Shown on the case as arrival evidence; staff confirm the arrival date."""
    case = lock_case(email.notice.case_id)
    email = LetterEmail.objects.select_for_update().select_related("notice").get(pk=email.pk)
    if link_expired(email):
        raise TransitionError("expired")
    if email.acknowledged_at:
        return email
    email.acknowledged_at = timezone.now()
    email.save(update_fields=["acknowledged_at"])
    record = partner_page_record(
        email=email,
        kind=PartnerPageRecord.Kind.ACKNOWLEDGED,
        ip_address=ip_address,
        user_agent=user_agent,
    )
    record_event(
        case=case,
        actor=None,
        kind=CaseEvent.Kind.ACKNOWLEDGED,
        message=_("%(number)s: receipt acknowledged from the link sent to %(email)s.")
        % {"number": email.notice.letter_number, "email": email.recipient},
        data={"notice": email.notice_id, "email": email.pk, "record": record.pk},
    )
    return email


def letter_email_confirm_arrival(*, email: LetterEmail, by) -> Delivery:
    """Staff take the partner's acknowledgment as proof that the notice arrived no later than
    that day (the safe, later date); the end date follows as for any arrival."""
    require_editor(by)
    email = LetterEmail.objects.select_related("delivery", "notice").get(pk=email.pk)
    if email.delivery is None:
        raise TransitionError(_("This e-mail was not sent as a notice: it proves no arrival."))
    if email.acknowledged_at is None:
        raise TransitionError(_("The partner has not acknowledged receipt of this e-mail."))
    return delivery_record_arrival(
        delivery=email.delivery,
        by=by,
        arrived_on=timezone.localdate(email.acknowledged_at),
        source={"acknowledged_email": email.pk},
    )


def partner_page_erase_expired(*, now=None) -> int:
    """Erase the IP address and browser of partner-page records older than the retention
    period (the time and what happened stay). Run daily with the reminders."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.PARTNER_PAGE_RETENTION_DAYS)
    return PartnerPageRecord.objects.filter(at__lt=cutoff, erased=False).update(
        ip_address=None, user_agent="", erased=True
    )
