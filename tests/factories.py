"""factory-boy factories for the models; each test builds only what it needs."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth.models import User

from core.models import ShopProfile
from partners.models import Contract, Partner


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")


class ShopProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShopProfile
        django_get_or_create = ("id",)

    id = 1
    legal_name = "杭州青禾电子商务有限公司"
    credit_code = "91330106MA2H3K4L5X"
    address = "浙江省杭州市西湖区文三路 90 号 8 楼"
    contact_name = "王丽"
    contact_phone = "0571-8888 6666"
    contact_email = "legal@qinghe.example.com"
    bank_name = "招商银行杭州分行"
    bank_account_name = "杭州青禾电子商务有限公司"
    bank_account_number = "5719 0888 1234 5678"
    dispute_forum = "杭州市西湖区人民法院"
    shop_name = "青禾优选旗舰店"
    shop_id = "DY-88912345"


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    kind = Partner.Kind.AGENCY
    name = factory.Sequence(lambda n: f"星河代运营{n}")
    company_name = factory.LazyAttribute(lambda p: f"{p.name}（杭州）网络科技有限公司")
    contact_name = "李经理"
    notice_address = "浙江省杭州市滨江区网商路 599 号"
    notice_email = factory.Sequence(lambda n: f"notice{n}@agency.example.com")


class CreatorFactory(PartnerFactory):
    kind = Partner.Kind.CREATOR
    name = factory.Sequence(lambda n: f"达人小鹿{n}")
    real_name = "林晓露"
    company_name = ""
    douyin_id = factory.Sequence(lambda n: f"xiaolu{n}")
    followers = 120000
    category = "美妆"


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    partner = factory.SubFactory(PartnerFactory)
    number = factory.Sequence(lambda n: f"HT-2026-{n:04d}")
    title = "抖店代运营服务合同"
    signed_on = datetime.date(2026, 1, 5)
    start_date = datetime.date(2026, 1, 10)
    end_date = datetime.date(2027, 1, 9)
    contract_value = Decimal("240000.00")
    monthly_fee = Decimal("20000.00")
    notice_period = 30
    # The shop may end it by notice (a right for convenience), as the typical agency contract
    # the tests assume; tests of the agreed-cause path turn it off.
    convenience_termination = True
