"""Letters to creators and for 抖音来客 contracts, issued through the workflow and read back:
addressed to the party that signed (the creator by real name, her studio, or the MCN) with a copy
(抄送) to the other where an MCN is involved; an ID number only masked, and never in a snapshot, an
export or an evidence bundle; a 来客 contract identified by its store, with its handover items."""

import datetime
import io
import json
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from partners.models import Contract
from terminations.models import Basis, HandoverItem
from tests.factories import ContractFactory, CreatorFactory, PartnerFactory
from tests.terminations.letters.conftest import make_case
from tests.terminations.letters.test_letter_text import _approved, _refused, flat, issue, pdf_text

pytestmark = pytest.mark.django_db

ID_NUMBER = "33010619900101123X"
MASKED = "3301**********123X"
MCN_NAME = "上海鹿鸣文化传媒有限公司"


def _creator_case(creator, **contract_fields):
    contract = ContractFactory(
        partner=creator,
        number="DR-2026-007",
        title="达人带货合作协议",
        convenience_termination=True,
        clause_termination="8.1",
        **contract_fields,
    )
    return make_case(partner=creator, contract=contract, basis=Basis.CONTRACTUAL)


def _mcn():
    return PartnerFactory(kind="mcn", name="鹿鸣MCN", company_name=MCN_NAME)


def test_a_creator_in_person_is_addressed_by_real_name_with_the_id_masked(
    shop_profile, manager_user
):
    creator = CreatorFactory(name="林小鹿", real_name="林晓露", id_number=ID_NUMBER)
    notice = issue(_creator_case(creator), manager_user, kind="termination")
    text = flat(pdf_text(notice))
    assert "致：林晓露" in text and "收件人（达人）林晓露" in text
    assert f"身份证号：{MASKED}" in text and "达人昵称：林小鹿" in text
    assert ID_NUMBER not in text and "抄送" not in text
    # The frozen snapshot holds the masked number only.
    assert ID_NUMBER not in json.dumps(notice.snapshot, ensure_ascii=False)


def test_signed_by_the_mcn_the_letter_goes_to_the_mcn_with_a_copy_to_the_creator(
    shop_profile, manager_user
):
    mcn = _mcn()
    creator = CreatorFactory(
        name="达人小鹿",
        real_name="陈小鹿",
        id_number=ID_NUMBER,
        mcn=mcn,
        contracting_entity="mcn",
        notice_address="上海市徐汇区漕溪北路 88 号",
    )
    notice = issue(_creator_case(creator), manager_user, kind="termination", language="bilingual")
    text = flat(pdf_text(notice))
    assert f"致：{MCN_NAME}" in text
    assert "收件人/Addressee（签约机构（MCN）/creatoragency(MCN)）" + MCN_NAME in text
    assert "抄送/Copyto（达人/creator）陈小鹿" in text and MASKED in text
    # The contract's notice address falls back to the MCN's, the party that signed.
    assert text.index(mcn.notice_address.replace(" ", "")) < text.index("抄送")
    assert "促使签约达人陈小鹿" in text
    assert ID_NUMBER not in text


def test_signed_in_person_with_an_mcn_the_letter_goes_to_the_creator_copied_to_the_mcn(
    shop_profile, manager_user
):
    creator = CreatorFactory(name="达人小鹿", real_name="陈小鹿", mcn=_mcn())
    text = flat(pdf_text(issue(_creator_case(creator), manager_user, kind="termination")))
    assert "致：陈小鹿" in text
    assert f"抄送（签约机构（MCN））{MCN_NAME}" in text
    assert "促使签约达人" not in text


def test_a_creators_studio_is_addressed_by_its_registered_name(shop_profile, manager_user):
    creator = CreatorFactory(
        name="潮流阿May",
        real_name="梅雪",
        contracting_entity="studio",
        company_name="杭州市上城区阿May服饰工作室",
        credit_code="92330102MA2J5K6L7M",
    )
    text = flat(pdf_text(issue(_creator_case(creator), manager_user, kind="termination")))
    assert "致：杭州市上城区阿May服饰工作室" in text
    assert "收件人（达人工作室）杭州市上城区阿May服饰工作室" in text and "经营者：梅雪" in text


def test_issuing_to_a_creator_without_a_real_name_is_refused_naming_the_field(
    shop_profile, manager_user
):
    creator = CreatorFactory(name="林小鹿", real_name="")
    notice = _approved(_creator_case(creator), manager_user)
    _refused(notice, manager_user, r"the real name \(真实姓名\) of 林小鹿")


def test_issuing_to_a_studio_without_its_name_is_refused(shop_profile, manager_user):
    creator = CreatorFactory(name="潮流阿May", contracting_entity="studio", company_name="")
    notice = _approved(_creator_case(creator), manager_user)
    _refused(notice, manager_user, "registered name of the studio")


def test_issuing_for_an_mcn_without_its_legal_name_is_refused(shop_profile, manager_user):
    mcn = PartnerFactory(kind="mcn", name="鹿鸣MCN", company_name="")
    creator = CreatorFactory(mcn=mcn, contracting_entity="mcn")
    notice = _approved(_creator_case(creator), manager_user)
    _refused(notice, manager_user, "company legal name of 鹿鸣MCN")


