"""The record behind a letter's words (issue 13): a contractual right needs a convenience right or
an agreed cause a manager confirms; an English letter needs the English of what staff typed; a
letter states only its own dates — the rule counted from its own arrival, and a termination date
the manager fixes (the later one governs)."""

import datetime
import io
import re
from datetime import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.utils import translation
from pypdf import PdfReader

from terminations.models import Basis, Delivery, Notice, SettlementLine, TerminationCase
from terminations.services import (
    case_add_evidence,
    case_open,
    case_recompute_end_date,
    case_update_assessment,
    evidence_describe_in_english,
    letters_state_earlier,
)
from terminations.services._base import TransitionError
from terminations.services.notices import (
    earliest_fixed_end,
    notice_approve,
    notice_draft,
    notice_issue,
    notice_update_draft,
)
from tests.factories import ContractFactory, PartnerFactory
from tests.terminations.factories import pdf_file
from tests.terminations.letters.conftest import make_case

SHANGHAI = ZoneInfo("Asia/Shanghai")
FROZEN = dt(2026, 6, 1, 10, tzinfo=SHANGHAI)
CAUSE = "2026年3月至5月店铺GMV连续三个月低于合同约定的月度保底GMV（50万元）。"
CAUSE_EN = "The shop's GMV stayed below the agreed monthly minimum three months running."


@pytest.fixture(autouse=True)
def frozen():
    # The messages are asserted in Chinese, the interface's default, whatever an earlier test
    # left active.
    with time_machine.travel(FROZEN, tick=False), translation.override("zh-hans"):
        yield


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(notice: Notice) -> str:
    notice.refresh_from_db()
    with notice.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return flat("\n".join(page.extract_text() for page in reader.pages))


def no_right_contract(**extra):
    fields = {
        "partner": PartnerFactory(name="星河代运营", company_name="杭州星河网络科技有限公司"),
        "number": "HT-2026-0077",
        "convenience_termination": False,
        "clause_termination": "12.2",
        "clause_notice": "12.3",
    }
    fields.update(extra)
    return ContractFactory(**fields)


# --- the contractual basis ----------------------------------------------------------------


@pytest.mark.django_db
def test_contractual_basis_refused_without_a_right_or_a_cause_naming_the_bases_that_fit(
    staff_user,
):
    contract = no_right_contract()
    with pytest.raises(TransitionError) as refused:
        case_open(
            partner=contract.partner,
            contract=contract,
            reason_category="poor_results",
            opened_by=staff_user,
            basis=Basis.CONTRACTUAL,
        )
    message = str(refused.value)
    assert "HT-2026-0077" in message and "约定解除事由" in message
    assert str(Basis.MUTUAL.label) in message and str(Basis.BREACH.label) in message
    assert str(Basis.ENTRUSTMENT.label) in message  # an agency's contract
    assert str(Basis.OPEN_ENDED.label) not in message  # the contract has a fixed term
    assert not TerminationCase.objects.exists()

    case = case_open(
        partner=contract.partner,
        contract=contract,
        reason_category="poor_results",
        opened_by=staff_user,
    )
    with pytest.raises(TransitionError):
        case_update_assessment(case=case, by=staff_user, basis=Basis.CONTRACTUAL)
    case.refresh_from_db()
    assert case.basis == ""
    case = case_update_assessment(
        case=case,
        by=staff_user,
        basis=Basis.CONTRACTUAL,
        agreed_cause=CAUSE,
        agreed_cause_clause="第 9.2 条",
    )
    case.refresh_from_db()
    assert (case.basis, case.agreed_cause_clause) == (Basis.CONTRACTUAL, "9.2")


@pytest.mark.django_db
def test_agreed_cause_is_confirmed_by_the_manager_and_stated_in_the_letter(
    shop_profile, manager_user, staff_user
):
    case = make_case(
        contract=no_right_contract(),
        agreed_cause=CAUSE,
        agreed_cause_en=CAUSE_EN,
        agreed_cause_clause="9.2",
    )
    case.agreed_cause_evidence.save("gmv.pdf", ContentFile(b"%PDF-1.4 evidence"), save=True)
    notice = notice_draft(case=case, by=staff_user, kind="termination", language="bilingual")
    notice_update_draft(notice=notice, by=staff_user, facts_en="GMV fell three months running.")
    with pytest.raises(TransitionError) as refused:
        notice_approve(notice=notice, by=manager_user)
    assert "批准前请确认约定解除事由" in str(refused.value)
    notice_approve(notice=notice, by=manager_user, confirm_agreed_cause=True)
    case.refresh_from_db()
    assert case.agreed_cause_confirmed_by == manager_user and case.agreed_cause_confirmed_at
    text = pdf_text(notice_issue(notice=notice, by=manager_user))
    for expected in (
        "本合同第9.2条约定，发生该条所列情形时本公司有权解除本合同",
        flat(CAUSE),
        flat(CAUSE_EN),
        "第五百六十二条第二款",
        "约定解除事由发生的证据",
        "Clause9.2oftheContractentitlesustoterminatetheContractiftheeventitdescribesoccurs",
    ):
        assert expected in text, expected
    assert "单方解除" not in text  # not worded as a convenience right

    # A changed cause needs a new confirmation: the next letter is refused without one.
    case = case_update_assessment(case=case, by=staff_user, agreed_cause=CAUSE + "（补充）")
    assert case.agreed_cause_confirmed_at is None


