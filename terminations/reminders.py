"""Reminders: find what is due, and send each reminder once (recorded in `Reminder`).

Owners (or the contract's responsible staff member) get an e-mail per reminder in their own
language, as HTML and text; managers get a daily digest; a WeCom, DingTalk or Feishu group gets
a message when a webhook is configured. `send_reminders(today=…)` is safe to run repeatedly:
each reminder is claimed by its unique key before it goes out, and released if sending fails.
"""

from __future__ import annotations

import json
import logging
import urllib.request
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import roles
from partners.models import Contract
from terminations.dashboard import lapsing_cases, renewal_cutoffs
from terminations.models import (
    OPEN_STAGES,
    CaseEvent,
    Delivery,
    HandoverItem,
    Notice,
    Reminder,
    ReminderFailure,
    Stage,
    TerminationCase,
    UserPreference,
)
from terminations.services.recheck import cases_recheck_calendar, letters_state_earlier

logger = logging.getLogger(__name__)

RENEWAL_REMINDER_DAYS = 14
LAPSE_REMINDER_DAYS = 30
WEBHOOK_TIMEOUT = 5


@dataclass
class Due:
    key: str
    kind: str
    due_on: date
    recipient: object | None
    case: TerminationCase | None = None
    contract: Contract | None = None
    label: str = ""  # a letter number or handover item title (data, not translated)
    in_digest: bool = True  # False for what each manager is sent in person

    @property
    def path(self) -> str:
        if self.case is not None:
            return self.case.get_absolute_url()
        return self.contract.get_absolute_url() if self.contract is not None else "/"

    @property
    def url(self) -> str:
        return settings.SITE_URL.rstrip("/") + self.path

    @property
    def subject_party(self) -> str:
        if self.case is not None:
            return f"{self.case.reference} {self.case.partner}"
        return f"{self.contract.number} {self.contract.partner}" if self.contract else ""

    def describe(self) -> str:
        """One sentence in the active language."""
        params = {"party": self.subject_party, "date": self.due_on.isoformat(), "label": self.label}
        texts = {
            "arrival": _(
                "%(party)s: letter %(label)s was dispatched on %(date)s and its arrival is still not recorded."
            ),
            "end_tomorrow": _("%(party)s: the cooperation ends tomorrow, %(date)s."),
            "end_passed": _(
                "%(party)s: the end date %(date)s has passed and handover has not begun."
            ),
            "handover_due": _("%(party)s: handover item “%(label)s” is due today (%(date)s)."),
            "handover_overdue": _(
                "%(party)s: handover item “%(label)s” was due on %(date)s and is overdue."
            ),
            "renewal": _(
                "%(party)s: the last day for notice of non-renewal to arrive is %(date)s."
            ),
            "lapse": _("%(party)s: the right to terminate lapses on %(date)s."),
            "end_date_changed": _(
                "%(party)s: the holiday calendar changed and the end date moves from %(label)s to "
                "%(date)s. Check the handover dates and anything promised to the partner."
            ),
            "letter_earlier": _(
                "%(party)s: letter %(label)s states an earlier end date than the official "
                "calendar now gives (%(date)s). Decide whether to issue a corrected letter."
            ),
        }
        return texts[self.kind] % params


