"""Performance figures of the letters, one per line as `name value unit` (for `make bench`).

letter_render_median  warm render of a two-page bilingual letter (seconds; target <= 0.4)
letter_size           its PDF size (KB; target <= 300)
letter_worker_rss     resident memory of this process after 50 renders (MiB; target <= 300)

The letter is built from unsaved rows, so the command needs no database content.
"""

from __future__ import annotations

import statistics
import time
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from django.core.management.base import BaseCommand

from core.models import ShopProfile
from partners.models import Contract, Partner

RENDERS = 50


class _Rows(list):
    def all(self):
        return self


def _rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def sample_snapshot() -> dict:
    from terminations.letters import snapshot as snapshots

    profile = ShopProfile(
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
    partner = Partner(
        kind=Partner.Kind.AGENCY,
        name="星河代运营",
        company_name="杭州星河网络科技有限公司",
        credit_code="91330108MA27XY1234",
        notice_address="浙江省杭州市滨江区网商路 599 号",
        notice_email="notice@agency.example.com",
    )
    contract = Contract(
        partner=partner,
        number="HT-2026-0042",
        title="抖店代运营服务合同",
        signed_on=date(2026, 1, 5),
        start_date=date(2026, 1, 10),
        end_date=date(2027, 1, 9),
        clause_termination="12.2",
        clause_notice="12.3",
    )
    line = SimpleNamespace(
        kind="refund",
        direction="to_shop",
        amount=Decimal("12345.67"),
        is_claim=False,
        description="预付6月服务费",
        due_on=date(2026, 7, 15),
    )
    case = SimpleNamespace(
        reference="TC-2026-00042",
        partner=partner,
        contract=contract,
        basis="contractual",
        facts="",
        end_date=date(2026, 7, 3),
        end_date_nominal=date(2026, 7, 3),
        end_date_rule="art. 201, 203",
        end_date_confirmed=True,
        end_date_explanation_zh="到达日2026-06-03起算30日，期间最后一日为2026-07-03。",
        end_date_explanation_en="Arrival 2026-06-03 + 30 days = 2026-07-03.",
        reasonable_notice_days=30,
        cure_period_days=None,
        prior_demand_on=None,
        prior_demand_until=None,
        no_demand_ground="",
        no_demand_confirmed_at=None,
        agreed_on=None,
        agreed_end_date=None,
        agreed_terms="",
        settlement_lines=_Rows([line]),
        evidence=_Rows([]),
    )
    notice = SimpleNamespace(
        case=case,
        kind="termination",
        language="bilingual",
        facts="2026年3月至5月，贵方运营的店铺GMV连续三个月下降超过30%，且多次未按约定提交周报。",
        demands="",
        cure_period_days=None,
        withdraws=None,
        withdraws_id=None,
    )
    original_load = ShopProfile.load
    ShopProfile.load = classmethod(lambda cls: profile)
    try:
        return snapshots.build_snapshot(
            notice,
            letter_number="TC-2026-00042-L1-v1",
            verification_code="ABCD-EFGH-JKMN",
            issued_on=date(2026, 6, 1),
        )
    finally:
        ShopProfile.load = original_load


class Command(BaseCommand):
    help = "Render a two-page bilingual letter repeatedly and print the letters' figures."

    def handle(self, *args, **options) -> None:
        from terminations.letters.render import render_pdf

        snapshot = sample_snapshot()
        pdf = render_pdf(snapshot)  # cold: imports WeasyPrint, loads fonts
        timings = []
        for _ in range(RENDERS):
            start = time.perf_counter()
            pdf = render_pdf(snapshot)
            timings.append(time.perf_counter() - start)
        self.stdout.write(f"letter_render_median {statistics.median(timings):.3f} s")
        self.stdout.write(f"letter_size {len(pdf) / 1024:.0f} KB")
        self.stdout.write(f"letter_worker_rss {_rss_mib():.0f} MiB")
