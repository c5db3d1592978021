"""Demo data for the register: users of each group, the shop profile, agencies, creators, an MCN
and their contracts — realistic, in Chinese, dated relative to today, and idempotent."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.db import transaction

from core import roles
from core.models import ShopProfile
from partners.models import Contract, Partner
from terminations.rules.choices import CountedFrom, PenaltyType, PeriodUnit

DEMO_PASSWORD = "demo-2026"

DEMO_USERS = (
    # username, full name as written in Chinese (family name first), group, superuser
    ("manager", "刘洋", roles.MANAGERS, False),
    ("staff", "张伟", roles.STAFF, False),
    ("staff2", "孙悦", roles.STAFF, False),
    ("viewer", "陈静", roles.VIEWERS, False),
    ("admin", "系统管理员", roles.MANAGERS, True),
)


@dataclass
class DemoRegister:
    users: dict[str, User]
    partners: list[Partner]
    contracts: list[Contract]


def _months_before(day: datetime.date, months: int) -> datetime.date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    return datetime.date(year, month + 1, min(day.day, 28))


def seed_users() -> dict[str, User]:
    users = {}
    for username, full_name, group, superuser in DEMO_USERS:
        # Chinese names are written family name first, so the whole name goes in first_name:
        # get_full_name() would otherwise print "洋 刘".
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": full_name,
                "email": f"{username}@qinghe.example.com",
                "is_staff": superuser,
                "is_superuser": superuser,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=group))
        users[username] = user
    return users


def seed_shop_profile() -> ShopProfile:
    profile, _ = ShopProfile.objects.get_or_create(
        pk=1,
        defaults={
            "legal_name": "杭州青禾电子商务有限公司",
            "credit_code": "91330106MA2H3K4L5X",
            "address": "浙江省杭州市西湖区文三路 90 号东部软件园 8 号楼 6 层",
            "contact_name": "刘洋",
            "contact_phone": "0571-8888 6666",
            "contact_email": "legal@qinghe.example.com",
            "bank_name": "招商银行杭州高新支行",
            "bank_account_name": "杭州青禾电子商务有限公司",
            "bank_account_number": "5719 0888 1234 5678",
            "dispute_forum": "杭州市西湖区人民法院",
            "shop_name": "青禾优选旗舰店",
            "shop_id": "DY-88912345",
            "sender_email": "notices@qinghe.example.com",
        },
    )
    if not profile.sender_email:  # a demo database seeded before letters were e-mailed
        profile.sender_email = "notices@qinghe.example.com"
        profile.save(update_fields=["sender_email"])
    return profile


_FILLED_LATER = (
    "real_name",
    "contracting_entity",
    "id_number",
    "company_name",
    "credit_code",
    "laike_store_name",
    "laike_store_id",
    "clause_notice_channels",
    "notice_email",
)


def seed_register(*, users: dict[str, User], today: datetime.date) -> DemoRegister:
    staff, staff2 = users["staff"], users["staff2"]
    partners: list[Partner] = []
    contracts: list[Contract] = []

    def fill_new_fields(obj, fields: dict) -> None:
        # Fields added after a demo database was seeded are filled in where still empty.
        empty = {
            name: value
            for name, value in fields.items()
            if name in _FILLED_LATER and value and not getattr(obj, name)
        }
        if empty:
            for name, value in empty.items():
                setattr(obj, name, value)
            obj.save(update_fields=list(empty))

    def partner(name: str, **fields) -> Partner:
        obj, created = Partner.objects.get_or_create(name=name, defaults=fields)
        if not created:
            fill_new_fields(obj, fields)
        partners.append(obj)
        return obj

    def contract(p: Partner, number: str, **fields) -> Contract:
        obj, created = Contract.objects.get_or_create(partner=p, number=number, defaults=fields)
        if not created:
            fill_new_fields(obj, fields)
        contracts.append(obj)
        return obj

    year_ago = _months_before(today, 12)
    half_year_ago = _months_before(today, 6)

    mcn = partner(
        "星耀文化传媒（MCN）",
        kind=Partner.Kind.MCN,
        company_name="杭州星耀文化传媒有限公司",
        credit_code="91330110MA27XY1234",
        contact_name="周敏",
        contact_phone="138 0571 2233",
        notice_address="浙江省杭州市余杭区文一西路 969 号 3 幢",
        notice_email="legal@xingyao-mcn.example.com",
    )
    agencies = [
        partner(
            "云启代运营",
            kind=Partner.Kind.AGENCY,
            company_name="杭州云启网络科技有限公司",
            credit_code="91330108MA2KQ8R51T",
            contact_name="李强",
            contact_phone="139 0000 1111",
            notice_address="浙江省杭州市滨江区网商路 599 号 2 号楼 5 层",
            notice_email="service@yunqi.example.com",
            notice_messaging="企业微信：yunqi-li",
        ),
        partner(
            "飞梭电商服务",
            kind=Partner.Kind.AGENCY,
            company_name="上海飞梭电子商务服务有限公司",
            credit_code="91310115MA1H9K2P3Q",
            contact_name="王珊",
            notice_address="上海市浦东新区张江路 88 号 12 层",
            notice_email="contract@feisuo.example.com",
        ),
        partner(
            "本地生活通",
            kind=Partner.Kind.AGENCY,
            company_name="成都本地生活通科技有限公司",
            credit_code="91510100MA6C7D8E9F",
            contact_name="赵磊",
            notice_address="四川省成都市高新区天府大道中段 1268 号",
            notice_email="bd@bdshtong.example.com",
        ),
    ]
    creators = [
        partner(
            "小鹿爱美妆",
            kind=Partner.Kind.CREATOR,
            # Signed by the MCN (a three-party contract): letters go to the MCN, copied to her.
            real_name="鹿晓雯",
            contracting_entity=Partner.Entity.MCN,
            id_number="330110199604123526",
            douyin_id="xiaolu_beauty",
            buyin_id="BY7788123",
            mcn=mcn,
            contact_name="小鹿（经纪人 周敏）",
            notice_email="xiaolu@xingyao-mcn.example.com",
            followers=860000,
            category="美妆个护",
            conversion_rate=Decimal("3.20"),
            reputation=88,
        ),
        partner(
            "阿杰数码测评",
            kind=Partner.Kind.CREATOR,
            real_name="林杰",
            contracting_entity=Partner.Entity.PERSON,
            id_number="330106198811074211",
            douyin_id="ajie_digital",
            buyin_id="BY5566001",
            contact_name="林杰",
            notice_messaging="抖音私信：ajie_digital",
            followers=240000,
            category="数码家电",
            conversion_rate=Decimal("1.85"),
            reputation=72,
        ),
        partner(
            "厨房里的陈姐",
            kind=Partner.Kind.CREATOR,
            real_name="陈红",
            contracting_entity=Partner.Entity.PERSON,
            douyin_id="chenjie_kitchen",
            contact_name="陈红",
            notice_messaging="微信：chenjie_kitchen",
            followers=53000,
            category="食品生鲜",
            conversion_rate=Decimal("4.10"),
            reputation=91,
        ),
        partner(
            "潮流阿May",
            kind=Partner.Kind.CREATOR,
            # Signed through her studio (个体工商户): letters go to the studio.
            real_name="梅雪",
            contracting_entity=Partner.Entity.STUDIO,
            company_name="杭州市上城区阿May服饰工作室",
            credit_code="92330102MA2J5K6L7M",
            douyin_id="may_style",
            contact_name="梅雪",
            notice_messaging="抖音私信：may_style",
            followers=410000,
            category="服饰鞋包",
            conversion_rate=Decimal("0.90"),
            reputation=61,
        ),
        partner(
            "户外老周",
            kind=Partner.Kind.CREATOR,
            real_name="周建国",
            contracting_entity=Partner.Entity.PERSON,
            douyin_id="laozhou_outdoor",
            contact_name="周建国",
            notice_messaging="微信：laozhou-outdoor",
            followers=120000,
            category="运动户外",
            reputation=79,
        ),
    ]

    common = {
        "responsible": staff,
        "signed_on": year_ago,
        "clause_notice": "9.2",
        "clause_termination": "9.1",
    }
    contract(
        agencies[0],
        "QH-DY-2025-017",
        title="抖店代运营服务合同",
        start_date=year_ago,
        end_date=today + datetime.timedelta(days=40),
        auto_renews=True,
        renewal_term_months=12,
        non_renewal_period=30,
        non_renewal_unit=PeriodUnit.DAYS,
        contract_value=Decimal("360000.00"),
        fee_model=Contract.FeeModel.MONTHLY_PLUS_COMMISSION,
        monthly_fee=Decimal("25000.00"),
        commission_rate=Decimal("3.00"),
        prepaid_amount=Decimal("75000.00"),
        prepaid_from=_months_before(today, 1),
        prepaid_to=_months_before(today, -2),
        deposit_kind=Contract.DepositKind.SECURITY,
        deposit_amount=Decimal("20000.00"),
        deposit_holder=Contract.DepositHolder.PARTNER,
        notice_period=30,
        notice_unit=PeriodUnit.DAYS,
        convenience_termination=True,
        penalty_type=PenaltyType.MONTHS,
        penalty_value=Decimal("1"),
        clause_penalty="11.3",
        # The contract names an e-mail for notices: its letters may go by e-mail as notices.
        notice_email="legal@yunqi.example.com",
        clause_notice_channels="15.2",
        **common,
    )
    contract(
        agencies[1],
        "FS-2026-003",
        title="抖音小店全案运营合作协议",
        start_date=half_year_ago,
        end_date=_months_before(today, -18),
        contract_value=Decimal("480000.00"),
        fee_model=Contract.FeeModel.MONTHLY,
        monthly_fee=Decimal("20000.00"),
        prepaid_amount=Decimal("60000.00"),
        prepaid_from=_months_before(today, 1),
        prepaid_to=_months_before(today, -2),
        notice_period=3,
        notice_unit=PeriodUnit.MONTHS,
        convenience_termination=True,
        penalty_type=PenaltyType.PERCENT,
        penalty_value=Decimal("10"),
        clause_penalty="12",
        notice_email="legal@feisuo.example.com",
        clause_notice_channels="14.1",
        **common,
    )
    contract(
        agencies[2],
        "BDSH-LK-2026-021",
        title="抖音来客门店代运营服务合同",
        channel=Contract.Channel.LAIKE,
        laike_store_name="青禾烘焙（春熙路店）",
        laike_store_id="7031845296017283641",
        start_date=half_year_ago,
        end_date=_months_before(today, -6),
        auto_renews=True,
        renewal_term_months=6,
        contract_value=Decimal("96000.00"),
        fee_model=Contract.FeeModel.FIXED,
        project_fee=Decimal("96000.00"),
        notice_period=15,
        notice_unit=PeriodUnit.WORKDAYS,
        notice_counted_from=CountedFrom.DISPATCH,
        clause_counting="第 15.4 条（期间自发出之日起算）",
        penalty_type=PenaltyType.FIXED,
        penalty_value=Decimal("10000.00"),
        clause_penalty="13",
        notice_email="legal@bdshtong.example.com",
        clause_notice_channels="15.2",
        responsible=staff2,
        signed_on=half_year_ago,
    )
    contract(
        creators[0],
        "XY-MCN-2026-088",
        title="达人带货合作协议（三方）",
        start_date=half_year_ago,
        end_date=_months_before(today, -6),
        contract_value=Decimal("150000.00"),
        fee_model=Contract.FeeModel.COMMISSION,
        commission_rate=Decimal("20.00"),
        deposit_kind=Contract.DepositKind.EARNEST,
        deposit_amount=Decimal("10000.00"),
        deposit_holder=Contract.DepositHolder.SHOP,
        notice_period=3,
        notice_unit=PeriodUnit.MONTHS,
        penalty_type=PenaltyType.FIXED,
        penalty_value=Decimal("30000.00"),
        clause_penalty="8",
        **common,
    )
    contract(
        creators[1],
        "AJ-2026-005",
        title="专属推广合作协议",
        start_date=half_year_ago,
        end_date=today + datetime.timedelta(days=20),
        auto_renews=True,
        renewal_term_months=3,
        non_renewal_period=10,
        non_renewal_unit=PeriodUnit.WORKDAYS,
        contract_value=Decimal("60000.00"),
        fee_model=Contract.FeeModel.COMMISSION,
        commission_rate=Decimal("25.00"),
        notice_period=10,
        notice_unit=PeriodUnit.WORKDAYS,
        **common,
    )
    # Creators on chat agreements only: no written contract, open-ended.
    for creator in creators[2:]:
        contract(
            creator,
            f"CHAT-{creator.douyin_id}",
            title="微信聊天约定的带货合作（无书面合同）",
            written=False,
            start_date=half_year_ago,
            end_date=None,
            fee_model=Contract.FeeModel.COMMISSION,
            commission_rate=Decimal("20.00"),
            notice_period=30,
            notice_unit=PeriodUnit.DAYS,
            responsible=staff2,
        )
    return DemoRegister(users=users, partners=partners, contracts=contracts)


@transaction.atomic
def seed_all(*, today: datetime.date) -> DemoRegister:
    users = seed_users()
    seed_shop_profile()
    return seed_register(users=users, today=today)