def collect_due(*, today: date) -> list[Due]:
    """Everything due today, soonest first. A fixed number of queries."""
    items: list[Due] = []
    arrival_cutoff = today - timedelta(days=settings.ARRIVAL_REMINDER_DAYS)
    deliveries = Delivery.objects.filter(
        arrived_on__isnull=True,
        refused=False,
        dispatched_on__lte=arrival_cutoff,
        notice__status=Notice.Status.ISSUED,
        notice__case__stage__in=OPEN_STAGES,
    ).select_related("notice__case__partner", "notice__case__owner")
    for delivery in deliveries:
        case = delivery.notice.case
        items.append(
            Due(
                f"arrival:{delivery.pk}",
                "arrival",
                delivery.dispatched_on,
                case.owner,
                case,
                label=delivery.notice.number_or_draft,
            )
        )
    tomorrow = today + timedelta(days=1)
    ending = (
        TerminationCase.objects.filter(stage__in=OPEN_STAGES, end_date__isnull=False)
        .filter(
            Q(end_date=tomorrow)
            | Q(end_date__lt=today, stage__in=(Stage.ASSESSMENT, Stage.NEGOTIATION, Stage.NOTICE))
        )
        .select_related("partner", "owner")
    )
    for case in ending:
        kind = "end_tomorrow" if case.end_date == tomorrow else "end_passed"
        items.append(
            Due(f"{kind}:{case.pk}:{case.end_date}", kind, case.end_date, case.owner, case)
        )
    handover = HandoverItem.objects.filter(
        status=HandoverItem.Status.OPEN, due_date__lte=today, case__stage__in=OPEN_STAGES
    ).select_related("owner", "case__partner", "case__owner")
    for item in handover:
        kind = "handover_due" if item.due_date == today else "handover_overdue"
        items.append(
            Due(
                f"{kind}:{item.pk}:{item.due_date}",
                kind,
                item.due_date,
                item.owner or item.case.owner,
                item.case,
                label=item.title,
            )
        )
    cutoffs = renewal_cutoffs(
        Contract.objects.all(), today=today, until=today + timedelta(days=RENEWAL_REMINDER_DAYS)
    )
    open_owner = {
        case.contract_id: case
        for case in TerminationCase.objects.filter(
            stage__in=OPEN_STAGES, contract_id__in=[c.contract.pk for c in cutoffs]
        ).select_related("owner", "partner")
    }
    for row in cutoffs:
        case = open_owner.get(row.contract.pk)
        recipient = (case.owner if case else None) or row.contract.responsible
        items.append(
            Due(
                f"renewal:{row.contract.pk}:{row.cutoff}",
                "renewal",
                row.cutoff,
                recipient,
                case,
                row.contract,
            )
        )
    open_cases = TerminationCase.objects.filter(stage__in=OPEN_STAGES)
    lapsing = lapsing_cases(
        open_cases, today=today, until=today + timedelta(days=LAPSE_REMINDER_DAYS)
    )
    by_pk = open_cases.select_related("partner", "owner").in_bulk([pk for pk, _ in lapsing])
    for pk, lapses in lapsing:
        case = by_pk[pk]
        items.append(Due(f"lapse:{pk}:{lapses}", "lapse", lapses, case.owner, case))
    items.extend(_calendar_due(today=today))
    items.sort(key=lambda d: (d.due_on, d.key))
    return items


# Reminders that follow a re-check of the end dates against the holiday calendar.
CALENDAR_KINDS = ("end_date_changed", "letter_earlier")
CALENDAR_CHANGE_NOTICE_DAYS = 14


def _calendar_due(*, today: date) -> list[Due]:
    """The owner of a case whose end date a calendar re-check moved (in the last two weeks);
    every manager, in person, for a case whose issued letter states an earlier date."""
    items: list[Due] = []
    since = timezone.now() - timedelta(days=CALENDAR_CHANGE_NOTICE_DAYS)
    moved = CaseEvent.objects.filter(
        kind=CaseEvent.Kind.END_DATE_RECHECKED, created_at__gte=since, case__stage__in=OPEN_STAGES
    ).select_related("case__partner", "case__owner")
    for event in moved:
        previous, new = event.data.get("previous"), event.data.get("end")
        if not previous or not new or previous == new:
            continue
        items.append(
            Due(
                f"end_date_changed:{event.pk}",
                "end_date_changed",
                date.fromisoformat(new),
                event.case.owner,
                event.case,
                label=previous,
            )
        )
    earlier = list(
        letters_state_earlier(TerminationCase.objects.all())
        .select_related("partner", "owner")
        .prefetch_related("notices")
    )
    if earlier:
        User = get_user_model()
        managers = list(
            User.objects.filter(is_active=True)
            .filter(Q(groups__name=roles.MANAGERS) | Q(is_superuser=True))
            .distinct()
        )
        for case in earlier:
            numbers = ", ".join(
                n.number_or_draft
                for n in case.notices.all()
                if n.status == Notice.Status.ISSUED
                and n.stated_end_date
                and n.stated_end_date < case.end_date
            )
            for manager in managers:
                items.append(
                    Due(
                        f"letter_earlier:{case.pk}:{case.end_date}:{manager.pk}",
                        "letter_earlier",
                        case.end_date,
                        manager,
                        case,
                        label=numbers,
                        in_digest=False,
                    )
                )
    return items