# --- English free texts -------------------------------------------------------------------


@pytest.mark.django_db
def test_english_letter_refused_until_every_typed_text_has_its_english(shop_profile, manager_user):
    case = make_case(contract=ContractFactory(number="HT-2026-0078"))
    line = SettlementLine.objects.create(
        case=case,
        kind="refund",
        direction="to_shop",
        amount=Decimal("800"),
        description="6月预付费",
    )
    evidence = case_add_evidence(
        case=case,
        by=manager_user,
        description="GMV 周报截图",
        file=pdf_file("gmv.pdf"),
    )
    case_add_evidence(  # typed in English already: printed as typed
        case=case,
        by=manager_user,
        description="Chat log export",
        file=pdf_file("chat.pdf"),
    )
    notice = notice_draft(
        case=case, by=manager_user, kind="termination", language="en", demands="归还样品。"
    )
    notice_approve(notice=notice, by=manager_user)
    with pytest.raises(TransitionError) as refused:
        notice_issue(notice=notice, by=manager_user)
    message = str(refused.value)
    for named in ("事实的英文文本", "具体要求的英文文本", "6月预付费", "GMV 周报截图"):
        assert named in message, named
    assert "Chat log export" not in message
    notice.refresh_from_db()
    assert notice.status == Notice.Status.APPROVED and not notice.pdf

    notice_update_draft(
        notice=notice,
        by=manager_user,
        facts_en="GMV fell from March to May 2026.",
        demands_en="Return the samples.",
    )
    line.description_en = "June prepaid fee"
    line.save()
    evidence_describe_in_english(
        evidence=evidence, by=manager_user, text="Screenshots of the weekly GMV reports"
    )
    notice_approve(notice=notice, by=manager_user)
    text = pdf_text(notice_issue(notice=notice, by=manager_user))
    for expected in (
        "GMVfellfromMarchtoMay2026.",
        "Returnthesamples.",
        "Juneprepaidfee",
        "ScreenshotsoftheweeklyGMVreports",
        "Chatlogexport",
    ):
        assert expected in text, expected
    for chinese in ("6月预付费", "归还样品", "GMV连续下降", "周报截图"):
        assert chinese not in text, chinese


# --- a letter's own dates -----------------------------------------------------------------


def deliver(notice, *, arrived_on):
    Delivery.objects.create(
        notice=notice,
        method="courier",
        dispatched_on=arrived_on - datetime.timedelta(days=1),
        arrived_on=arrived_on,
    )


@pytest.mark.django_db
def test_fixed_date_no_earlier_than_the_rule_for_todays_dispatch_plus_the_buffer(
    shop_profile, manager_user
):
    case = make_case(contract=ContractFactory(number="HT-2026-0079", notice_period=30))
    notice = notice_draft(case=case, by=manager_user, kind="termination")
    # Issued 2026-06-01, a courier takes up to 5 days: arrival 06-06 + 30 days = 07-06 (a Monday).
    earliest = earliest_fixed_end(notice)
    assert earliest == datetime.date(2026, 7, 6)
    with pytest.raises(TransitionError) as refused:
        notice_update_draft(
            notice=notice, by=manager_user, fixed_end_date=datetime.date(2026, 7, 3)
        )
    assert "2026-07-06" in str(refused.value)
    notice.refresh_from_db()
    assert notice.fixed_end_date is None

    notice_update_draft(notice=notice, by=manager_user, fixed_end_date=datetime.date(2026, 7, 31))
    notice_approve(notice=notice, by=manager_user)
    notice = notice_issue(notice=notice, by=manager_user)
    assert notice.stated_end_date == datetime.date(2026, 7, 31)
    text = pdf_text(notice)
    assert "本合同于2026年7月31日24:00解除；如届时自本通知到达贵方之日起不满30日" in text
    assert "则于该期间届满之日24:00解除" in text
    assert "本合同解除之日（即2026年7月31日；如依前款解除之日较晚，则为该日）24:00前" in text

    # Arrival in time: the fixed date is the later one and governs.
    deliver(notice, arrived_on=datetime.date(2026, 6, 3))
    case = case_recompute_end_date(case=case)
    assert case.end_date == datetime.date(2026, 7, 31)
    assert "以较晚者2026-07-31为准" in case.end_date_explanation_zh
    assert not letters_state_earlier(TerminationCase.objects.all()).exists()


