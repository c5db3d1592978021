"""The partner's page, reached without an account from the personal link in a letter's e-mail.

It shows the letter (the same PDF, its number and SHA-256), records that it was opened, and
acknowledges receipt only on the POST of its button: mail scanners open links by GET, so a view
is recorded but never taken as a person's receipt. For a confirmation of mutual termination it
also offers online acceptance with a one-time code. It shows nothing else of the shop. Requests
are rate-limited per address and per link in the database cache, which every process shares.

The page is addressed to the partner in the letter's languages, like the letter itself: its
words are in the templates (templates/partner/), Chinese first, English for an English or
bilingual letter.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core.downloads import stored_file_response
from core.net import client_ip
from terminations.models import LetterEmail, PartnerPageRecord
from terminations.services import acceptance as acceptance_services
from terminations.services import emails as email_services
from terminations.services._base import TransitionError


def _client(request: HttpRequest) -> tuple[str | None, str]:
    return client_ip(request), request.META.get("HTTP_USER_AGENT", "")


def _over_limit(request: HttpRequest, token: str) -> bool:
    cache = caches["shared"]
    window = settings.PARTNER_PAGE_RATE_WINDOW_SECONDS
    ip, _agent = _client(request)
    keys = [
        f"partner-ip:{ip}",
        f"partner-link:{email_services.token_hash(token[:100])[:32]}",
    ]
    over = False
    for key in keys:
        if cache.add(key, 1, window):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, window)
                count = 1
        over = over or count > settings.PARTNER_PAGE_RATE_LIMIT
    return over


def _page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    response = render(request, template, context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    # Not "no-referrer": the browser would then send "Origin: null" with the page's forms and
    # CSRF protection would refuse them. Same-origin keeps the token from other sites.
    response["Referrer-Policy"] = "same-origin"
    return response


def _resolve(request: HttpRequest, token: str) -> tuple[LetterEmail | None, HttpResponse | None]:
    """The link's e-mail, or the page to answer instead (too many requests, unknown, expired)."""
    if _over_limit(request, token):
        response = _page(request, "partner/refused.html", {"reason": "rate"}, status=429)
        response["Retry-After"] = str(settings.PARTNER_PAGE_RATE_WINDOW_SECONDS)
        return None, response
    email = email_services.partner_link(token)
    if email is None:
        return None, _page(request, "partner/refused.html", {"reason": "unknown"}, status=404)
    if email_services.link_expired(email):
        return None, _page(
            request, "partner/refused.html", {"reason": "expired", "email": email}, status=410
        )
    return email, None


def _languages(email: LetterEmail) -> dict[str, bool]:
    language = email.notice.language
    return {"zh": language in ("zh", "bilingual"), "en": language in ("en", "bilingual")}


def _letter_page(
    request: HttpRequest, email: LetterEmail, token: str, *, problem: str = "", status: int = 200
) -> HttpResponse:
    accepted = email.acceptances.filter(accepted_at__isnull=False).first()
    return _page(
        request,
        "partner/letter.html",
        {
            "email": email,
            "notice": email.notice,
            "s": email.notice.snapshot or {},
            "token": token,
            "retention_days": settings.PARTNER_PAGE_RETENTION_DAYS,
            "can_accept": acceptance_services.can_accept_online(email),
            "pending": acceptance_services.acceptance_open(email),
            "accepted": accepted,
            "problem": problem,
            "code_minutes": settings.ACCEPTANCE_CODE_MINUTES,
            "posted": request.POST if request.method == "POST" else {},
            **_languages(email),
        },
        status=status,
    )


@login_not_required
@require_GET
def partner_letter(request: HttpRequest, token: str) -> HttpResponse:
    email, refused = _resolve(request, token)
    if refused is not None:
        return refused
    ip, agent = _client(request)
    email_services.partner_page_record(
        email=email, kind=PartnerPageRecord.Kind.VIEWED, ip_address=ip, user_agent=agent
    )
    return _letter_page(request, email, token)


@login_not_required
@require_GET
def partner_letter_pdf(request: HttpRequest, token: str) -> HttpResponse:
    email, refused = _resolve(request, token)
    if refused is not None:
        return refused
    ip, agent = _client(request)
    email_services.partner_page_record(
        email=email, kind=PartnerPageRecord.Kind.DOWNLOADED, ip_address=ip, user_agent=agent
    )
    return stored_file_response(email.notice.pdf, filename=f"{email.notice.letter_number}.pdf")


@login_not_required
@require_GET
def partner_accepted_pdf(request: HttpRequest, token: str) -> HttpResponse:
    email, refused = _resolve(request, token)
    if refused is not None:
        return refused
    accepted = email.acceptances.filter(accepted_at__isnull=False).first()
    if accepted is None:
        return _page(request, "partner/refused.html", {"reason": "unknown"}, status=404)
    return stored_file_response(accepted.pdf, filename=f"{email.notice.letter_number}-accepted.pdf")


def _back(token: str, anchor: str = "") -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("partner_letter", args=[token]) + anchor)


@login_not_required
@require_POST
def partner_acknowledge(request: HttpRequest, token: str) -> HttpResponse:
    email, refused = _resolve(request, token)
    if refused is not None:
        return refused
    ip, agent = _client(request)
    try:
        email_services.partner_acknowledge(email=email, ip_address=ip, user_agent=agent)
    except TransitionError:
        return _page(request, "partner/refused.html", {"reason": "expired"}, status=410)
    return _back(token, "#acknowledged")


@login_not_required
@require_POST
def partner_accept_code(request: HttpRequest, token: str) -> HttpResponse:
    email, refused = _resolve(request, token)
    if refused is not None:
        return refused
    ip, agent = _client(request)
    try:
        acceptance_services.acceptance_request_code(
            email=email,
            signer_name=request.POST.get("signer_name", "")[:100],
            signer_position=request.POST.get("signer_position", "")[:100],
            signer_company=request.POST.get("signer_company", "")[:200],
            agreed=request.POST.get("agreed") == "on",
            ip_address=ip,
            user_agent=agent,
        )
    except acceptance_services.AcceptanceRefused as error:
        return _letter_page(request, email, token, problem=error.code, status=400)
    return _back(token, "#accept")


@login_not_required
@require_POST
def partner_accept(request: HttpRequest, token: str) -> HttpResponse:
    email, refused = _resolve(request, token)
    if refused is not None:
        return refused
    ip, agent = _client(request)
    try:
        acceptance_services.acceptance_accept(
            email=email, code=request.POST.get("code", "")[:20], ip_address=ip, user_agent=agent
        )
    except acceptance_services.AcceptanceRefused as error:
        return _letter_page(request, email, token, problem=error.code, status=400)
    return _back(token, "#accepted")