def _languages(users) -> dict[int, str]:
    prefs = dict(
        UserPreference.objects.filter(user__in=[u.pk for u in users]).values_list(
            "user_id", "language"
        )
    )
    return {u.pk: prefs.get(u.pk, settings.LANGUAGE_CODE) for u in users}


def _given_up(key: str) -> bool:
    return ReminderFailure.objects.filter(
        key=key, count__gte=ReminderFailure.GIVE_UP_AFTER
    ).exists()


def _failed(reminder: Reminder, error: BaseException) -> None:
    """Release the claim (so the reminder is retried) and count the failure: the same error
    `GIVE_UP_AFTER` times in a row stops the retries and shows on the dashboard."""
    reminder.delete()
    text = f"{type(error).__name__}: {error}"[:500]
    failure, created = ReminderFailure.objects.get_or_create(
        key=reminder.key,
        defaults={
            "kind": reminder.kind,
            "channel": reminder.channel,
            "recipient": reminder.recipient,
            "case": reminder.case,
            "error": text,
        },
    )
    if created:
        return
    failure.count = failure.count + 1 if failure.error == text else 1
    failure.error = text
    failure.last_failed_at = timezone.now()
    failure.save(update_fields=["count", "error", "last_failed_at"])


def _succeeded(key: str) -> None:
    ReminderFailure.objects.filter(key=key).delete()


def _claim(key: str, **fields) -> Reminder | None:
    """Record the reminder before sending; None when it already went out, or when it failed the
    same way too often to be tried again."""
    if _given_up(key):
        return None
    try:
        with transaction.atomic():
            return Reminder.objects.create(key=key, **fields)
    except IntegrityError:
        return None


def _send_mail(*, to: str, language: str, subject: str, template: str, context: dict) -> None:
    with translation.override(language):
        context = {**context, "site_url": settings.SITE_URL.rstrip("/")}
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
        # A subject is one header line: a line break typed into a partner's name would make
        # every send fail (BadHeaderError) and the reminder be retried forever.
        subject = " ".join(str(subject).split())
        message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
        message.attach_alternative(html, "text/html")
        message.send()


def _send_owner_reminders(items: list[Due], today: date) -> int:
    recipients = [d.recipient for d in items if d.recipient is not None and d.recipient.email]
    languages = _languages({u.pk: u for u in recipients}.values())
    sent = 0
    for due in items:
        user = due.recipient
        if user is None or not user.email or not user.is_active:
            continue
        language = languages[user.pk]
        reminder = _claim(
            f"email:{due.key}",
            kind=due.kind,
            channel=Reminder.Channel.EMAIL,
            recipient=user,
            case=due.case,
            contract=due.contract,
            due_on=due.due_on,
            language=language,
        )
        if reminder is None:
            continue
        try:
            with translation.override(language):
                sentence = due.describe()
                subject = _("Reminder: %(what)s") % {"what": due.subject_party}
            _send_mail(
                to=user.email,
                language=language,
                subject=subject,
                template="reminder",
                context={"due": due, "sentence": sentence, "user": user},
            )
        except Exception as error:
            logger.exception("Reminder %s could not be sent; it will be retried.", due.key)
            _failed(reminder, error)
            continue
        _succeeded(reminder.key)
        if due.case is not None:
            CaseEvent.objects.create(
                case=due.case,
                kind=CaseEvent.Kind.REMINDER_SENT,
                message=f"{due.kind} → {user.get_username()}",
                data={"key": due.key, "due_on": due.due_on.isoformat()},
            )
        sent += 1
    return sent


