"""The issued letters read as DOMAIN.md §6 says: every kind in every language is issued through the
workflow and its stored PDF read back as text (pypdf)."""

import datetime
import io
import re
from datetime import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation
from pypdf import PdfReader

from core.models import ShopProfile
from terminations.models import Basis, Delivery, EvidenceFile, Notice, SettlementLine
from terminations.services._base import TransitionError
from terminations.services.notices import notice_approve, notice_draft, notice_issue
from tests.factories import ContractFactory, CreatorFactory, PartnerFactory
from tests.terminations.letters.conftest import make_case

FROZEN = dt(2026, 6, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
KINDS = ("termination", "cure", "open_ended", "mutual", "withdrawal")
LANGUAGES = ("zh", "en", "bilingual")
AGENCY = "杭州星河网络科技有限公司"
SENDER = "杭州青禾电子商务有限公司"
CHINESE_NUMERALS = "一二三四五六七八九十"
INTERNAL = ("最佳估计", "推定", "未确认", "best estimate", "Best estimate")
TERMS = "甲方退还9月预付服务费20000元；双方就本合同再无其他争议。"
TERMS_EN = "Party A refunds the September prepaid fee of CNY 20,000; no other dispute remains."
FACTS_EN = "From March to May 2026 the agency's results fell short of the agreed targets."


def pdf_text(notice: Notice) -> str:
    notice.refresh_from_db()
    reader = PdfReader(io.BytesIO(notice.pdf.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def issue(case, manager, **draft) -> Notice:
    """Draft, approve and issue. An English or bilingual letter gets the English of what staff
    typed (issuing refuses it otherwise)."""
    if draft.get("language", "zh") != "zh":
        draft.setdefault("facts_en", FACTS_EN)
        if draft.get("demands"):
            draft.setdefault("demands_en", "Resume the live streams.")
    with time_machine.travel(FROZEN, tick=False):
        notice = notice_draft(case=case, by=manager, **draft)
        notice_approve(notice=notice, by=manager)
        return notice_issue(notice=notice, by=manager)


def _agency_contract(**extra):
    fields = {
        "partner": PartnerFactory(name="星河代运营", company_name=AGENCY),
        "number": "HT-2026-0042",
        "title": "抖店代运营服务合同",
        # Stored as typed before the data migration: printing still never doubles it.
        "clause_termination": "第 12.2 条",
        "clause_notice": "12.3条",
        "convenience_termination": True,
    }
    fields.update(extra)
    return ContractFactory(**fields)


def _end_dates():
    return {
        "end_date": datetime.date(2026, 7, 3),
        "end_date_nominal": datetime.date(2026, 7, 3),
        "end_date_rule": "art. 201, 203",
        "end_date_explanation_zh": "到达日2026-06-03起算30日，期间最后一日为2026-07-03。",
        "end_date_explanation_en": "Arrival 2026-06-03 + 30 days = 2026-07-03.",
    }


def letter_of(kind: str, language: str, manager) -> Notice:
    """An issued letter of `kind` in `language`, through draft → approve → issue."""
    if kind == "open_ended":
        creator = CreatorFactory(name="阿禾好物", douyin_id="ahe_goods")
        contract = ContractFactory(
            partner=creator,
            number="CHAT-2026-003",
            title="微信带货合作",
            written=False,
            signed_on=None,
            start_date=datetime.date(2026, 3, 12),
            end_date=None,
        )
        case = make_case(contract=contract, basis=Basis.OPEN_ENDED, **_end_dates())
        return issue(case, manager, kind=kind, language=language)
    if kind == "mutual":
        case = make_case(
            contract=_agency_contract(),
            basis=Basis.MUTUAL,
            agreed_on=datetime.date(2026, 5, 20),
            agreed_end_date=datetime.date(2026, 8, 31),
            agreed_terms=TERMS,
            agreed_terms_en=TERMS_EN,
            end_date=datetime.date(2026, 8, 31),
        )
        return issue(case, manager, kind=kind, language=language)
    if kind == "cure":
        case = make_case(contract=_agency_contract(), basis=Basis.BREACH, cure_period_days=15)
        return issue(
            case, manager, kind=kind, language=language, cure_period_days=15, demands="恢复直播。"
        )
    case = make_case(contract=_agency_contract(), **_end_dates())
    first = issue(case, manager, kind="termination", language=language)
    if kind == "termination":
        return first
    Delivery.objects.create(notice=first, method="courier", dispatched_on=datetime.date(2026, 6, 1))
    return issue(case, manager, kind="withdrawal", language=language, withdraws=first)


EXPECTED = {
    # kind: (zh fragments, en fragments) beyond the parties
    "termination": (
        [
            "HT-2026-0042",
            "本合同第12.2条约定本公司有权单方解除本合同",
            "第五百六十二条第二款",
            "自本通知到达贵方之日起满30日",
        ],
        [
            "HT-2026-0042",
            "Clause 12.2 of the Contract entitles us to terminate the Contract",
            "Articles 562(2) and 565(1)",
            "30 days (the day of arrival not counted",
            "counted from the day this notice reaches you",
            FACTS_EN,
        ],
    ),
    "cure": (
        [
            "HT-2026-0042",
            "第五百六十三条第一款第（三）项",
            "15日内",
            "第五百六十五条第一款",
            "自该期限届满之日24:00解除",
            "如本合同依前款解除",
        ],
        [
            "HT-2026-0042",
            "Article 563(1)(iii)",
            "within 15 days",
            "Article 565(1)",
            "terminated at 24:00 on the last day of the period",
            "If the Contract ends as set out above",
        ],
    ),
    "open_ended": (
        [
            "双方于2026年3月通过聊天消息确认的带货合作",
            "CHAT-2026-003",
            "第五百六十三条第二款",
            "自本通知到达贵方之日起满30日",
        ],
        [
            "cooperation we agreed in chat messages in March 2026",
            "CHAT-2026-003",
            "Article 563(2)",
            "30 days after this notice reaches you",
        ],
    ),
    "mutual": (
        [
            "HT-2026-0042",
            "双方确认",
            "第五百六十二条第一款",
            "2026年8月31日24:00解除",
            TERMS,
            "乙方应于2026年8月31日24:00前",
            "甲方（盖章）",
            "乙方（签字或盖章）",
            "自各方签字或盖章之日起生效",
        ],
        [
            "HT-2026-0042",
            "The parties confirm",
            "Article 562(1)",
            "24:00 on 31 August 2026",
            TERMS_EN,
            "Party A (seal)",
            "Party B (signature or seal)",
            "when signed or sealed by every party",
        ],
    ),
    "withdrawal": (
        [
            "于2026年6月1日向贵方发出的编号为",
            "-L1-v1",
            "《解除合同通知书》",
            "第一百四十一条",
            "不发生效力",
        ],
        ["-L1-v1", "sent to you on 1 June 2026", "Article 141", "has no effect"],
    ),
}


def _section_numbers(text: str, language: str) -> tuple[list[int], list[int]]:
    body = text.split("附件")[0] if language != "en" else text.split("Attachments")[0]
    zh = [
        CHINESE_NUMERALS.index(match) + 1
        for match in re.findall(rf"^([{CHINESE_NUMERALS}])、", body, re.M)
    ]
    en = [
        int(n)
        for n in re.findall(
            rf"^(?:[{CHINESE_NUMERALS}]+、\S+\s+)?(\d+)\. (?=[A-Z][a-z])", body, re.M
        )
    ]
    return zh, en


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_reads_as_a_letter(kind, language, shop_profile, manager_user):
    notice = letter_of(kind, language, manager_user)
    text = pdf_text(notice)
    squeezed = flat(text)

    zh_numbers, en_numbers = _section_numbers(text, language)
    if language != "en":
        assert zh_numbers and zh_numbers == list(range(1, len(zh_numbers) + 1)), zh_numbers
    if language != "zh":
        assert en_numbers and en_numbers == list(range(1, len(en_numbers) + 1)), en_numbers
    for bad in ("第第", "条条", "clause第", "—", "____", *INTERNAL):
        assert flat(bad) not in squeezed, bad
    assert SENDER in squeezed
    addressee = "阿禾好物" if kind == "open_ended" else AGENCY
    assert addressee in squeezed
    zh_expected, en_expected = EXPECTED[kind]
    for fragment in (zh_expected if language != "en" else []) + (
        en_expected if language != "zh" else []
    ):
        assert flat(fragment) in squeezed, fragment
    if language == "en":
        assert not re.search("[本贵]公司|贵方", text)
    if language == "bilingual":
        assert "以中文为准" in squeezed


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh", "en"])
def test_mutual_confirmation_has_no_unilateral_wording(language, shop_profile, manager_user):
    text = flat(pdf_text(letter_of("mutual", language, manager_user)))
    for absent in ("12.2", "12.3", "第五百六十二条第二款", "562(2)", "发出本函", "合同解除之日"):
        assert absent not in text, absent


@pytest.mark.django_db
def test_withdrawal_says_nothing_but_what_it_withdraws(shop_profile, manager_user):
    text = flat(pdf_text(letter_of("withdrawal", "zh", manager_user)))
    for absent in ("12.2", "交接", "2026年3月至5月", "第五百六十二条", "费用结算", "本合同"):
        assert absent not in text, absent


@pytest.mark.django_db
def test_cure_notice_demands_handover_only_if_the_contract_ends(shop_profile, manager_user):
    text = flat(pdf_text(letter_of("cure", "zh", manager_user)))
    assert "请贵方于" not in text
    assert "继续履行" in text
    assert text.index("如本合同依前款解除") < text.index("交接事项")


@pytest.mark.django_db
def test_chat_cooperation_is_not_dressed_as_a_contract(shop_profile, manager_user):
    text = flat(pdf_text(letter_of("open_ended", "zh", manager_user)))
    for absent in ("签订", "《微信带货合作》", "本合同", "不定期》"):
        assert absent not in text, absent


@pytest.mark.django_db
def test_entrustment_letter_volunteers_nothing_about_compensation(shop_profile, manager_user):
    case = make_case(
        contract=_agency_contract(), basis=Basis.ENTRUSTMENT, entrustment_confirmed=True
    )
    for language in ("zh", "en"):
        text = pdf_text(issue(case, manager_user, kind="termination", language=language))
        assert "第九百三十三条" in flat(text) or "Articles 933 and 565(1)" in text
        for absent in ("损失", "loss", "第五百六十二条", "562"):
            assert absent not in text, absent


@pytest.mark.django_db
def test_breach_letter_cites_the_ground_recorded(shop_profile, manager_user):
    case = make_case(
        contract=_agency_contract(),
        basis=Basis.BREACH,
        prior_demand_on=datetime.date(2026, 5, 1),
        prior_demand_until=datetime.date(2026, 5, 15),
    )
    text = flat(pdf_text(issue(case, manager_user, kind="termination")))
    assert "经本公司于2026年5月1日催告后" in text
    assert "第五百六十三条第一款第（三）项" in text
    case.no_demand_ground = "purpose"
    case.no_demand_confirmed_at = FROZEN
    case.save(update_fields=["no_demand_ground", "no_demand_confirmed_at"])
    text = flat(pdf_text(issue(case, manager_user, kind="termination")))
    assert "第五百六十三条第一款第（四）项" in text and "催告" not in text


@pytest.mark.django_db
def test_forum_is_the_contracts_or_the_contract_and_the_law(shop_profile, manager_user):
    without = make_case(contract=_agency_contract(dispute_resolution=""))
    text = flat(pdf_text(issue(without, manager_user, kind="termination")))
    assert "依本合同约定及法律规定解决" in text
    assert shop_profile.dispute_forum not in text  # the shop's own choice is only a pre-fill
    agreed = make_case(
        contract=_agency_contract(number="HT-2026-0043", dispute_resolution="杭州仲裁委员会")
    )
    text = flat(pdf_text(issue(agreed, manager_user, kind="termination")))
    assert "依本合同约定提交杭州仲裁委员会解决" in text


@pytest.mark.django_db
def test_bank_details_only_when_the_partner_pays_the_shop(shop_profile, manager_user):
    account = flat(shop_profile.bank_account_number)
    case = make_case(contract=_agency_contract())
    SettlementLine.objects.create(
        case=case, kind="penalty", direction="to_shop", amount=Decimal("5000"), description=""
    )
    text = flat(pdf_text(issue(case, manager_user, kind="termination", language="bilingual")))
    assert account in text and "Liquidateddamages" in text and "Penalty" not in text
    case.settlement_lines.all().delete()
    SettlementLine.objects.create(
        case=case, kind="refund", direction="to_partner", amount=Decimal("800"), description=""
    )
    text = flat(pdf_text(issue(case, manager_user, kind="termination")))
    assert account not in text
    assert "请贵方书面提供收款账户" in text


@pytest.mark.django_db
def test_attachments_are_listed_only_when_they_exist(shop_profile, manager_user):
    case = make_case(contract=_agency_contract())
    text = flat(pdf_text(issue(case, manager_user, kind="termination")))
    assert "附件" not in text and "复印件" not in text
    EvidenceFile.objects.create(case=case, description="GMV周报截图", file="cases/evidence/x.pdf")
    EvidenceFile.objects.create(case=case, description="只有链接的证据", link="https://example.com")
    text = flat(pdf_text(issue(case, manager_user, kind="termination")))
    assert "附件" in text and "GMV周报截图" in text and "只有链接的证据" not in text


@pytest.mark.django_db
def test_creator_through_an_mcn_is_addressed_with_a_copy_to_the_mcn(shop_profile, manager_user):
    mcn = PartnerFactory(kind="mcn", name="鹿鸣MCN", company_name="上海鹿鸣文化传媒有限公司")
    creator = CreatorFactory(name="达人小鹿", mcn=mcn)
    case = make_case(partner=creator, basis=Basis.OPEN_ENDED)
    text = flat(pdf_text(issue(case, manager_user, kind="open_ended")))
    assert "抄送" in text and "上海鹿鸣文化传媒有限公司" in text
    assert "致：林晓露" in text  # the real name; the nickname follows it


# --- refusals: what a letter cannot go out without ------------------------------------------


def _approved(case, manager, kind="termination") -> Notice:
    with time_machine.travel(FROZEN, tick=False):
        notice = notice_draft(case=case, by=manager, kind=kind)
        return notice_approve(notice=notice, by=manager)


def _refused(notice, manager, match: str) -> None:
    with (
        time_machine.travel(FROZEN, tick=False),
        translation.override("en"),  # the message is matched in English
        pytest.raises(TransitionError, match=match),
    ):
        notice_issue(notice=notice, by=manager)
    notice.refresh_from_db()
    assert notice.status == Notice.Status.APPROVED and not notice.pdf and not notice.snapshot


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "match"),
    [("legal_name", "legal name"), ("credit_code", "credit code")],
)
def test_issue_refused_without_the_senders_name_or_credit_code(field, match, manager_user):
    from tests.factories import ShopProfileFactory

    ShopProfileFactory()
    ShopProfile.objects.filter(pk=1).update(**{field: ""})
    notice = _approved(make_case(contract=_agency_contract()), manager_user)
    _refused(notice, manager_user, match)


@pytest.mark.django_db
def test_issue_refused_without_a_shop_profile(manager_user):
    notice = _approved(make_case(contract=_agency_contract()), manager_user)
    _refused(notice, manager_user, "shop's legal name")


@pytest.mark.django_db
def test_issue_refused_without_the_addressees_legal_name(shop_profile, manager_user):
    contract = _agency_contract()
    contract.partner.company_name = ""
    contract.partner.save()
    _refused(_approved(make_case(contract=contract), manager_user), manager_user, "legal name")


@pytest.mark.django_db
def test_issue_refused_without_a_notice_address(shop_profile, manager_user):
    contract = _agency_contract(notice_address="", notice_email="", notice_messaging="")
    partner = contract.partner
    partner.notice_address = partner.notice_email = partner.notice_messaging = ""
    partner.save()
    notice = _approved(make_case(contract=contract), manager_user)
    _refused(notice, manager_user, "address, e-mail or messaging account for notices")


@pytest.mark.django_db
def test_issue_refused_without_the_contracts_identification(shop_profile, manager_user):
    contract = _agency_contract(number="", title="")
    notice = _approved(make_case(contract=contract), manager_user)
    _refused(notice, manager_user, "number and title")


@pytest.mark.django_db
def test_issue_refused_for_a_cooperation_nothing_identifies(shop_profile, manager_user):
    creator = CreatorFactory(douyin_id="", buyin_id="")
    case = make_case(partner=creator, basis=Basis.OPEN_ENDED)
    _refused(_approved(case, manager_user, kind="open_ended"), manager_user, "identification")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("missing", "match"),
    [({"agreed_terms": ""}, "agreed terms"), ({"agreed_end_date": None}, "agreed end date")],
)
def test_mutual_confirmation_refused_without_its_terms_or_date(
    missing, match, shop_profile, manager_user
):
    fields = {"agreed_end_date": datetime.date(2026, 8, 31), "agreed_terms": TERMS, **missing}
    case = make_case(contract=_agency_contract(), basis=Basis.MUTUAL, **fields)
    _refused(_approved(case, manager_user, kind="mutual"), manager_user, match)


