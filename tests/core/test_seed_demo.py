import hashlib
from datetime import datetime
from io import BytesIO, StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.utils import timezone
from pypdf import PdfReader

from core.models import ShopProfile
from partners.models import Contract, Partner
from terminations.demo import DESK_LETTERS
from terminations.models import CaseEvent, Notice, TerminationCase
from terminations.rules.choices import PeriodUnit
from terminations.services import notice_matching_pdf

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "partners": Partner.objects.count(),
        "contracts": Contract.objects.count(),
        "cases": TerminationCase.objects.count(),
        "events": CaseEvent.objects.count(),
        "profiles": ShopProfile.objects.count(),
    }


def test_seed_demo_builds_a_realistic_register_and_is_idempotent(capsys):
    call_command("seed_demo")
    first = _counts()
    output = capsys.readouterr().out
    for username in ("manager", "staff", "viewer", "admin"):
        assert username in output
    assert "demo-2026" in output

    assert Partner.objects.filter(kind=Partner.Kind.AGENCY).count() >= 3
    assert Partner.objects.filter(kind=Partner.Kind.CREATOR).count() >= 5
    assert Partner.objects.exclude(kind=Partner.Kind.MCN).count() >= 8
    units = set(Contract.objects.values_list("notice_unit", flat=True))
    assert units == {PeriodUnit.DAYS, PeriodUnit.MONTHS, PeriodUnit.WORKDAYS}
    assert Contract.objects.filter(auto_renews=True).count() >= 2
    assert Contract.objects.filter(written=False, end_date__isnull=True).exists()
    assert Partner.objects.filter(mcn__isnull=False).exists()
    assert first["profiles"] == 1
    assert first["cases"] >= 8
    assert set(TerminationCase.objects.values_list("stage", flat=True)) >= {
        "assessment",
        "negotiation",
        "notice",
        "handover",
        "review",
        "closed",
        "withdrawn",
    }

    call_command("seed_demo")
    assert _counts() == first


def test_demo_users_can_log_in_with_the_printed_password():
    call_command("seed_demo")
    assert User.objects.get(username="staff").check_password("demo-2026")
    assert User.objects.get(username="manager").groups.filter(name="managers").exists()
    assert User.objects.get(username="viewer").groups.filter(name="viewers").exists()


def test_seed_demo_cases_generates_bulk_cases_with_their_history(capsys):
    call_command("seed_demo")
    demo_cases = TerminationCase.objects.count()
    call_command("seed_demo", "--cases", "60")
    assert TerminationCase.objects.count() == demo_cases + 60
    assert "Generated cases: 60 new" in capsys.readouterr().out
    generated = TerminationCase.objects.order_by("pk")[demo_cases:]
    stages = {case.stage for case in generated}
    assert {"assessment", "notice", "handover", "closed"} <= stages
    references = list(TerminationCase.objects.values_list("reference", flat=True))
    assert len(set(references)) == len(references)
    # Every generated case has its history, beginning with its opening.
    assert not TerminationCase.objects.filter(events__isnull=True).exists()
    # Generated letters are stored like issued ones: their bytes match their hash.
    letters = Notice.objects.filter(case__in=generated, status=Notice.Status.ISSUED)
    assert letters.exists()
    for letter in letters:
        with letter.pdf.open("rb") as stored:
            assert hashlib.sha256(stored.read()).hexdigest() == letter.sha256
    before = _counts()
    call_command("seed_demo", "--cases", "60")
    assert _counts() == before


def test_the_demo_shows_money_on_the_dashboard():
    from django.utils import timezone

    from terminations.dashboard import dashboard_figures
    from terminations.models import Commission, SettlementLine, Stage

    call_command("seed_demo")
    figures = dashboard_figures(today=timezone.localdate())
    # Creators' commissions are the platform's to settle, shown apart from the shop's money.
    assert figures["commission_platform"].value > 0
    assert not SettlementLine.objects.filter(
        kind=SettlementLine.Kind.COMMISSION, case__partner__kind="creator"
    ).exists()
    # What the shop had to settle was paid before the case closed; the platform settles the
    # creator's commissions after it, recorded on the closed case.
    assert not SettlementLine.objects.filter(case__stage=Stage.CLOSED, paid=False).exists()
    assert Commission.objects.filter(case__stage=Stage.CLOSED, status="settled").exists()


@time_machine.travel(datetime(2026, 3, 10, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_the_demo_letters_are_made_by_the_desk_and_verify():
    call_command("seed_demo")
    assert timezone.localdate().isoformat() == "2026-03-10"  # the clock is back after seeding
    made = list(
        Notice.objects.filter(
            origin=Notice.Origin.GENERATED, status=Notice.Status.ISSUED
        ).select_related("case__partner")
    )
    planned = {(letter.kind, letter.case.basis, letter.language) for letter in made}
    assert planned >= set(DESK_LETTERS)

    out = StringIO()
    call_command("verify_letters", stdout=out)
    assert f"{len(made)} issued letters verified; every stored hash matches." in out.getvalue()
    for letter in made:
        with letter.pdf.open("rb") as stored:
            data = stored.read()
        assert hashlib.sha256(data).hexdigest() == letter.sha256
        assert notice_matching_pdf(data=data) == letter  # what the verification page does
        text = "".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
        assert letter.case.partner.name in text, letter.letter_number
        assert letter.letter_number in text
        # Issued on its dispatch day, relative to the day the demo was seeded.
        assert letter.snapshot["issued_on"] < "2026-03-10"
        assert letter.snapshot["issued_on"] == letter.deliveries.get().dispatched_on.isoformat()
        assert timezone.localtime(letter.issued_at).date() == letter.deliveries.get().dispatched_on
    # Only the closed case's story keeps a letter drafted outside the desk.
    external = Notice.objects.filter(origin=Notice.Origin.EXTERNAL)
    assert [n.case.stage for n in external] == ["closed"]

    letters = Notice.objects.count()
    call_command("seed_demo")
    assert Notice.objects.count() == letters


def test_seed_demo_says_what_the_letters_need_before_writing_anything(monkeypatch):
    from core.management.commands import seed_demo

    monkeypatch.setattr(
        seed_demo,
        "missing_letter_requirements",
        lambda: [("libharfbuzz-subset0 is missing.", "apt-get install libharfbuzz-subset0")],
    )
    with pytest.raises(CommandError) as error:
        call_command("seed_demo")
    assert "cannot issue its letters" in str(error.value)
    assert "apt-get install libharfbuzz-subset0" in str(error.value)
    assert not User.objects.exists()