def _send_digests(items: list[Due], today: date) -> int:
    items = [d for d in items if d.in_digest]
    if not items:
        return 0
    User = get_user_model()
    managers = list(
        User.objects.filter(is_active=True)
        .filter(Q(groups__name=roles.MANAGERS) | Q(is_superuser=True))
        .exclude(email="")
        .distinct()
    )
    languages = _languages(managers)
    sent = 0
    for manager in managers:
        language = languages[manager.pk]
        reminder = _claim(
            f"digest:{manager.pk}:{today}",
            kind="digest",
            channel=Reminder.Channel.DIGEST,
            recipient=manager,
            due_on=today,
            language=language,
        )
        if reminder is None:
            continue
        try:
            with translation.override(language):
                lines = [(d, d.describe()) for d in items]
                subject = _("Termination desk: %(count)s reminders for %(date)s") % {
                    "count": len(items),
                    "date": today.isoformat(),
                }
            _send_mail(
                to=manager.email,
                language=language,
                subject=subject,
                template="digest",
                context={
                    "lines": lines,
                    "today": today,
                    "user": manager,
                    "dashboard_url": settings.SITE_URL.rstrip("/") + reverse("dashboard"),
                },
            )
        except Exception as error:
            logger.exception("Digest for %s could not be sent; it will be retried.", manager.pk)
            _failed(reminder, error)
            continue
        _succeeded(reminder.key)
        sent += 1
    return sent


def webhook_body(kind: str, text: str) -> dict:
    """The JSON each group robot expects for a plain text message."""
    if kind == "feishu":
        return {"msg_type": "text", "content": {"text": text}}
    # WeCom and DingTalk robots take the same text shape.
    return {"msgtype": "text", "text": {"content": text}}


def post_webhook(url: str, body: dict) -> None:
    request = urllib.request.Request(
        url,
        data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT) as response:
        response.read()


def _send_webhook(items: list[Due]) -> int:
    url = settings.REMINDER_WEBHOOK_URL
    if not url or not items:
        return 0
    claimed = []
    for due in items:
        reminder = _claim(
            f"webhook:{due.key}",
            kind=due.kind,
            channel=Reminder.Channel.WEBHOOK,
            case=due.case,
            contract=due.contract,
            due_on=due.due_on,
            language=settings.LANGUAGE_CODE,
        )
        if reminder is not None:
            claimed.append((due, reminder))
    if not claimed:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        header = _("Termination desk reminders")
        text = "\n".join([header, *(f"- {d.describe()} {d.url}" for d, _r in claimed)])
    try:
        post_webhook(url, webhook_body(settings.REMINDER_WEBHOOK_KIND, text))
    except Exception as error:
        logger.exception("The reminder webhook failed; the reminders will be retried.")
        for _due, reminder in claimed:
            _failed(reminder, error)
        return 0
    for _due, reminder in claimed:
        _succeeded(reminder.key)
    return len(claimed)


def send_calendar_reminders(*, today: date) -> int:
    """Right after a calendar re-check: the owners of moved cases and the managers of letters
    stating an earlier date hear of it now, not at the next daily run."""
    items = [d for d in collect_due(today=today) if d.kind in CALENDAR_KINDS]
    return _send_owner_reminders(items, today)


def send_reminders(*, today: date) -> dict[str, int]:
    """Re-check the open cases' end dates against the holiday calendar (the calendar package or
    the confirmed-through setting may have changed since yesterday), then send every reminder due
    on `today` that has not gone out yet. Returns counts per channel."""
    from terminations.services.emails import letter_email_sweep_stale, partner_page_erase_expired

    recheck = cases_recheck_calendar(trigger="daily")
    items = collect_due(today=today)
    erased = partner_page_erase_expired()
    stale = letter_email_sweep_stale()
    return {
        "letter_emails_stale": stale,
        "partner_page_records_erased": erased,
        "rechecked": recheck.checked,
        "moved": len(recheck.moved),
        "due": len(items),
        "email": _send_owner_reminders(items, today),
        "digest": _send_digests(items, today),
        "webhook": _send_webhook(items),
    }