@pytest.mark.django_db
def test_an_old_snapshot_still_previews(agency_case, manager_user, staff_client):
    """Letters issued before the wording moved to templates keep their sentences."""
    from django.urls import reverse

    notice = issue(agency_case, manager_user, kind="termination")
    Notice.objects.filter(pk=notice.pk).update(
        snapshot={
            "schema": 1,
            "kind": "termination",
            "language": "zh",
            "title": {"zh": "解除合同通知书", "en": ""},
            "sender": {"name": SENDER},
            "addressees": [],
            "sections": [
                {
                    "key": "end",
                    "heading": {"zh": "四、解除", "en": ""},
                    "paragraphs": [{"zh": "旧句子", "en": ""}],
                }
            ],
            "attachments": [],
        }
    )
    page = staff_client.get(reverse("terminations:notice_preview", args=[notice.pk]))
    assert page.status_code == 200
    assert "旧句子" in page.content.decode()


@pytest.mark.django_db
def test_no_handover_deadline_before_the_letters_own_date(shop_profile, manager_user):
    case = make_case(contract=_agency_contract(), end_date=datetime.date(2026, 5, 20))
    text = flat(pdf_text(issue(case, manager_user, kind="termination")))
    assert "请贵方于本合同解除之日24:00前完成以下交接事项" in text
    assert "请贵方于2026年5月20日" not in text


