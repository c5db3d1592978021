"""Sample letters from fixed, unsaved rows: one of each kind in each language, plus a creator by
real name (ID number masked), a creator's studio, a creator signed through an MCN (addressed to the
MCN, copied to the creator), a creator who signed in person with an MCN involved (copied to the
MCN), a 抖音来客 contract (its store, its handover items) and a cooperation agreed in chat.
`make letters` renders them for anyone to read (`manage.py letter_samples`); nothing touches the
database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from core.models import ShopProfile
from partners.models import Contract, Partner

ISSUED_ON = date(2026, 6, 1)
LANGUAGES = ("zh", "en", "bilingual")


class Rows(list):
    """Stands in for a related manager: `.all()` of unsaved rows."""

    def all(self):
        return self

    def exists(self) -> bool:
        return bool(self)


def shop_profile() -> ShopProfile:
    return ShopProfile(
        legal_name="杭州青禾电子商务有限公司",
        credit_code="91330106MA2H3K4L5X",
        address="浙江省杭州市西湖区文三路 90 号 8 楼",
        contact_name="王丽",
        contact_phone="0571-8888 6666",
        contact_email="legal@qinghe.example.com",
        bank_name="招商银行杭州分行",
        bank_account_name="杭州青禾电子商务有限公司",
        bank_account_number="5719 0888 1234 5678",
        dispute_forum="杭州市西湖区人民法院",
        shop_name="青禾优选旗舰店",
        shop_id="DY-88912345",
    )


@contextmanager
def sample_profile() -> Iterator[ShopProfile]:
    """`ShopProfile.load()` returns the sample profile inside the block."""
    profile = shop_profile()
    original = ShopProfile.load
    ShopProfile.load = classmethod(lambda cls: profile)
    try:
        yield profile
    finally:
        ShopProfile.load = original


def _agency() -> Partner:
    return Partner(
        pk=1,
        kind=Partner.Kind.AGENCY,
        name="星河代运营",
        company_name="杭州星河网络科技有限公司",
        credit_code="91330108MA27XY1234",
        notice_address="浙江省杭州市滨江区网商路 599 号",
        notice_email="notice@agency.example.com",
    )


def _agency_contract(partner: Partner, *, open_ended: bool = False) -> Contract:
    contract = Contract(
        partner=partner,
        number="HT-2026-0042",
        title="抖店代运营服务合同",
        signed_on=date(2026, 1, 5),
        start_date=date(2026, 1, 10),
        end_date=None if open_ended else date(2027, 1, 9),
        clause_termination="12.2",
        clause_notice="12.3",
        clause_penalty="13",
        convenience_termination=True,
        dispute_resolution="杭州仲裁委员会",
    )
    contract.signed_document.name = "contracts/2026/HT-2026-0042.pdf"
    return contract


def _line(
    kind: str,
    direction: str,
    amount: str,
    description: str,
    due: date | None = None,
    description_en: str = "",
):
    return SimpleNamespace(
        kind=kind,
        direction=direction,
        amount=Decimal(amount),
        is_claim=False,
        paid=False,
        description=description,
        description_en=description_en,
        due_on=due,
    )


def _case(partner, contract, *, basis: str, reference: str = "TC-2026-00042", **extra):
    fields = {
        "reference": reference,
        "partner": partner,
        "contract": contract,
        "contract_id": 1 if contract is not None else None,
        "basis": basis,
        "facts": "",
        "end_date": date(2026, 7, 3),
        "end_date_nominal": date(2026, 7, 3),
        "end_date_rule": "art. 201, 203",
        "end_date_confirmed": True,
        "end_date_explanation_zh": "到达日2026-06-03起算30日，期间最后一日为2026-07-03。",
        "end_date_explanation_en": "Arrival 2026-06-03 + 30 days = 2026-07-03.",
        "reasonable_notice_days": 30,
        "cure_period_days": 15,
        "prior_demand_on": None,
        "prior_demand_until": None,
        "no_demand_ground": "",
        "no_demand_confirmed_at": None,
        "agreed_on": None,
        "agreed_end_date": None,
        "agreed_terms": "",
        "agreed_terms_en": "",
        "agreed_cause": "",
        "agreed_cause_en": "",
        "agreed_cause_clause": "",
        "agreed_cause_evidence": None,
        "settlement_lines": Rows(
            [
                _line(
                    "refund",
                    "to_shop",
                    "12345.67",
                    "预付6月服务费",
                    date(2026, 7, 15),
                    "June service fee paid in advance",
                )
            ]
        ),
        "evidence": Rows(
            [
                SimpleNamespace(
                    file="cases/evidence/gmv.pdf",
                    description="GMV 周报截图",
                    description_en="Screenshots of the weekly GMV reports",
                )
            ]
        ),
        "handover_items": Rows([]),
    }
    fields.update(extra)
    return SimpleNamespace(**fields)


def _notice(case, kind: str, language: str, **extra):
    fields = {
        "case": case,
        "kind": kind,
        "language": language,
        "facts": "2026年3月至5月，贵方运营的店铺GMV连续三个月下降超过30%，且多次未按约定提交周报。",
        "facts_en": (
            "From March to May 2026 the GMV of the shop you ran fell by more than 30% three "
            "months running, and you repeatedly failed to submit the agreed weekly reports."
        ),
        "demands": "",
        "demands_en": "",
        "fixed_end_date": None,
        "cure_period_days": 15 if kind == "cure" else None,
        "withdraws": None,
        "withdraws_id": None,
    }
    fields.update(extra)
    return SimpleNamespace(**fields)


def _withdrawn_letter(case):
    return SimpleNamespace(
        kind="termination",
        letter_number=f"{case.reference}-L1-v1",
        number_or_draft=f"{case.reference}-L1-v1",
        issued_at=datetime(2026, 5, 28, 10, tzinfo=ZoneInfo("Asia/Shanghai")),
        pdf="letters/2026/TC-2026-00042-L1-v1.pdf",
        deliveries=Rows([SimpleNamespace(dispatched_on=date(2026, 5, 28))]),
    )


def agency_notice(kind: str, language: str):
    agency = _agency()
    if kind == "open_ended":
        case = _case(agency, _agency_contract(agency, open_ended=True), basis="open_ended")
        return _notice(case, kind, language)
    contract = _agency_contract(agency)
    if kind == "mutual":
        case = _case(
            agency,
            contract,
            basis="mutual",
            end_date=date(2026, 8, 31),
            agreed_on=date(2026, 5, 20),
            agreed_end_date=date(2026, 8, 31),
            agreed_terms=(
                "1. 乙方于2026年9月15日前向甲方退还甲方预付的9月服务费人民币20,000.00元；\n"
                "2. 乙方保证金人民币30,000.00元于交接完成后10个工作日内退还；\n"
                "3. 除本确认函约定外，双方就本合同再无其他争议。"
            ),
            agreed_terms_en=(
                "1. Party B refunds to Party A the September service fee of CNY 20,000.00 "
                "that Party A paid in advance, by 15 September 2026;\n"
                "2. Party B's deposit of CNY 30,000.00 is returned within 10 working days after "
                "the handover is complete;\n"
                "3. Save as this confirmation provides, no other dispute remains between the "
                "parties under the Contract."
            ),
            settlement_lines=Rows(
                [
                    _line(
                        "deposit",
                        "to_partner",
                        "30000.00",
                        "退还保证金",
                        date(2026, 9, 15),
                        "Return of the deposit",
                    ),
                    _line(
                        "refund",
                        "to_shop",
                        "20000.00",
                        "退还预付的9月服务费",
                        date(2026, 9, 15),
                        "September service fee paid in advance",
                    ),
                ]
            ),
        )
        return _notice(case, kind, language, facts="")
    if kind == "cure":
        case = _case(agency, contract, basis="breach")
        return _notice(
            case,
            kind,
            language,
            facts="贵方自2026年5月10日起停止直播排期，至今未恢复，违反本合同第5.2条的约定。",
            facts_en=(
                "Since 10 May 2026 you have scheduled no live streams and have not resumed "
                "them, in breach of clause 5.2 of the Contract."
            ),
            demands="恢复每周不少于5场直播，并提交5月10日以来的运营数据周报。",
            demands_en=(
                "Resume at least 5 live streams a week and submit the weekly operating "
                "reports since 10 May."
            ),
        )
    case = _case(agency, contract, basis="contractual")
    if kind == "withdrawal":
        letter = _withdrawn_letter(case)
        return _notice(case, kind, language, facts="", withdraws=letter, withdraws_id=1)
    return _notice(case, kind, language)


def agreed_cause_notice(language: str = "zh"):
    """A contract without a right to end for convenience, ended for the agreed cause it names,
    with a termination date fixed in the letter (the later of it and the period governs)."""
    agency = _agency()
    contract = _agency_contract(agency)
    contract.convenience_termination = False
    case = _case(
        agency,
        contract,
        basis="contractual",
        agreed_cause="2026年3月至5月店铺GMV连续三个月低于合同约定的月度保底GMV（50万元）。",
        agreed_cause_en=(
            "The shop's GMV stayed below the agreed monthly minimum of CNY 500,000 three months "
            "running, from March to May 2026."
        ),
        agreed_cause_clause="9.2",
        agreed_cause_evidence="cases/evidence/gmv.pdf",
    )
    return _notice(case, "termination", language, fixed_end_date=date(2026, 7, 31))


def _creator(pk: int, **fields) -> Partner:
    values = {
        "pk": pk,
        "kind": Partner.Kind.CREATOR,
        "name": "林小鹿",
        "real_name": "林晓露",
        "id_number": "33010619900101123X",
        "douyin_id": "xiaolu_88",
        "buyin_id": "BY-7788123",
        "notice_address": "上海市徐汇区漕溪北路 88 号",
        "notice_messaging": "微信 xiaolu_88",
    }
    values.update(fields)
    return Partner(**values)


def _creator_contract(partner: Partner, number: str = "DR-2026-007") -> Contract:
    return Contract(
        partner=partner,
        number=number,
        title="达人带货合作协议",
        signed_on=date(2026, 2, 1),
        start_date=date(2026, 2, 1),
        end_date=date(2026, 12, 31),
        clause_termination="第 8.1 条",
        clause_notice="8.2",
        convenience_termination=True,
    )


def _creator_case(creator: Partner, contract: Contract, reference: str):
    return _case(
        creator,
        contract,
        basis="contractual",
        reference=reference,
        settlement_lines=Rows(
            [_line("fee", "to_partner", "3000.00", "5月坑位费", date(2026, 7, 10), "May slot fee")]
        ),
        evidence=Rows([]),
    )


def creator_notice(language: str = "zh"):
    """A creator who signed in person: addressed by real name, the ID number masked; the shop
    owes a fee."""
    creator = _creator(2, contracting_entity=Partner.Entity.PERSON)
    case = _creator_case(creator, _creator_contract(creator), "TC-2026-00043")
    return _notice(case, "termination", language, facts="")


def studio_notice(language: str = "zh"):
    """A creator who signed through a studio (个体工商户): addressed to the studio."""
    creator = _creator(
        6,
        contracting_entity=Partner.Entity.STUDIO,
        company_name="上海市徐汇区晓露文化工作室",
        credit_code="92310104MA1K8L9M2N",
        id_number="",
    )
    case = _creator_case(creator, _creator_contract(creator, "DR-2026-012"), "TC-2026-00046")
    return _notice(case, "termination", language, facts="")


def _mcn() -> Partner:
    return Partner(
        pk=3,
        kind=Partner.Kind.MCN,
        name="鹿鸣MCN",
        company_name="上海鹿鸣文化传媒有限公司",
        credit_code="91310104MA1FR2AB3C",
        notice_address="上海市徐汇区虹桥路 1 号",
        notice_email="legal@luming-mcn.example.com",
    )


def mcn_notice(language: str = "zh"):
    """A creator signed by an MCN: the MCN signed, so the letter is addressed to it (the
    contract's notice address is the MCN's) and copied (抄送) to the creator."""
    creator = _creator(
        4,
        name="达人小鹿",
        real_name="陈小鹿",
        id_number="310104199203154566",
        douyin_id="xiaolu_mcn",
        buyin_id="",
        notice_messaging="",
        contracting_entity=Partner.Entity.MCN,
        mcn=_mcn(),
    )
    contract = _creator_contract(creator, "MCN-2026-011")
    contract.title = "达人推广合作协议"
    contract.clause_termination = "10.1"
    contract.clause_notice = ""
    case = _creator_case(creator, contract, "TC-2026-00044")
    return _notice(case, "termination", language, facts="")


def mcn_person_notice(language: str = "zh"):
    """A creator who signed in person although managed by an MCN: addressed to the creator,
    copied (抄送) to the MCN."""
    creator = _creator(7, contracting_entity=Partner.Entity.PERSON, mcn=_mcn())
    case = _creator_case(creator, _creator_contract(creator, "DR-2026-015"), "TC-2026-00047")
    return _notice(case, "termination", language, facts="")


def laike_notice(language: str = "zh"):
    """An agency running the shop's 抖音来客 store: the contract is identified by the store, and
    the store's handover items of the case are demanded."""
    agency = _agency()
    contract = _agency_contract(agency)
    contract.number = "LK-2026-0008"
    contract.title = "抖音来客门店代运营服务合同"
    contract.channel = Contract.Channel.LAIKE
    contract.laike_store_name = "青禾烘焙（文三路店）"
    contract.laike_store_id = "7012345678901234567"
    contract.signed_document.name = "contracts/2026/LK-2026-0008.pdf"
    items = Rows(
        [
            SimpleNamespace(code="agency_passwords", status="done"),
            SimpleNamespace(code="laike_subaccounts", status="open"),
            SimpleNamespace(code="agency_materials", status="open"),
            SimpleNamespace(code="laike_vouchers", status="open"),
            SimpleNamespace(code="laike_unbind_store", status="open"),
        ]
    )
    case = _case(
        agency, contract, basis="contractual", reference="TC-2026-00048", handover_items=items
    )
    return _notice(
        case,
        "termination",
        language,
        facts="2026年3月至5月，贵方运营的来客门店核销率连续三个月低于约定的40%。",
    )