# --- 抖音来客 ------------------------------------------------------------------------------


def _laike_case(**contract_fields):
    fields = {
        "partner": PartnerFactory(name="本地生活通", company_name="成都本地生活通科技有限公司"),
        "number": "LK-2026-0008",
        "title": "抖音来客门店代运营服务合同",
        "channel": Contract.Channel.LAIKE,
        "laike_store_name": "青禾烘焙（文三路店）",
        "laike_store_id": "7012345678901234567",
        "convenience_termination": True,
    }
    fields.update(contract_fields)
    contract = ContractFactory(**fields)
    case = make_case(
        contract=contract,
        end_date=datetime.date(2026, 7, 3),
        end_date_nominal=datetime.date(2026, 7, 3),
        end_date_rule="art. 201, 203",
    )
    done = {"status": "done", "completed_at": timezone.now()}
    for position, (code, extra) in enumerate(
        [
            ("laike_subaccounts", {"due_rule": "before_letter", **done}),
            ("laike_vouchers", {}),
            ("laike_unbind_store", {"status": "waived", "completed_at": timezone.now()}),
        ]
    ):
        HandoverItem.objects.create(case=case, code=code, title=code, position=position, **extra)
    return case


def test_a_laike_letter_names_the_store_and_demands_its_handover_items(shop_profile, manager_user):
    notice = issue(_laike_case(), manager_user, kind="termination")
    text = flat(pdf_text(notice))
    assert "涉及抖音来客门店「青禾烘焙（文三路店）」，门店ID：7012345678901234567" in text
    assert "抖音来客门店：青禾烘焙（文三路店）（门店ID7012345678901234567）" in text
    assert "店铺ID" not in text and "抖店「" not in text  # not identified by the 抖店 shop
    assert "4.交还在本公司抖音来客门店后台使用的全部子账号及员工账号" in text
    assert "5.配合本公司在门店解绑前核销或退款全部未核销的团购券" in text
    # A waived item is not demanded; the numbering stays contiguous.
    assert "解绑手续" not in text and "6.停止使用本公司的商标" in text
    assert notice.snapshot["store_items"] == ["laike_subaccounts", "laike_vouchers"]


def test_a_laike_letter_in_english_names_the_store(shop_profile, manager_user):
    text = flat(pdf_text(issue(_laike_case(), manager_user, kind="termination", language="en")))
    assert "concerningourDouyinLaikestore“青禾烘焙（文三路店）”(storeID7012345678901234567)" in text


def test_issuing_for_a_laike_contract_without_its_store_is_refused(shop_profile, manager_user):
    notice = _approved(_laike_case(laike_store_name="", laike_store_id=""), manager_user)
    _refused(notice, manager_user, "来客 store name")


# --- never exported -----------------------------------------------------------------------


def test_exports_and_the_evidence_bundle_never_hold_the_id_number(
    shop_profile, manager_user, manager_client
):
    creator = CreatorFactory(name="林小鹿", real_name="林晓露", id_number=ID_NUMBER)
    case = _creator_case(creator)
    issue(case, manager_user, kind="termination")

    csv = manager_client.get(reverse("terminations:case_export_csv")).getvalue().decode()
    assert "林小鹿" in csv and ID_NUMBER not in csv and MASKED not in csv

    xlsx = manager_client.get(reverse("terminations:case_export_xlsx")).content
    cells = [
        str(cell)
        for row in load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True)
        for cell in row
    ]
    assert any("林小鹿" in cell for cell in cells)
    assert not any(ID_NUMBER in cell or MASKED in cell for cell in cells)

    bundle = manager_client.get(reverse("terminations:case_bundle", args=[case.reference]))
    with zipfile.ZipFile(io.BytesIO(bundle.getvalue())) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            text = data.decode("utf-8", "ignore")
            if name.endswith(".pdf"):
                text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
            assert ID_NUMBER not in text, name


def test_a_mutual_confirmation_signed_by_the_mcn_has_a_block_for_each_party(
    shop_profile, manager_user
):
    creator = CreatorFactory(
        name="达人小鹿", real_name="陈小鹿", mcn=_mcn(), contracting_entity="mcn"
    )
    contract = ContractFactory(partner=creator, number="MCN-2026-011", title="达人推广合作协议")
    case = make_case(
        partner=creator,
        contract=contract,
        basis=Basis.MUTUAL,
        agreed_on=datetime.date(2026, 5, 20),
        agreed_end_date=datetime.date(2026, 8, 31),
        agreed_terms="双方就本合同再无其他争议。",
    )
    text = flat(pdf_text(issue(case, manager_user, kind="mutual")))
    assert f"乙方（签约机构（MCN））{MCN_NAME}" in text and "丙方（达人）陈小鹿" in text
    assert f"乙方（签字或盖章）：{MCN_NAME}" in text
    assert "丙方（签字）：陈小鹿" in text and "一式三份" in text
