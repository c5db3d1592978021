"""Bulk benchmark data: N realistic cases with their events, handover items, letters and
deliveries and settlement lines, written by `bulk_create` (TECH-NOTES.md "Bulk benchmark data":
the one accepted exception to "services only"). The rows have the shapes the services produce.

Bulk rows are marked by the reference prefix ``BULK-`` (and partner names ``批量``), so
re-running tops up to N instead of adding N more.

Speed (20,000 cases, about 280,000 rows, in well under a minute on SQLite): rows are plain dicts
written by `executemany` inside one transaction per batch, with primary keys assigned here so
children can refer to their parents without reading them back; every column the model
defines is written (Python-side defaults included), prepared for the database the way the ORM
would. PostgreSQL's sequences are reset afterwards, and the planner statistics refreshed
(ANALYZE), as after any bulk load.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max, Q
from django.utils import timezone

from core import roles
from partners.models import Contract, Partner
from terminations.models import (
    Basis,
    CaseEvent,
    Commission,
    Delivery,
    HandoverItem,
    Notice,
    ReasonCategory,
    SettlementLine,
    Stage,
    TerminationCase,
    stay_days,
)
from terminations.rules.dates import DateResult, notice_period_end

PREFIX = "BULK-"
BATCH = 5000
STAGE_WEIGHTS = [
    (Stage.ASSESSMENT, 10),
    (Stage.NEGOTIATION, 10),
    (Stage.NOTICE, 15),
    (Stage.HANDOVER, 15),
    (Stage.REVIEW, 10),
    (Stage.CLOSED, 35),
    (Stage.WITHDRAWN, 5),
]
PATH = [
    Stage.ASSESSMENT,
    Stage.NEGOTIATION,
    Stage.NOTICE,
    Stage.HANDOVER,
    Stage.REVIEW,
    Stage.CLOSED,
]
ITEMS = {
    Partner.Kind.AGENCY: [
        "修改抖店及抖音账号密码和绑定手机",
        "停用服务商子账号",
        "撤销巨量千川授权",
        "交接素材与数据报表",
        "删除或返还客户个人信息（书面确认）",
    ],
    Partner.Kind.CREATOR: [
        "关闭定向计划（提前一日）",
        "关闭并移出专属计划",
        "下架橱窗商品",
        "结算终止日前订单佣金",
        "收回样品",
    ],
}


def _aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _preparer(field: models.Field) -> Callable:
    """How the ORM would turn a Python value into a parameter for this column."""
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        return lambda v: ops.adapt_decimalfield_value(v, field.max_digits, field.decimal_places)
    if isinstance(field, models.JSONField):
        return lambda v: field.get_db_prep_save(v, connection)
    return lambda v: v


def _insert(model: type[models.Model], rows: list[dict], *, with_ids: bool) -> None:
    """INSERT every column of `model` for each row (keys are attnames); missing keys take the
    field's default, as `Model()` would."""
    if not rows:
        return
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if with_ids or not f.primary_key]
    plan = []
    for f in fields:
        prepare = _preparer(f)
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            default = prepare(now)
        else:
            default = f.get_db_prep_save(f.get_default(), connection)
        plan.append((f.attname, prepare, default))
    qn = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        qn(model._meta.db_table),
        ", ".join(qn(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    params = [
        [prepare(row[name]) if name in row else default for name, prepare, default in plan]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _next_ids(*models_: type[models.Model]) -> dict:
    return {m: (m.objects.aggregate(top=Max("pk"))["top"] or 0) + 1 for m in models_}


def _benchmark_letter_pdf(letter_number: str, issued_on: date) -> bytes:
    """A one-page PDF naming the letter: real stored bytes for each generated letter, so that
    downloads, hashes and the verification page behave as for issued letters, without rendering
    20,000 letters through WeasyPrint. Its text says it is benchmark data."""
    text = f"Benchmark letter {letter_number}, issued {issued_on.isoformat()} (generated data)"
    stream = f"BT /F1 12 Tf 72 770 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _store_benchmark_letter(letter_number: str, issued_on: date) -> tuple[str, str]:
    """Store a generated letter's PDF under the letters' folder: (file name, SHA-256)."""
    data = _benchmark_letter_pdf(letter_number, issued_on)
    name = default_storage.save(f"letters/{issued_on:%Y}/{letter_number}.pdf", ContentFile(data))
    return name, hashlib.sha256(data).hexdigest()


def seed_bulk_cases(n: int, *, today: date) -> int:
    """Create bulk cases until there are `n`; returns how many were created."""
    existing = TerminationCase.objects.filter(reference__startswith=PREFIX).count()
    missing = max(0, n - existing)
    if not missing:
        return 0
    User = get_user_model()
    owners = list(
        User.objects.filter(Q(groups__name__in=(roles.STAFF, roles.MANAGERS)))
        .distinct()
        .values_list("pk", flat=True)
    ) or [None]
    for start in range(existing, existing + missing, BATCH):
        _seed_batch(
            range(start, min(start + BATCH, existing + missing)), today=today, owners=owners
        )
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(
            no_style(), [Partner, Contract, TerminationCase, Notice]
        ):
            cursor.execute(statement)
        # Fresh planner statistics: without them SQLite sorts every open case for the list.
        cursor.execute("ANALYZE")
    return missing


@functools.lru_cache(maxsize=4096)
def _notice_end(arrival: date, days: int) -> DateResult:
    return notice_period_end(start=arrival, period=days, unit="days")


@transaction.atomic
def _seed_batch(numbers: range, *, today: date, owners: list) -> None:
    rng = random.Random(numbers.start)
    stages = [s for s, _ in STAGE_WEIGHTS]
    weights = [w for _, w in STAGE_WEIGHTS]
    ids = _next_ids(Partner, Contract, TerminationCase, Notice)

    partners, contracts, cases = [], [], []
    for offset, i in enumerate(numbers):
        kind = Partner.Kind.AGENCY if i % 3 else Partner.Kind.CREATOR
        partner_id = ids[Partner] + offset
        partners.append(
            {
                "id": partner_id,
                "kind": kind,
                "name": f"批量{'代运营' if kind == Partner.Kind.AGENCY else '达人'}{i:06d}",
                "company_name": f"批量{i:06d}网络科技有限公司"
                if kind == Partner.Kind.AGENCY
                else "",
                "contact_name": "联系人",
                "notice_address": "浙江省杭州市滨江区网商路 599 号",
                "notice_email": f"bulk{i}@example.com",
                "status": Partner.Status.ACTIVE,
            }
        )
        start = today - timedelta(days=rng.randint(60, 700))
        contract_id = ids[Contract] + offset
        contracts.append(
            {
                "id": contract_id,
                "partner_id": partner_id,
                "number": f"BULK-HT-{i:06d}",
                "title": "抖店代运营服务合同"
                if kind == Partner.Kind.AGENCY
                else "达人带货合作协议",
                "signed_on": start - timedelta(days=5),
                "start_date": start,
                "end_date": start + timedelta(days=365 + rng.randint(0, 400)),
                "auto_renews": i % 4 == 0,
                "responsible_id": rng.choice(owners),
                "contract_value": Decimal(rng.randrange(20_000, 600_000, 1000)),
                "monthly_fee": Decimal(rng.randrange(5_000, 50_000, 500)),
                "notice_period": rng.choice([15, 30, 30, 60]),
                "termination_right_limit_days": rng.choice([None, None, None, 90]),
            }
        )
        stage = rng.choices(stages, weights)[0]
        opened = today - timedelta(days=rng.randint(5, 400))
        basis = rng.choice([Basis.CONTRACTUAL, Basis.MUTUAL, Basis.BREACH, Basis.OPEN_ENDED])
        end = nominal = arrival = None
        rule = explanation_zh = explanation_en = ""
        confirmed = True
        if stage in (Stage.NOTICE, Stage.HANDOVER, Stage.REVIEW, Stage.CLOSED):
            # A letter arrived; the end date is what the rules give for it (as the services
            # would compute it), so that re-checking the calendar finds nothing to move.
            basis = rng.choice([Basis.CONTRACTUAL, Basis.BREACH, Basis.OPEN_ENDED])
            arrival = opened + timedelta(days=rng.randint(0, 30))
            period = {Basis.CONTRACTUAL: contracts[-1]["notice_period"], Basis.OPEN_ENDED: 30}
            if basis == Basis.BREACH:
                end = nominal = arrival
                rule = "民法典第563条、第565条"
                explanation_zh = f"通知到达对方时合同解除（民法典第565条）：到达日{arrival}。"
                explanation_en = f"Ends when the notice arrives (art. 565): {arrival}."
            else:
                result = _notice_end(arrival, period[basis])
                end, nominal, rule = result.end, result.nominal, result.rule
                confirmed = result.confirmed
                explanation_zh, explanation_en = result.explanation_zh, result.explanation_en
        owner = rng.choice(owners)
        cases.append(
            {
                "id": ids[TerminationCase] + offset,
                "reference": f"{PREFIX}{i:06d}",
                "partner_id": partner_id,
                "contract_id": contract_id,
                "owner_id": owner,
                "opened_by_id": rng.choice(owners),
                "stage": stage,
                "opened_at": _aware(opened),
                "stage_entered_at": _aware(opened + timedelta(days=3)),
                "closed_at": _aware(end + timedelta(days=20))
                if stage == Stage.CLOSED and end
                else None,
                "reason_category": rng.choice(ReasonCategory.values),
                "facts": "批量基准数据：合作效果未达约定指标。",
                "learned_on": opened - timedelta(days=rng.randint(1, 30)),
                "basis": basis,
                "end_date": end,
                "end_date_nominal": nominal,
                "end_date_confirmed": confirmed,
                "end_date_rule": rule,
                "end_date_explanation_zh": explanation_zh,
                "end_date_explanation_en": explanation_en,
                "_arrival": arrival,
                "_kind": kind,
                "_address": partners[-1]["notice_address"],
            }
        )
    _insert(Partner, partners, with_ids=True)
    _insert(Contract, contracts, with_ids=True)
    _insert(
        TerminationCase,
        [{k: v for k, v in c.items() if not k.startswith("_")} for c in cases],
        with_ids=True,
    )

    events, items, notices, lines, deliveries, commissions = [], [], [], [], [], []
    for case in cases:
        case_id, stage, owner, end = case["id"], case["stage"], case["owner_id"], case["end_date"]
        opened = case["opened_at"]
        events.append(
            {
                "case_id": case_id,
                "actor_id": case["opened_by_id"],
                "kind": CaseEvent.Kind.OPENED,
                "to_stage": Stage.ASSESSMENT,
                "created_at": opened,
            }
        )
        path = PATH[: PATH.index(stage) + 1] if stage in PATH else [Stage.ASSESSMENT]
        at = opened
        for before, after in itertools.pairwise(path):
            entered, at = at, at + timedelta(days=rng.randint(2, 15))
            events.append(
                {
                    "case_id": case_id,
                    "actor_id": owner,
                    "kind": CaseEvent.Kind.CLOSED
                    if after == Stage.CLOSED
                    else CaseEvent.Kind.STAGE_CHANGED,
                    "from_stage": before,
                    "to_stage": after,
                    "created_at": at,
                    "stay_days": stay_days(entered, at),
                }
            )
        if stage == Stage.WITHDRAWN:
            events.append(
                {
                    "case_id": case_id,
                    "actor_id": owner,
                    "kind": CaseEvent.Kind.WITHDRAWN,
                    "from_stage": Stage.ASSESSMENT,
                    "to_stage": Stage.WITHDRAWN,
                    "created_at": at + timedelta(days=3),
                    "stay_days": stay_days(at, at + timedelta(days=3)),
                }
            )
        for position, title in enumerate(ITEMS[case["_kind"]]):
            due = (end + timedelta(days=position * 3)) if end else None
            done = stage in (Stage.REVIEW, Stage.CLOSED) or (
                due is not None and due < today and rng.random() < 0.7
            )
            items.append(
                {
                    "case_id": case_id,
                    "position": position,
                    "title": title,
                    "due_date": due,
                    "owner_id": owner,
                    "status": HandoverItem.Status.DONE if done else HandoverItem.Status.OPEN,
                    "completed_at": _aware(due or today) if done else None,
                    "completed_by_id": owner if done else None,
                }
            )
        if end:
            notice_id = ids[Notice] + len(notices)
            issued = _aware(case["_arrival"] - timedelta(days=3))
            pdf_name, pdf_hash = _store_benchmark_letter(f"{case['reference']}-L1", issued.date())
            notices.append(
                {
                    "id": notice_id,
                    "case_id": case_id,
                    "kind": Notice.Kind.TERMINATION,
                    "sequence": 1,
                    "status": Notice.Status.ISSUED,
                    "letter_number": f"{case['reference']}-L1",
                    "pdf": pdf_name,
                    "sha256": pdf_hash,
                    "issued_at": issued,
                    "issued_by_id": owner,
                    "approved_by_id": owner,
                    "approved_at": issued,
                    "snapshot": {"reference": case["reference"]},
                }
            )
            dispatched = case["_arrival"] - timedelta(days=2)
            deliveries.append(
                {
                    "notice_id": notice_id,
                    "method": Delivery.Method.COURIER,
                    "reference": f"EMS{notice_id:010d}",
                    "address": case["_address"],
                    "dispatched_on": dispatched,
                    "arrived_on": dispatched + timedelta(days=2),
                }
            )
        elif stage == Stage.NEGOTIATION and rng.random() < 0.3:
            notices.append(
                {
                    "id": ids[Notice] + len(notices),
                    "case_id": case_id,
                    "kind": Notice.Kind.TERMINATION,
                    "sequence": 1,
                    "drafted_by_id": owner,
                }
            )
        if stage in (Stage.REVIEW, Stage.CLOSED):
            paid = stage == Stage.CLOSED
            settled = {"paid": paid, "paid_on": end if paid else None}
            lines.append(
                {
                    "case_id": case_id,
                    "kind": SettlementLine.Kind.REFUND,
                    "direction": SettlementLine.Direction.TO_SHOP,
                    "amount": Decimal(rng.randrange(1000, 30000)),
                    **settled,
                }
            )
            if case["_kind"] == Partner.Kind.CREATOR:
                # Settled by the platform, never the shop's debt: tracked commissions (§5).
                for index in range(2):
                    amount = Decimal(rng.randrange(100, 4000))
                    commissions.append(
                        {
                            "case_id": case_id,
                            "order_number": f"69{case_id:08d}{index:09d}",
                            "ordered_at": _aware(end - timedelta(days=3 + 4 * index)),
                            "estimated_commission": amount,
                            "status": Commission.Status.SETTLED if paid else Commission.Status.PAID,
                            "settled_commission": amount if paid else None,
                            "settled_on": end if paid else None,
                            "source": Commission.Source.IMPORT,
                            "recorded_by_id": owner,
                        }
                    )
            elif rng.random() < 0.3:
                lines.append(
                    {
                        "case_id": case_id,
                        "kind": SettlementLine.Kind.PENALTY,
                        "direction": SettlementLine.Direction.TO_PARTNER,
                        "amount": Decimal(rng.randrange(5000, 50000)),
                        **settled,
                    }
                )
    _insert(CaseEvent, events, with_ids=False)
    _insert(HandoverItem, items, with_ids=False)
    _insert(Notice, notices, with_ids=True)
    _insert(SettlementLine, lines, with_ids=False)
    _insert(Commission, commissions, with_ids=False)
    _insert(Delivery, deliveries, with_ids=False)
