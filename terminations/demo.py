"""Demo cases in every stage, built through the workflow services (never by assigning stages).

`seed_demo_cases` is called by `manage.py seed_demo` with the demo register. It is idempotent:
demo cases carry `DEMO_MARKER` at the start of their facts, and when any exists nothing is added.
The demo's texts are in Chinese, as the shop's staff would write them.

Demo only: after each case is built through the services (which stamp everything "now"), its
history is moved back to plausible past dates consistent with its letter dates (`_backdate`), so
that the timeline reads like a real case and the dashboard's median days per stage mean
something. Real use never does this: events stay append-only.
It takes whatever partners and contracts it is given (agencies and creators, with and without
contracts) and builds as many of the scenarios below as there are free partner/contract pairs.

Letters are made by the desk itself — drafted, approved by the manager, issued (rendered once,
stored with their SHA-256), dispatched and recorded as arrived — each kind at least once, in
Chinese and bilingual (`DESK_LETTERS`), so that a manager trying the demo downloads and verifies
PDFs the desk made. Only the closed case keeps a letter drafted outside the desk, because that is
its story (the shop's lawyer drafted it). A letter is issued on the day the scenario needs it: the
letter steps run with the clock set to that day (`_on_day`), so that its printed date, number and
history agree with its dispatch.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import pairwise

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from partners.models import Contract, Partner
from terminations import services
from terminations.models import (
    Basis,
    CaseEvent,
    Commission,
    CureOutcome,
    Delivery,
    EvidenceFile,
    FollowUpPlan,
    HandoverItem,
    NegotiationEntry,
    Notice,
    ReasonCategory,
    SettlementLine,
    TerminationCase,
    stay_days,
)
from terminations.rules.choices import CountedFrom
from terminations.rules.dates import RulesError, notice_end_for_contract, notice_period_end

logger = logging.getLogger(__name__)

DEMO_MARKER = "【演示】"
# The marker of earlier demo data, still recognised so that seeding never doubles the cases.
LEGACY_MARKERS = ("[demo]",)

# The letters the desk makes in the demo: (kind, case basis, language). Each is drafted, approved,
# issued, dispatched and (but for the withdrawn one) arrived through the services.
DESK_LETTERS: tuple[tuple[str, str, str], ...] = (
    (Notice.Kind.TERMINATION, Basis.CONTRACTUAL, Notice.Language.ZH),
    (Notice.Kind.TERMINATION, Basis.CONTRACTUAL, Notice.Language.BILINGUAL),
    (Notice.Kind.TERMINATION, Basis.BREACH, Notice.Language.ZH),
    (Notice.Kind.CURE, Basis.BREACH, Notice.Language.ZH),
    (Notice.Kind.OPEN_ENDED, Basis.OPEN_ENDED, Notice.Language.ZH),
    (Notice.Kind.OPEN_ENDED, Basis.OPEN_ENDED, Notice.Language.BILINGUAL),
    (Notice.Kind.MUTUAL, Basis.MUTUAL, Notice.Language.ZH),
    (Notice.Kind.WITHDRAWAL, Basis.OPEN_ENDED, Notice.Language.ZH),
)

# A minimal, valid PDF standing in for the scan of a stamped letter.
_SCAN = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass
class _Slot:
    partner: Partner
    contract: Contract | None


@dataclass
class _Ctx:
    staff: object
    manager: object
    today: date


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _scan(name: str) -> ContentFile:
    return ContentFile(_SCAN, name=name)


def _free_slots(partners: Iterable[Partner], contracts: Iterable[Contract]) -> list[_Slot]:
    """Partner/contract pairs that can take a new case: contracts first, then partners alone
    (creators before agencies); MCNs and archived partners are left out."""
    open_pairs = set(TerminationCase.objects.open().values_list("partner_id", "contract_id"))
    slots: list[_Slot] = []
    seen: set[tuple[int, int | None]] = set()
    for contract in contracts:
        partner = contract.partner
        key = (partner.pk, contract.pk)
        if partner.kind == Partner.Kind.MCN or partner.is_archived or key in open_pairs:
            continue
        if key not in seen:
            seen.add(key)
            slots.append(_Slot(partner, contract))
    alone = sorted(
        (p for p in partners if p.kind != Partner.Kind.MCN and not p.is_archived),
        key=lambda p: (p.kind != Partner.Kind.CREATOR, p.pk),
    )
    for partner in alone:
        key = (partner.pk, None)
        if key in open_pairs or key in seen:
            continue
        seen.add(key)
        slots.append(_Slot(partner, None))
    return slots


def _open(
    ctx: _Ctx, slot: _Slot, *, reason: str, facts: str, learned_back: int = 45, **assessment
) -> TerminationCase:
    return services.case_open(
        partner=slot.partner,
        contract=slot.contract,
        reason_category=reason,
        opened_by=ctx.staff,
        facts=f"{DEMO_MARKER}{facts}",
        learned_on=ctx.today - timedelta(days=learned_back),
        **assessment,
    )


def _basis_for(slot: _Slot) -> dict:
    contract = slot.contract
    if contract is not None and contract.convenience_termination:
        return {"basis": Basis.CONTRACTUAL}
    if contract is not None and (contract.written or contract.end_date is not None):
        # No right to end it for convenience: the contractual right rests on an agreed cause.
        return {
            "basis": Basis.CONTRACTUAL,
            "agreed_cause": "连续三个月店铺GMV低于合同约定的月度保底GMV。",
            "agreed_cause_en": (
                "The shop's GMV stayed below the contract's monthly minimum three months running."
            ),
            "agreed_cause_clause": slot.contract.clause_termination or "9.2",
        }
    return {"basis": Basis.OPEN_ENDED, "reasonable_notice_days": 30}


def _letter_kind(case: TerminationCase) -> str:
    if case.basis == Basis.OPEN_ENDED:
        return Notice.Kind.OPEN_ENDED
    return Notice.Kind.TERMINATION


def _end_for_arrival(case: TerminationCase, arrival: date) -> date | None:
    """The end date the services will compute for a letter arriving on ``arrival`` (dispatched
    the day before), used only to choose demo dates that land where the scenario needs them."""
    try:
        if case.basis == Basis.CONTRACTUAL and case.contract is not None:
            start = (
                arrival - timedelta(days=1)
                if case.contract.notice_counted_from == CountedFrom.DISPATCH
                else arrival
            )
            return notice_end_for_contract(contract=case.contract, start=start).end
        if case.basis == Basis.OPEN_ENDED:
            return notice_period_end(
                start=arrival, period=case.reasonable_notice_days, unit="days"
            ).end
        return arrival  # breach (art. 565), entrustment
    except RulesError:
        return None


def _arrival_for(case: TerminationCase, today: date, lo: int, hi: int) -> date:
    """An arrival date (≤ today - 2) whose end date falls between today+lo and today+hi."""
    for back in range(2, 500):
        arrival = today - timedelta(days=back)
        end = _end_for_arrival(case, arrival)
        if end is not None and today + timedelta(days=lo) <= end <= today + timedelta(days=hi):
            return arrival
    return today - timedelta(days=2)


def _letter_ready(slot: _Slot) -> bool:
    """Whether a letter can identify the cooperation (DOMAIN.md §6): a contract, or the
    partner's Douyin or Buyin ID."""
    return slot.contract is not None or bool(
        slot.partner.douyin_id.strip() or slot.partner.buyin_id.strip()
    )


