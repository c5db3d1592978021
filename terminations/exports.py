"""Exports: the filtered case list as CSV (UTF-8 with BOM, so Excel keeps the Chinese) and XLSX,
and one case's evidence bundle for a lawyer (a ZIP with an index, the timeline as PDF, the
letters, delivery evidence, the e-mails as sent with their records and timestamps, the
confirmations accepted online, and attachments)."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import PurePosixPath

from django.http import HttpResponse, StreamingHttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.downloads import as_download, bytes_download
from terminations.models import TerminationCase

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_queryset(*, user, filters: Mapping):
    """The cases the case list shows for the same querystring (without paging)."""
    from terminations.selectors import case_list_queryset

    return case_list_queryset(user=user, filters=filters)


def _header() -> list[str]:
    return [
        _("reference"),
        _("partner"),
        _("partner kind"),
        _("contract number"),
        _("stage"),
        _("basis"),
        _("reason"),
        _("owner"),
        _("opened at"),
        _("end date"),
        _("rule"),
    ]


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    """Text a person typed, made inert for a spreadsheet: a leading =, +, -, @, tab or carriage
    return would make Excel (and openpyxl) read the cell as a formula, so it gets a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _rows(cases) -> Iterator[list]:
    queryset = cases.select_related("partner", "contract", "owner").order_by(
        *(cases.query.order_by or ["-opened_at", "-pk"])
    )
    for case in queryset.iterator(chunk_size=2000):
        yield [
            _cell(value)
            for value in (
                case.reference,
                case.partner.name,
                case.partner.get_kind_display(),
                case.contract.number if case.contract_id else "",
                case.get_stage_display(),
                case.get_basis_display() if case.basis else "",
                case.get_reason_category_display(),
                (case.owner.get_full_name() or case.owner.get_username()) if case.owner_id else "",
                timezone.localtime(case.opened_at).strftime("%Y-%m-%d %H:%M"),
                case.end_date.isoformat() if case.end_date else "",
                case.end_date_rule,
            )
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _filename(ext: str) -> str:
    return f"cases-{timezone.localdate().isoformat()}.{ext}"


def cases_csv_response(cases) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines() -> Iterable[str]:
        yield "\ufeff"
        yield writer.writerow(_header())
        for row in _rows(cases):
            yield writer.writerow(row)

    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in lines()), content_type="text/csv; charset=utf-8"
    )
    return as_download(response, _filename("csv"))


def cases_xlsx_response(cases) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(pgettext("spreadsheet sheet name", "Termination cases"))
    sheet.append(_header())
    for row in _rows(cases):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return bytes_download(buffer.getvalue(), filename=_filename("xlsx"), content_type=XLSX_TYPE)


# --- evidence bundle ----------------------------------------------------------------------


def timeline_pdf(case: TerminationCase, events) -> bytes:
    """The case's timeline as PDF, rendered with the letters' locked-down URL fetcher."""
    html = render_to_string(
        "terminations/bundle_timeline.html",
        {"case": case, "events": events, "generated_at": timezone.localtime()},
    )
    try:
        from terminations.letters.render import html_to_pdf  # the letters engineer's renderer
    except ImportError:
        html_to_pdf = None
    if html_to_pdf is not None:
        return html_to_pdf(html)
    from weasyprint import HTML

    from terminations.letters.fetcher import LetterAssetFetcher

    return HTML(string=html, url_fetcher=LetterAssetFetcher()).write_pdf(presentational_hints=False)


def _safe_name(name: str) -> str:
    return PurePosixPath(name).name.replace("/", "_") or "file"


def bundle_files(case: TerminationCase) -> list[tuple[str, str, object]]:
    """(path in the ZIP, description, FieldFile) for every stored file of the case."""
    files: list[tuple[str, str, object]] = []
    for notice in case.notices.all().prefetch_related("deliveries", "emails__acceptances"):
        number = notice.number_or_draft
        if notice.pdf:
            files.append(
                (
                    f"letters/{number}.pdf",
                    _("letter %(n)s (%(s)s)") % {"n": number, "s": notice.get_status_display()},
                    notice.pdf,
                )
            )
        if notice.scanned_copy:
            files.append(
                (
                    f"letters/{number}-signed-{_safe_name(notice.scanned_copy.name)}",
                    _("stamped copy as sent: %(n)s") % {"n": number},
                    notice.scanned_copy,
                )
            )
        for email in notice.emails.all():
            if email.eml:
                files.append(
                    (
                        f"emails/{number}-{email.pk}.eml",
                        _("e-mail of %(n)s to %(to)s as sent (%(status)s), Message-ID <%(id)s>")
                        % {
                            "n": number,
                            "to": email.recipient,
                            "status": email.get_status_display(),
                            "id": email.message_id,
                        },
                        email.eml,
                    )
                )
            for acceptance in email.acceptances.all():
                if acceptance.pdf:
                    files.append(
                        (
                            f"acceptances/{number}-{acceptance.pk}-accepted.pdf",
                            _("confirmation %(n)s accepted online by %(name)s")
                            % {"n": number, "name": acceptance.signer_name},
                            acceptance.pdf,
                        )
                    )
        for delivery in notice.deliveries.all():
            if delivery.evidence:
                files.append(
                    (
                        f"deliveries/{number}-{delivery.pk}-{_safe_name(delivery.evidence.name)}",
                        _("delivery evidence: %(m)s %(r)s")
                        % {"m": delivery.get_method_display(), "r": delivery.reference},
                        delivery.evidence,
                    )
                )
    for item in case.evidence.all():
        if item.file:
            files.append(
                (f"evidence/{item.pk}-{_safe_name(item.file.name)}", item.description, item.file)
            )
    for entry in case.negotiations.all():
        if entry.attachment:
            files.append(
                (
                    f"negotiation/{entry.pk}-{_safe_name(entry.attachment.name)}",
                    f"{entry.occurred_on} {entry.get_channel_display()}",
                    entry.attachment,
                )
            )
    if case.countersigned_confirmation:
        files.append(
            (
                f"agreement/{_safe_name(case.countersigned_confirmation.name)}",
                _("countersigned confirmation"),
                case.countersigned_confirmation,
            )
        )
    return files