@pytest.mark.django_db
def test_a_late_arrival_makes_the_rule_govern_and_alerts_the_manager(shop_profile, manager_user):
    case = make_case(contract=ContractFactory(number="HT-2026-0080", notice_period=30))
    notice = notice_draft(
        case=case, by=manager_user, kind="termination", fixed_end_date=datetime.date(2026, 7, 6)
    )
    notice_approve(notice=notice, by=manager_user)
    notice = notice_issue(notice=notice, by=manager_user)
    deliver(notice, arrived_on=datetime.date(2026, 6, 20))
    case = case_recompute_end_date(case=case)
    assert case.end_date == datetime.date(2026, 7, 20)
    assert "通知到达较晚" in case.end_date_explanation_zh
    assert list(letters_state_earlier(TerminationCase.objects.all())) == [case]


@pytest.mark.django_db
def test_only_a_notice_that_ends_the_cooperation_fixes_a_date(shop_profile, manager_user):
    case = make_case(contract=ContractFactory(number="HT-2026-0081"), basis=Basis.BREACH)
    with pytest.raises(TransitionError) as refused:
        notice_draft(
            case=case,
            by=manager_user,
            kind="cure",
            cure_period_days=15,
            fixed_end_date=datetime.date(2026, 9, 1),
        )
    assert "固定解除日" in str(refused.value)
    assert not Notice.objects.filter(case=case).exists()


@pytest.mark.django_db
def test_a_second_letter_never_shows_a_date_from_the_first_letters_arrival(
    shop_profile, manager_user
):
    case = make_case(contract=ContractFactory(number="HT-2026-0082", notice_period=30))
    first = notice_draft(case=case, by=manager_user, kind="termination")
    notice_approve(notice=first, by=manager_user)
    first = notice_issue(notice=first, by=manager_user)
    deliver(first, arrived_on=datetime.date(2026, 6, 1))
    case = case_recompute_end_date(case=case)
    assert case.end_date == datetime.date(2026, 7, 1)
    with time_machine.travel(dt(2026, 6, 10, 10, tzinfo=SHANGHAI), tick=False):
        second = notice_draft(case=case, by=manager_user, kind="termination")
        notice_approve(notice=second, by=manager_user)
        second = notice_issue(notice=second, by=manager_user)
    text = pdf_text(second)
    assert "自本通知到达贵方之日起满30日" in text
    assert "2026年7月1日" not in text and "2026-06-01" not in text
    assert second.stated_end_date is None
    # Its handover deadline is its own end, never a day before the letter's date.
    assert "请贵方于本合同解除之日24:00前" in text


# --- the cure notice's article ------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("ground", "cited", "absent"),
    [
        ("delay", "第五百六十三条第一款第（三）项", "第（四）项"),
        (
            "purpose",
            "致使不能实现合同目的。依据本合同第12.2条的约定及《中华人民共和国民法典》第五百六十三条第一款第（四）项",
            "第（三）项",
        ),
        ("clause", "依据本合同第12.2条的约定，本公司现催告贵方", "第五百六十三条"),
    ],
)
def test_cure_notice_cites_the_article_staff_recorded(
    ground, cited, absent, shop_profile, manager_user
):
    contract = ContractFactory(number="HT-2026-0090", clause_termination="12.2")
    case = make_case(contract=contract, basis=Basis.BREACH, cure_ground=ground, cure_period_days=15)
    notice = notice_draft(case=case, by=manager_user, kind="cure", cure_period_days=15)
    notice_approve(notice=notice, by=manager_user)
    text = pdf_text(notice_issue(notice=notice, by=manager_user))
    assert cited in text
    demand = text[text.index("催告") : text.index("附条件解除")]
    assert absent not in demand


@pytest.mark.django_db
def test_cure_notice_on_the_contracts_clause_needs_the_clause(shop_profile, manager_user):
    contract = ContractFactory(number="HT-2026-0091", clause_termination="")
    case = make_case(contract=contract, basis=Basis.BREACH, cure_ground="clause")
    with pytest.raises(TransitionError, match="未记录该条款"):
        notice_draft(case=case, by=manager_user, kind="cure", cure_period_days=15)


# --- attachments expected but missing: a warning at approval, not a refusal ---------------


@pytest.mark.django_db
def test_preview_warns_of_attachments_a_lawyer_expects_but_nobody_uploaded(
    shop_profile, manager_user, manager_client
):
    case = make_case(
        contract=no_right_contract(),
        agreed_cause=CAUSE,
        agreed_cause_clause="9.2",
    )
    notice = notice_draft(case=case, by=manager_user, kind="termination")
    page = manager_client.get(f"/letters/{notice.pk}/").content.decode()
    assert 'id="attachment-warnings"' in page
    assert "未上传已签署的合同" in page and "未上传约定解除事由的证据" in page

    contract = case.contract
    contract.signed_document.save("signed.pdf", ContentFile(b"%PDF-1.4 signed"), save=True)
    case.agreed_cause_evidence.save("gmv.pdf", ContentFile(b"%PDF-1.4 evidence"), save=True)
    page = manager_client.get(f"/letters/{notice.pk}/").content.decode()
    assert 'id="attachment-warnings"' not in page
    # A warning, not a refusal: the letter is issued with the attachments that exist.
    notice_approve(notice=notice, by=manager_user, confirm_agreed_cause=True)
    assert notice_issue(notice=notice, by=manager_user).status == Notice.Status.ISSUED