@contextmanager
def _on_day(day: date) -> Iterator[None]:
    """Demo only: run the letter steps with the clock on `day` (10:00 in the shop's time zone), so
    that an issued letter states the day it was issued and dispatched. Real use never does this."""
    try:
        import time_machine
    except ImportError as error:  # the dev extras (requirements.lock) bring it
        raise RuntimeError(
            "seed_demo needs time-machine (pip install -r requirements.lock)."
        ) from error
    with time_machine.travel(timezone.make_aware(datetime.combine(day, time(10, 0))), tick=True):
        yield


def _clean_facts(case: TerminationCase) -> str:
    return case.facts.removeprefix(DEMO_MARKER).strip()


def _issue(
    ctx: _Ctx,
    case: TerminationCase,
    *,
    on: date,
    kind: str | None = None,
    language: str = Notice.Language.ZH,
    facts_en: str = "",
    demands: str = "",
    demands_en: str = "",
    withdraws: Notice | None = None,
) -> Notice:
    """Draft (staff), approve and issue (manager) a letter on the day `on`."""
    kind = kind or _letter_kind(case)
    with _on_day(on):
        notice = services.notice_draft(
            case=case,
            by=ctx.staff,
            kind=kind,
            language=language,
            facts="" if kind == Notice.Kind.WITHDRAWAL else _clean_facts(case),
            facts_en=facts_en,
            demands=demands,
            demands_en=demands_en,
            withdraws=withdraws,
        )
        case.refresh_from_db()
        notice = services.notice_approve(
            notice=notice,
            by=ctx.manager,
            confirm_agreed_cause=kind == Notice.Kind.TERMINATION
            and services.agreed_cause_needed(case),
        )
        return services.notice_issue(notice=notice, by=ctx.manager)


def _record_letter(ctx: _Ctx, case: TerminationCase, *, issued_on: date) -> Notice:
    """A letter drafted outside the desk (by the shop's lawyer), recorded with its scan."""
    return services.notice_record_external(
        case=case,
        by=ctx.manager,
        kind=_letter_kind(case),
        issued_on=issued_on,
        scanned_copy=_scan(f"{case.reference}-L1.pdf"),
        facts="由店铺法律顾问起草，盖章后从办公室寄出。",
    )