def _email_record(email) -> str:
    """What the desk recorded of one e-mail and of its partner page, as plain text."""

    def when(value) -> str:
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M:%S}" if value else "—"

    # gettext outside the f-strings: makemessages does not look inside them.
    fields = [
        (_("letter"), email.notice.number_or_draft),
        (_("purpose"), email.get_purpose_display()),
        (_("recipient"), f"{email.recipient} {email.recipient_name}".rstrip()),
        (_("clause designating the address"), email.designated_by or "—"),
        (_("status"), email.get_status_display()),
        ("Message-ID", f"<{email.message_id}>"),
        (_("SHA-256 of the message"), email.eml_sha256),
        (_("RFC 3161 timestamp"), _("yes") if email.eml_timestamp else _("no")),
        (_("requested at"), when(email.requested_at)),
        (_("accepted by the mail server at"), when(email.sent_at)),
        (_("receipt acknowledged at"), when(email.acknowledged_at)),
        (_("link expires at"), when(email.expires_at)),
        (_("last error"), email.last_error or "—"),
    ]
    columns = ", ".join([_("time"), _("what"), _("IP address"), _("browser")])
    lines = [f"{label}: {value}" for label, value in fields]
    lines += ["", _("The mail server's replies:"), email.server_reply or "—", ""]
    lines.append(_("The partner's page (%(columns)s):") % {"columns": columns})
    for record in email.page_records.all():
        lines.append(
            f"{when(record.at)}\t{record.get_kind_display()}\t"
            f"{record.ip_address or '—'}\t{record.user_agent or '—'}"
        )
    return "\n".join(lines) + "\n"


def bundle_records(case: TerminationCase) -> list[tuple[str, str, bytes]]:
    """(path in the ZIP, description, bytes) of what the desk recorded outside stored files: for
    each e-mail of a letter, its record and its RFC 3161 timestamp token."""
    import base64

    from terminations.models import LetterEmail

    records: list[tuple[str, str, bytes]] = []
    emails = (
        LetterEmail.objects.filter(notice__case=case)
        .select_related("notice")
        .prefetch_related("page_records")
        .order_by("pk")
    )
    for email in emails:
        number = email.notice.number_or_draft
        records.append(
            (
                f"emails/{number}-{email.pk}-record.txt",
                _("record of the e-mail of %(n)s to %(to)s and of its link")
                % {"n": number, "to": email.recipient},
                _email_record(email).encode("utf-8"),
            )
        )
        if email.eml_timestamp:
            records.append(
                (
                    f"emails/{number}-{email.pk}.tst",
                    _("RFC 3161 timestamp token of the SHA-256 of %(path)s")
                    % {"path": f"emails/{number}-{email.pk}.eml"},
                    base64.b64decode(email.eml_timestamp),
                )
            )
    return records


def build_bundle(case: TerminationCase) -> bytes:
    events = list(case.events.select_related("actor"))
    buffer = io.BytesIO()
    # gettext outside the f-strings: makemessages does not look inside them.
    title, generated = _("Evidence bundle"), _("generated at")
    timeline, missing = _("timeline of the case"), _("file missing from storage")
    index_lines = [
        f"{title} {case.reference} — {case.partner}",
        f"{generated} {timezone.localtime():%Y-%m-%d %H:%M} (Asia/Shanghai)",
        "",
        "path\tSHA-256\tdescription",
    ]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        pdf = timeline_pdf(case, events)
        archive.writestr("timeline.pdf", pdf)
        index_lines.append(f"timeline.pdf\t{hashlib.sha256(pdf).hexdigest()}\t{timeline}")
        for path, description, fieldfile in bundle_files(case):
            try:
                with fieldfile.open("rb") as handle:
                    data = handle.read()
            except OSError:
                index_lines.append(f"{path}\t-\t{description} ({missing})")
                continue
            archive.writestr(path, data)
            index_lines.append(f"{path}\t{hashlib.sha256(data).hexdigest()}\t{description}")
        for path, description, data in bundle_records(case):
            archive.writestr(path, data)
            index_lines.append(f"{path}\t{hashlib.sha256(data).hexdigest()}\t{description}")
        archive.writestr("index.txt", "\ufeff" + "\n".join(index_lines) + "\n")
    return buffer.getvalue()


def bundle_response(case: TerminationCase) -> HttpResponse:
    return bytes_download(
        build_bundle(case), filename=f"{case.reference}-bundle.zip", content_type="application/zip"
    )