def test_letter_samples_render_every_kind_and_language_without_a_database(tmp_path):
    """`make letters`: no `django_db` mark, so any query would fail the test."""
    from django.core.management import call_command

    out = io.StringIO()
    call_command("letter_samples", out=str(tmp_path), no_png=True, stdout=out)
    names = sorted(path.stem for path in tmp_path.glob("*.pdf"))
    for kind in KINDS:
        for language in LANGUAGES:
            assert f"{kind}-{language}" in names
    for variant in ("creator", "creator-studio", "mcn-signed", "mcn-copied", "laike", "chat"):
        assert any(variant in name for name in names), variant
    assert str(tmp_path) in out.getvalue()

    def read(name: str) -> str:
        return flat("\n".join(page.extract_text() for page in PdfReader(tmp_path / name).pages))

    # Signed by the MCN: addressed to it, copied to the creator (real name, ID masked).
    mcn = read("variant-mcn-signed-zh.pdf")
    assert "致：上海鹿鸣文化传媒有限公司" in mcn and "第10.1条" in mcn and "第第" not in mcn
    assert "抄送（达人）陈小鹿" in mcn and "3101**********4566" in mcn
    assert "310104199203154566" not in mcn
    # Signed by the creator in person, an MCN involved: addressed to her, copied to the MCN.
    copied = read("variant-mcn-copied-zh.pdf")
    assert "致：林晓露" in copied and "抄送（签约机构（MCN））上海鹿鸣文化传媒有限公司" in copied
    # 来客: the store identifies the contract, and its handover items are demanded.
    laike = read("variant-laike-zh.pdf")
    assert "抖音来客门店「青禾烘焙（文三路店）」，门店ID：7012345678901234567" in laike
    assert "核销或退款" in laike and "解绑" in laike and "店铺ID" not in laike