def _channel(case: TerminationCase) -> tuple[str, str]:
    """How the letter goes, by the first channel the contract or the addressee gives."""
    contract = case.contract
    if contract is not None and contract.partner_id == case.partner_id:
        address = contract.effective_notice_address
        email = contract.effective_notice_email
        messaging = contract.effective_notice_messaging
    else:
        signer = case.partner.letter_addressee
        address, email, messaging = (
            signer.notice_address,
            signer.notice_email,
            signer.notice_messaging,
        )
    if email.strip() and not address.strip():
        return Delivery.Method.EMAIL, email
    if messaging.strip() and not address.strip():
        return Delivery.Method.PLATFORM, messaging
    return Delivery.Method.COURIER, address or ""


def _dispatch(ctx: _Ctx, letter: Notice, *, dispatch: date, arrival: date | None) -> Delivery:
    method, address = _channel(letter.case)
    delivery = services.delivery_record_dispatch(
        notice=letter,
        by=ctx.staff,
        method=method,
        dispatched_on=dispatch,
        reference=f"EMS10{letter.pk:05d}86CN" if method == Delivery.Method.COURIER else "",
        address=address,
    )
    if arrival is not None:
        services.delivery_record_arrival(delivery=delivery, by=ctx.staff, arrived_on=arrival)
    return delivery


def _to_notice(
    ctx: _Ctx, case: TerminationCase, *, negotiate: bool, letter_on: date | None = None
) -> TerminationCase:
    """To the notice stage; with negotiation, one contact a fortnight before the letter."""
    if negotiate:
        case = services.case_advance_to_negotiation(case=case, by=ctx.staff)
        first = (letter_on or ctx.today) - timedelta(days=14)
        _log_contacts(ctx, case, count=1, first=min(first, ctx.today))
        return services.case_advance_to_notice(case=case, by=ctx.staff)
    return services.case_skip_negotiation(
        case=case,
        by=ctx.staff,
        reason="代运营方仍掌握店铺后台和抖音号的登录权限，先改密码、收回权限，再直接发函，不提前沟通。",
    )


def _send(
    ctx: _Ctx,
    case: TerminationCase,
    *,
    arrival: date | None,
    dispatch: date,
    language: str = Notice.Language.ZH,
    facts_en: str = "",
    external: bool = False,
) -> Notice:
    """The case's letter, issued by the desk (or recorded, where it was drafted outside it) on
    the dispatch day, dispatched and, with `arrival`, arrived."""
    if external:
        letter = _record_letter(ctx, case, issued_on=dispatch)
    else:
        letter = _issue(ctx, case, on=dispatch, language=language, facts_en=facts_en)
    _dispatch(ctx, letter, dispatch=dispatch, arrival=arrival)
    return letter