def chat_notice(language: str = "zh"):
    """A cooperation agreed in chat, with no fixed term: ended by the open-ended notice."""
    creator = Partner(
        pk=5,
        kind=Partner.Kind.CREATOR,
        name="阿禾好物",
        real_name="何禾",
        douyin_id="ahe_goods",
        notice_messaging="微信 ahe_goods",
    )
    contract = Contract(
        partner=creator,
        number="CHAT-2026-003",
        title="微信确认的带货合作",
        written=False,
        start_date=date(2026, 3, 12),
        end_date=None,
    )
    contract.signed_document.name = "contracts/2026/chat-2026-003.pdf"
    case = _case(
        creator,
        contract,
        basis="open_ended",
        reference="TC-2026-00045",
        settlement_lines=Rows([]),
        evidence=Rows([]),
    )
    return _notice(case, "open_ended", language, facts="")


def samples() -> Iterator[tuple[str, object]]:
    """(file name, notice) for every sample letter."""
    for kind in ("termination", "cure", "open_ended", "mutual", "withdrawal"):
        for language in LANGUAGES:
            yield f"{kind}-{language}", agency_notice(kind, language)
    yield "variant-creator-zh", creator_notice("zh")
    yield "variant-creator-bilingual", creator_notice("bilingual")
    yield "variant-creator-studio-zh", studio_notice("zh")
    yield "variant-mcn-signed-zh", mcn_notice("zh")
    yield "variant-mcn-signed-en", mcn_notice("en")
    yield "variant-mcn-copied-zh", mcn_person_notice("zh")
    yield "variant-laike-zh", laike_notice("zh")
    yield "variant-laike-bilingual", laike_notice("bilingual")
    yield "variant-chat-cooperation-zh", chat_notice("zh")
    yield "variant-chat-cooperation-en", chat_notice("en")
    yield "variant-agreed-cause-fixed-date-zh", agreed_cause_notice("zh")
    yield "variant-agreed-cause-fixed-date-bilingual", agreed_cause_notice("bilingual")