@pytest.mark.django_db
def test_preview_names_what_the_letter_still_needs(shop_profile, manager_user, staff_client):
    from django.urls import reverse

    case = make_case(contract=_agency_contract(), basis=Basis.MUTUAL, agreed_terms="")
    notice = notice_draft(case=case, by=manager_user, kind="mutual")
    staff_client.cookies["django_language"] = "en"
    page = staff_client.get(reverse("terminations:notice_preview", args=[notice.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="letter-missing"' in html and "the agreed terms" in html


@pytest.mark.django_db
def test_claims_are_stated_apart_and_paid_lines_left_out(shop_profile, manager_user):
    case = make_case(
        contract=_agency_contract(),
        basis=Basis.BREACH,
        prior_demand_on=datetime.date(2026, 5, 1),
        prior_demand_until=datetime.date(2026, 5, 15),
    )
    SettlementLine.objects.create(
        case=case, kind="refund", direction="to_shop", amount=Decimal("1200"), description=""
    )
    SettlementLine.objects.create(
        case=case,
        kind="penalty",
        direction="to_shop",
        amount=Decimal("9000"),
        description="",
        is_claim=True,
    )
    SettlementLine.objects.create(
        case=case,
        kind="fee",
        direction="to_partner",
        amount=Decimal("400"),
        description="已付5月服务费",
        paid=True,
        paid_on=datetime.date(2026, 5, 20),
    )
    text = flat(pdf_text(issue(case, manager_user, kind="termination")))
    # The set-off counts the open agreed refund only.
    assert "相抵后，贵方应向本公司支付人民币1,200.00元" in text
    # The claim is stated as a claim, apart from the set-off; the paid fee is not listed.
    assert "此外，本公司依约主张：违约金人民币9,000.00元" in text
    assert "上述主张不计入前述相抵结果" in text
    assert "已付5月服务费" not in text