def _log_contacts(
    ctx: _Ctx, case: TerminationCase, *, count: int, first: date | None = None
) -> None:
    """`count` contacts, the first on `first` (default ten days ago), a week apart at most."""
    contacts = [
        (
            NegotiationEntry.Channel.WECHAT,
            NegotiationEntry.Kind.CONTACT,
            "微信告知对方：连续三个月 GMV 未达到合同约定目标，店铺正在考虑结束合作。",
            "对方承认数据下滑，希望再给一个月时间调整投放和直播排期。",
            "把近三个月的经营数据发给对方核对",
        ),
        (
            NegotiationEntry.Channel.MEETING,
            NegotiationEntry.Kind.OFFER,
            "当面提出协商解除：下月底结束合作，服务费按实际天数结算，预付款余额退回。",
            "对方表示需要请示老板，一周内书面答复。",
            "等对方的书面答复或还价",
        ),
    ]
    first = first or ctx.today - timedelta(days=10)
    gap = max(1, min(7, (ctx.today - first).days // max(count, 1)))
    for index, (channel, kind, summary, outcome, next_step) in enumerate(contacts[:count]):
        occurred = first + timedelta(days=gap * index)
        services.negotiation_log(
            case=case,
            by=ctx.staff,
            occurred_on=occurred,
            channel=channel,
            kind=kind,
            participants=f"{_name(ctx.staff)}、{case.partner.contact_name or case.partner.name}",
            summary=summary,
            outcome=outcome,
            offer_amount=Decimal("5000.00") if kind == NegotiationEntry.Kind.OFFER else None,
            next_step=next_step,
            next_step_due=occurred + timedelta(days=7),
        )


def _security_first(ctx: _Ctx, case: TerminationCase) -> None:
    """Everything due before the letter, done before the letter (DOMAIN.md §7)."""
    notes = {
        "data": "发函前已导出订单、流量和投放报表，并保存了与对方的聊天记录。",
        "security": "发函前已改密码、解绑手机号、收回子账号和各项授权。",
    }
    for item in case.handover_items.filter(due_rule=HandoverItem.Due.BEFORE_LETTER):
        services.handover_item_complete(
            item=item, by=ctx.staff, note=notes.get(item.category, notes["security"])
        )


def _finish_handover(ctx: _Ctx, case: TerminationCase) -> None:
    items = list(case.handover_items.filter(status=HandoverItem.Status.OPEN))
    for index, item in enumerate(items):
        if index == len(items) - 1 and item.required:
            services.handover_item_waive(
                item=item, by=ctx.manager, note="不适用：合作期间没有产生此类事项。"
            )
        else:
            services.handover_item_complete(item=item, by=ctx.staff, note="已与对方书面确认。")


def _settle_and_plan(ctx: _Ctx, case: TerminationCase, *, engage_again: bool) -> None:
    case.refresh_from_db()
    for suggestion in services.settlement_suggest(case=case):
        # What the shop may owe under a clause is a manager's call; the demo's manager makes it.
        services.settlement_suggestion_add(
            case=case,
            by=ctx.manager if suggestion["exposure"] else ctx.staff,
            key=suggestion["key"],
        )
    if case.partner.kind == Partner.Kind.CREATOR:
        # Orders paid before the end date keep their commission; Douyin settles it after the
        # after-sales window, from the shop's revenue — tracked, never the shop's debt (§5).
        last_day = min(case.end_date or ctx.today, ctx.today)
        for index in range(3):
            services.commission_add(
                case=case,
                by=ctx.staff,
                ordered_on=last_day - timedelta(days=3 + 5 * index),
                estimated_commission=Decimal(620 + 235 * ((case.pk + index) % 4)).quantize(
                    Decimal("0.01")
                ),
                order_number=f"69{case.pk:07d}{index:010d}",
                description="终止日前已付款订单，由平台按精选联盟规则结算。",
            )
    elif not case.settlement_lines.exists():
        services.settlement_line_add(
            case=case,
            by=ctx.staff,
            kind=SettlementLine.Kind.OTHER,
            direction=SettlementLine.Direction.TO_SHOP,
            amount=Decimal("0.00"),
            description="无需结算：服务费按月后付，已结清至合作结束日。",
        )
    services.plan_record(
        case=case,
        by=ctx.staff,
        next_step=FollowUpPlan.NextStep.SELF_OPERATE
        if case.partner.kind == Partner.Kind.AGENCY
        else FollowUpPlan.NextStep.NEW_CREATORS,
        details="由店铺团队接手日常运营和直播；三个月后复盘 GMV 和投放 ROI，再决定是否引入新的合作方。",
        review_on=ctx.today + timedelta(days=90),
        engage_again=engage_again,
    )


def _learned_back(ctx: _Ctx, slot: _Slot, *, lo: int, hi: int) -> int:
    """How long ago the shop learned of the cause: a month before the letter that must arrive
    for the end date to fall between today+lo and today+hi."""
    probe = TerminationCase(
        partner=slot.partner, contract=slot.contract, **_basis_for(slot)
    )  # unsaved: only its basis and contract are read
    arrival = _arrival_for(probe, ctx.today, lo, hi)
    return (ctx.today - arrival).days + 35


def _through_review(
    ctx: _Ctx,
    slot: _Slot,
    *,
    facts: str,
    end_back: int,
    language: str = Notice.Language.ZH,
    facts_en: str = "",
    external: bool = False,
) -> TerminationCase:
    back = _learned_back(ctx, slot, lo=-end_back - 10, hi=-end_back)
    case = _open(
        ctx,
        slot,
        reason=ReasonCategory.POOR_RESULTS,
        facts=facts,
        learned_back=back,
        **_basis_for(slot),
    )
    arrival = _arrival_for(case, ctx.today, -end_back - 10, -end_back)
    _security_first(ctx, case)
    case = _to_notice(ctx, case, negotiate=True, letter_on=arrival - timedelta(days=1))
    _send(
        ctx,
        case,
        arrival=arrival,
        dispatch=arrival - timedelta(days=1),
        language=language,
        facts_en=facts_en,
        external=external,
    )
    case = services.case_advance_to_handover(case=case, by=ctx.staff)
    _finish_handover(ctx, case)
    _settle_and_plan(ctx, case, engage_again=False)
    return services.case_advance_to_review(case=case, by=ctx.staff)


# --- the scenarios, in the order they are built ----------------------------------------------


def _assessment(ctx: _Ctx, slot: _Slot) -> TerminationCase:
    return _open(
        ctx,
        slot,
        reason=ReasonCategory.SERVICE_QUALITY,
        learned_back=6,
        facts="上月起约四成客服会话超过 3 分钟才回复，差评率由 1.2% 升至 3.5%；已截图留存 5 月 1 日至 20 日的会话记录。",
        gmv_share_percent=Decimal("18.50"),
        open_orders=42,
        partner_holds_credentials=slot.partner.kind == Partner.Kind.AGENCY,
    )


def _negotiation(ctx: _Ctx, slot: _Slot) -> TerminationCase:
    case = _open(
        ctx,
        slot,
        reason=ReasonCategory.POOR_RESULTS,
        facts="上一季度经对方渠道实现的 GMV 比合同约定的目标低 35%，连续三个月未达标，月报已存档。",
        learned_back=20,
        **_basis_for(slot),
    )
    case = services.case_advance_to_negotiation(case=case, by=ctx.staff)
    _log_contacts(ctx, case, count=2, first=ctx.today - timedelta(days=12))
    return case


def _notice_in_transit(ctx: _Ctx, slot: _Slot) -> TerminationCase:
    case = _open(
        ctx,
        slot,
        reason=ReasonCategory.STRATEGY_CHANGE,
        facts="店铺下季度起组建自己的直播团队，自营直播间，不再需要代运营服务。",
        learned_back=21,
        **_basis_for(slot),
    )
    _security_first(ctx, case)
    case = _to_notice(ctx, case, negotiate=False)
    _send(ctx, case, arrival=None, dispatch=ctx.today - timedelta(days=1))
    return case


def _handover_soon(ctx: _Ctx, slot: _Slot) -> TerminationCase:
    case = _open(
        ctx,
        slot,
        reason=ReasonCategory.MISMATCH,
        facts="品牌 4 月完成升级定位，对方的短视频和直播话术风格与新定位不符，两次沟通后仍未调整。",
        learned_back=_learned_back(ctx, slot, lo=1, hi=7),
        **_basis_for(slot),
    )
    arrival = _arrival_for(case, ctx.today, 1, 7)
    _security_first(ctx, case)
    case = _to_notice(ctx, case, negotiate=True, letter_on=arrival - timedelta(days=1))
    _send(
        ctx,
        case,
        arrival=arrival,
        dispatch=arrival - timedelta(days=1),
        language=Notice.Language.BILINGUAL,
        facts_en=(
            "The brand was repositioned in April. The partner's short videos and live-stream "
            "scripts still do not fit the new positioning after two discussions."
        ),
    )
    return services.case_advance_to_handover(case=case, by=ctx.staff)


def _handover_overdue(ctx: _Ctx, slot: _Slot) -> TerminationCase:
    case = _open(
        ctx,
        slot,
        reason=ReasonCategory.COMPETING_PRODUCTS,
        facts="书面警告后，对方仍在两场直播中推广竞品，违反合同独家条款；录屏和订单截图已保存。",
        basis=Basis.BREACH,
        prior_demand_on=ctx.today - timedelta(days=40),
        prior_demand_until=ctx.today - timedelta(days=30),
    )
    _security_first(ctx, case)
    case = _to_notice(ctx, case, negotiate=False)
    arrival = ctx.today - timedelta(days=20)
    _send(ctx, case, arrival=arrival, dispatch=arrival - timedelta(days=2))
    return services.case_advance_to_handover(case=case, by=ctx.staff)


def _review(ctx: _Ctx, slot: _Slot) -> TerminationCase:
    return _through_review(
        ctx,
        slot,
        facts="连续两个季度千川投放 ROI 从 3.1 降到 1.5，对方未能给出改进方案。",
        end_back=20,
        language=Notice.Language.BILINGUAL,
        facts_en=(
            "For two quarters running the Qianchuan advertising ROI fell from 3.1 to 1.5, and the "
            "partner offered no plan to improve it."
        ),
    )


def _closed(ctx: _Ctx, slot: _Slot) -> TerminationCase:
    case = _through_review(
        ctx,
        slot,
        facts="连续六个月未达到合同约定的服务标准（客服响应、发货时效），多次提醒无改善。",
        end_back=45,
        external=True,  # the shop's lawyer drafted this one outside the desk
    )
    for line in case.settlement_lines.filter(paid=False):  # settled before the case closed
        services.settlement_line_mark_paid(line=line, by=ctx.staff, paid_on=ctx.today)
    case = services.case_close(case=case, by=ctx.manager)
    # After closing the platform settles the creator's commissions: recorded as they come.
    for commission in case.commissions.all()[:2]:
        services.commission_advance(
            commission=commission,
            by=ctx.staff,
            status=Commission.Status.SETTLED,
            on=ctx.today,
        )
    return case


def _withdrawn(ctx: _Ctx, slot: _Slot) -> TerminationCase:
    case = _open(
        ctx,
        slot,
        reason=ReasonCategory.POOR_RESULTS,
        facts="连续两个月直播间转化率低于 1%，远低于同类目平均水平。",
        learned_back=40,
        **_basis_for(slot),
    )
    case = services.case_advance_to_negotiation(case=case, by=ctx.staff)
    _log_contacts(ctx, case, count=1)
    return services.case_withdraw(
        case=case,
        by=ctx.staff,
        reason="对方提交了可信的整改方案，最近两周转化率回升到 2.3%，决定继续合作并观察。",
    )


def _reopened(ctx: _Ctx, slot: _Slot) -> TerminationCase:
    case = _through_review(
        ctx, slot, facts="对方多次迟报投放消耗，账单与后台数据对不上。", end_back=60
    )
    case = services.case_close(case=case, by=ctx.manager)
    return services.case_reopen(
        case=case,
        by=ctx.manager,
        reason="结案后收到对方一张合作结束前的投放费用发票，需要重新核对结算。",
    )


def _cure(ctx: _Ctx, slot: _Slot) -> TerminationCase:
    """A cure notice that was not cured: the contract ended when its period ran out (art. 565),
    with no second letter."""
    case = _open(
        ctx,
        slot,
        reason=ReasonCategory.BREACH,
        facts="对方收取专场坑位费 8000 元后，未按约定发布两条推广视频，微信多次催问未获答复。",
        learned_back=45,
        basis=Basis.BREACH,
        cure_period_days=10,
    )
    _security_first(ctx, case)
    letter_on = ctx.today - timedelta(days=28)
    case = _to_notice(ctx, case, negotiate=True, letter_on=letter_on)
    letter = _issue(
        ctx,
        case,
        on=letter_on,
        kind=Notice.Kind.CURE,
        demands="请于期限内发布约定的两条推广视频，或退还已收取的坑位费 8000 元。",
    )
    _dispatch(ctx, letter, dispatch=letter_on, arrival=letter_on + timedelta(days=2))
    case = services.case_record_cure_outcome(
        case=case,
        by=ctx.staff,
        outcome=CureOutcome.NOT_CURED,
        note="期限届满，对方既未发布推广视频，也未退还坑位费；聊天记录截图已保存。",
    )
    return services.case_advance_to_handover(case=case, by=ctx.staff)


def _mutual(ctx: _Ctx, slot: _Slot) -> TerminationCase:
    """Agreed by negotiating; the confirmation goes out for signature and comes back
    countersigned."""
    case = _open(
        ctx,
        slot,
        reason=ReasonCategory.STRATEGY_CHANGE,
        facts="店铺下季度起不再经营生鲜类目，与对方协商一致结束带货合作。",
        learned_back=30,
    )
    case = services.case_advance_to_negotiation(case=case, by=ctx.staff)
    _log_contacts(ctx, case, count=2, first=ctx.today - timedelta(days=20))
    agreement = {
        "agreed_on": ctx.today - timedelta(days=6),
        "agreed_end_date": ctx.today + timedelta(days=25),
        "terms": "双方同意合作于约定终止日结束；终止日前已付款订单的佣金由平台照常结算；"
        "对方在终止日前下架带有本店商品的视频挂车链接。",
    }
    case = services.agreement_record(case=case, by=ctx.staff, **agreement)
    case = services.case_advance_to_notice(case=case, by=ctx.staff)
    letter_on = ctx.today - timedelta(days=5)
    letter = _issue(ctx, case, on=letter_on, kind=Notice.Kind.MUTUAL)
    _dispatch(ctx, letter, dispatch=letter_on, arrival=letter_on + timedelta(days=1))
    case = services.agreement_record(
        case=case,
        by=ctx.staff,
        confirmation=_scan(f"{case.reference}-confirmation.pdf"),
        **agreement,
    )
    return services.case_advance_to_handover(case=case, by=ctx.staff)


def _letter_withdrawn(ctx: _Ctx, slot: _Slot) -> TerminationCase:
    """A letter dispatched, then withdrawn by a withdrawal that arrived first (art. 141)."""
    case = _open(
        ctx,
        slot,
        reason=ReasonCategory.POOR_RESULTS,
        facts="近两个月带货视频播放量和转化率持续下滑，对方未按约定每周更新两条视频。",
        learned_back=30,
        basis=Basis.OPEN_ENDED,
        reasonable_notice_days=30,
    )
    _security_first(ctx, case)
    letter_on = ctx.today - timedelta(days=3)
    case = _to_notice(ctx, case, negotiate=True, letter_on=letter_on)
    letter = _issue(ctx, case, on=letter_on)
    _dispatch(ctx, letter, dispatch=letter_on, arrival=None)
    withdrawal_on = ctx.today - timedelta(days=2)
    withdrawal = _issue(ctx, case, on=withdrawal_on, kind=Notice.Kind.WITHDRAWAL, withdraws=letter)
    _dispatch(ctx, withdrawal, dispatch=withdrawal_on, arrival=withdrawal_on)
    return services.case_withdraw(
        case=case,
        by=ctx.staff,
        reason="函件发出次日对方提交了书面整改承诺并恢复更新；撤回通知先于原函到达，继续合作观察。",
    )


SCENARIOS: tuple[tuple[str, Callable[[_Ctx, _Slot], TerminationCase]], ...] = (
    ("assessment", _assessment),
    ("negotiation", _negotiation),
    ("notice, letter in transit", _notice_in_transit),
    ("handover, end date within a week", _handover_soon),
    ("handover, items overdue", _handover_overdue),
    ("review", _review),
    ("closed", _closed),
    ("withdrawn", _withdrawn),
    ("reopened", _reopened),
    ("handover after a cure notice that was not cured", _cure),
    ("handover after a countersigned mutual confirmation", _mutual),
    ("withdrawn after a withdrawal letter", _letter_withdrawn),
)
# Scenarios that can be built on a partner whose letters cannot identify the cooperation.
_NO_LETTER = {"assessment", "negotiation", "withdrawn"}


def demo_cases() -> list[TerminationCase]:
    marked = Q(facts__startswith=DEMO_MARKER)
    for marker in LEGACY_MARKERS:
        marked |= Q(facts__startswith=marker)
    return list(TerminationCase.objects.filter(marked).order_by("pk"))


def seed_demo_cases(
    *, staff, manager, partners: Iterable[Partner], contracts: Iterable[Contract], today: date
) -> list[TerminationCase]:
    """Build the demo cases (about one per scenario) unless they exist; returns the demo cases."""
    existing = demo_cases()
    if existing:
        return existing
    ctx = _Ctx(staff=staff, manager=manager, today=today)
    slots = _free_slots(list(partners), list(contracts))
    created: list[TerminationCase] = []
    for name, build in SCENARIOS:
        slot = next((s for s in slots if name in _NO_LETTER or _letter_ready(s)), None)
        if slot is None:
            continue
        slots.remove(slot)
        try:
            with transaction.atomic():
                case = build(ctx, slot)
                _backdate(case, today=today)
                created.append(case)
        except services.TransitionError as error:
            # A scenario that does not fit the partner it got is skipped, not fatal.
            logger.warning("Demo case %r for %s skipped: %s", name, slot.partner, error)
    return created


# --- Demo only: move a freshly built case's history into the past ---------------------------
#
# The services stamp every row "now". A demo where every case was opened, negotiated, noticed and
# closed within the same second gives a meaningless timeline and dashboard medians of 0 days, so
# once a demo case is built its timestamps are rewritten with QuerySet.update: each event is put
# on a day that matches the dates the case itself records (opened two days after the shop learned
# of the cause; contacts on their dates; the letter on its dispatch date; arrival and end date on
# the arrival date), events in between are spread evenly, and the rows that carry their own times
# (case, contacts, letters, deliveries, checklist items, settlement, plan, evidence) follow their
# events. This never runs outside seeding: in real use events are append-only.

_LETTER_EVENTS = {
    CaseEvent.Kind.NOTICE_DRAFTED,
    CaseEvent.Kind.NOTICE_EDITED,
    CaseEvent.Kind.NOTICE_APPROVED,
    CaseEvent.Kind.NOTICE_ISSUED,
    CaseEvent.Kind.NOTICE_RECORDED,
    CaseEvent.Kind.SCAN_UPLOADED,
}
_ARRIVAL_EVENTS = {CaseEvent.Kind.ARRIVED, CaseEvent.Kind.REFUSED, CaseEvent.Kind.END_DATE_SET}


def _at(day: date, minutes: int) -> datetime:
    """A time on `day` during office hours, `minutes` after 9:30."""
    return timezone.make_aware(datetime.combine(day, time(9, 30)) + timedelta(minutes=minutes))


def _event_days(
    events: list[CaseEvent],
    *,
    opened: date,
    dispatch: date | None,
    arrival: date | None,
    last: date,
    letter_days: dict[int, date] | None = None,
) -> list[date]:
    """A non-decreasing day for each event: anchored where the case records the date, spread
    evenly between anchors elsewhere."""
    anchors: dict[int, date] = {}
    for index, event in enumerate(events):
        data = event.data if isinstance(event.data, dict) else {}
        day = None
        if event.kind == CaseEvent.Kind.OPENED:
            day = opened
        elif event.kind == CaseEvent.Kind.NEGOTIATION_LOGGED and data.get("occurred_on"):
            day = date.fromisoformat(data["occurred_on"])
        elif event.kind in _LETTER_EVENTS:
            day = (letter_days or {}).get(data.get("notice"), dispatch)
        elif event.kind == CaseEvent.Kind.DISPATCHED:
            day = (
                date.fromisoformat(data["dispatched_on"]) if data.get("dispatched_on") else dispatch
            )
        elif event.kind == CaseEvent.Kind.ARRIVED and data.get("arrived_on"):
            day = date.fromisoformat(data["arrived_on"])
        elif event.kind in _ARRIVAL_EVENTS:
            day = arrival or dispatch
        elif event.kind == CaseEvent.Kind.CLOSED:
            day = None  # spread towards `last`
        if day is not None:
            anchors[index] = day
    points = sorted({-1: opened, **anchors, len(events): last}.items())
    # Anchors never go backwards (a late contact cannot come before an earlier event).
    fixed: list[tuple[int, date]] = []
    for index, day in points:
        if fixed and day < fixed[-1][1]:
            day = fixed[-1][1]
        fixed.append((index, day))
    days: list[date] = []
    for (a, day_a), (b, day_b) in pairwise(fixed):
        span = (day_b - day_a).days
        for index in range(max(a, 0), b):
            if index == a:
                days.append(day_a)
            else:
                days.append(day_a + timedelta(days=span * (index - a) // (b - a)))
    return days[: len(events)]


def _backdate(case: TerminationCase, *, today: date) -> None:
    case = TerminationCase.objects.get(pk=case.pk)
    # In the order they were written: letter steps ran with the clock on their own day.
    events = list(case.events.order_by("pk"))
    if not events:
        return
    deliveries = list(Delivery.objects.filter(notice__case=case).order_by("pk"))
    dispatch = min((d.dispatched_on for d in deliveries if d.dispatched_on), default=None)
    arrival = min((d.arrived_on for d in deliveries if d.arrived_on), default=None)
    opened = (case.learned_on or today - timedelta(days=30)) + timedelta(days=2)
    opened = min(opened, today - timedelta(days=1))
    if case.stage == "closed" and case.end_date:
        last = min(case.end_date + timedelta(days=12), today - timedelta(days=1))
    else:
        last = today - timedelta(days=1)
    letter_days = {
        notice.pk: timezone.localtime(notice.issued_at).date()
        for notice in case.notices.exclude(issued_at=None)
    }
    days = _event_days(
        events,
        opened=opened,
        dispatch=dispatch,
        arrival=arrival,
        last=last,
        letter_days=letter_days,
    )

    stamps: dict[int, datetime] = {}
    per_day: dict[date, int] = {}
    for event, day in zip(events, days, strict=True):
        day = min(max(day, opened), today)
        n = per_day.get(day, 0)
        per_day[day] = n + 1
        stamps[event.pk] = _at(day, 23 * n)
        CaseEvent.objects.filter(pk=event.pk).update(created_at=stamps[event.pk])

    def when(kind, **match) -> datetime | None:
        found = None
        for event in events:
            data = event.data if isinstance(event.data, dict) else {}
            if event.kind == kind and all(data.get(k) == v for k, v in match.items()):
                found = stamps[event.pk]
        return found

    # The stays between stage changes follow the new times (the model computed them from the
    # real ones, seconds apart).
    start = stamps[events[0].pk]
    for event in events:
        if event.to_stage:
            if event.from_stage:
                CaseEvent.objects.filter(pk=event.pk).update(
                    stay_days=stay_days(start, stamps[event.pk])
                )
            start = stamps[event.pk]

    entered = [stamps[e.pk] for e in events if e.to_stage == case.stage]
    fields = {
        "opened_at": stamps[events[0].pk],
        "stage_entered_at": entered[-1] if entered else stamps[events[0].pk],
        "updated_at": stamps[events[-1].pk],
    }
    if case.closed_at:
        fields["closed_at"] = when(CaseEvent.Kind.CLOSED) or stamps[events[-1].pk]
    TerminationCase.objects.filter(pk=case.pk).update(**fields)

    for entry in case.negotiations.all():
        at = when(CaseEvent.Kind.NEGOTIATION_LOGGED, entry=entry.pk)
        if at:
            NegotiationEntry.objects.filter(pk=entry.pk).update(recorded_at=at)
    for notice in case.notices.all():
        day = letter_days.get(notice.pk) or dispatch or opened
        times = {"drafted_at": _at(day, -60)}
        if notice.approved_at:
            times["approved_at"] = _at(day, -30)
        if notice.issued_at:
            times["issued_at"] = _at(day, 0)
        Notice.objects.filter(pk=notice.pk).update(**times)
    for delivery in deliveries:
        at = when(CaseEvent.Kind.DISPATCHED, delivery=delivery.pk) or when(
            CaseEvent.Kind.DISPATCHED
        )
        if at:
            Delivery.objects.filter(pk=delivery.pk).update(recorded_at=at)
    for item in case.handover_items.exclude(completed_at=None):
        at = when(CaseEvent.Kind.HANDOVER_DONE, item=item.pk) or when(
            CaseEvent.Kind.HANDOVER_WAIVED, item=item.pk
        )
        if at:
            HandoverItem.objects.filter(pk=item.pk).update(completed_at=at)
    for line in case.settlement_lines.all():
        at = when(CaseEvent.Kind.SETTLEMENT_RECORDED, line=line.pk)
        if at:
            SettlementLine.objects.filter(pk=line.pk).update(recorded_at=at)
    at = when(CaseEvent.Kind.PLAN_RECORDED)
    if at:
        FollowUpPlan.objects.filter(case=case).update(recorded_at=at)
    at = when(CaseEvent.Kind.EVIDENCE_ADDED)
    if at:
        EvidenceFile.objects.filter(case=case).update(uploaded_at=at)
