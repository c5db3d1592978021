"""The money of a termination (DOMAIN.md §5). Yuan as ``Decimal`` with two places, rounded half up;
floats are refused. Pure functions; each figure that needs explaining comes with its explanation
in Chinese and English.

``yuan(value) -> Decimal``
    Any int, str or Decimal as yuan with two places (ROUND_HALF_UP). Floats raise ``RulesError``.
``penalty_amount(*, penalty_type, value, contract_value=0, monthly_fee=0, direction="") -> MoneyResult``
    The early-termination penalty (违约金) a clause gives: ``none``, ``fixed`` (yuan),
    ``percent`` (of the contract value) or ``months`` (N months of the monthly fee). ``direction``
    (``PenaltyDirection``: owed by the shop / claimed from the partner) is carried on the result.
``penalty_for_contract(contract, *, direction="") -> MoneyResult``
    The same from a contract's clause.
``penalty_exceeds_loss(*, penalty, loss) -> bool``
    True when a known loss is exceeded by more than 30 %: a court may reduce the penalty on
    request (2023 interpretation art. 65). Never reduce it automatically.
``prepaid_refund(*, prepaid, covers_from, covers_to, end_date) -> MoneyResult``
    Prepaid fees for service after the end date, pro rata by days of the covered period (both
    ends included; the end date itself is still a day of service).
``earnest_money_effective(*, earnest, contract_value) -> MoneyResult``
    A 定金 counts only up to 20 % of the contract value (art. 586); the excess is no 定金.
``penalty_or_earnest(*, penalty, earnest, contract_value) -> ChoiceResult``
    Where both a 定金 and a penalty are agreed the claimant chooses one (art. 588); we show both
    and which is larger, and never choose.
``net_settlement(lines) -> NetResult``
    Nets lines of ``(direction, amount)`` — direction ``"to_shop"`` (the partner pays the shop) or
    ``"to_partner"`` (the shop pays the partner); objects with ``.direction`` and ``.amount``
    work too. ``payer`` is ``"shop"``, ``"partner"`` or None when it nets to zero.
``commission_settlement_expected(*, received_on, days=None) -> DateResult``
    When the platform is expected to settle a creator's commission: the day receipt was
    confirmed plus ``settings.COMMISSION_SETTLEMENT_DAYS`` (Douyin publishes no fixed delay).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from terminations.rules.choices import PenaltyDirection, PenaltyType
from terminations.rules.clauses import clause_en, clause_zh
from terminations.rules.dates import RulesError

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
EARNEST_CAP_RATE = Decimal("0.20")  # art. 586
COURT_MAY_REDUCE_ABOVE = Decimal("1.30")  # 2023 interpretation art. 65

TO_SHOP = "to_shop"
TO_PARTNER = "to_partner"
SHOP = "shop"
PARTNER = "partner"


def yuan(value: object) -> Decimal:
    """``value`` as yuan with two decimal places, rounded half up. Floats are refused: they
    cannot hold 0.1 exactly, and money must not pass through them."""
    if isinstance(value, float):
        raise RulesError(_("Amounts must not be floating-point numbers; pass a string or Decimal."))
    if isinstance(value, bool) or value is None:
        raise RulesError(_("“%(value)s” is not an amount of money.") % {"value": value})
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else value)
    except (InvalidOperation, TypeError, ValueError):
        raise RulesError(_("“%(value)s” is not an amount of money.") % {"value": value}) from None
    if not amount.is_finite():
        raise RulesError(_("“%(value)s” is not an amount of money.") % {"value": value})
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _non_negative(value: object, label: str) -> Decimal:
    amount = yuan(value)
    if amount < 0:
        raise RulesError(_("%(label)s cannot be negative.") % {"label": label})
    return amount


def _factor(value: object, label: str) -> Decimal:
    """A non-negative rate or count, kept exact (not rounded to cents)."""
    yuan(value)  # the same refusals as for money: no floats, no nonsense
    number = Decimal(value.strip() if isinstance(value, str) else value)
    if number < 0:
        raise RulesError(_("%(label)s cannot be negative.") % {"label": label})
    return number


def _fmt(amount: Decimal) -> str:
    return f"{amount:,.2f}"


class _Explained:
    explanation_zh: str
    explanation_en: str

    @property
    def explanation(self) -> str:
        language = get_language() or settings.LANGUAGE_CODE
        return self.explanation_zh if language.lower().startswith("zh") else self.explanation_en


@dataclass(frozen=True)
class MoneyResult(_Explained):
    amount: Decimal
    explanation_zh: str
    explanation_en: str
    rule: str = ""
    direction: str = ""  # a PenaltyDirection value where it applies

    def as_dict(self) -> dict:
        return {
            "amount": str(self.amount),
            "explanation_zh": self.explanation_zh,
            "explanation_en": self.explanation_en,
            "rule": self.rule,
            "direction": self.direction,
        }


# --- penalty ------------------------------------------------------------------------------


def penalty_amount(
    *,
    penalty_type: str,
    value: object,
    contract_value: object = 0,
    monthly_fee: object = 0,
    direction: str = "",
) -> MoneyResult:
    if penalty_type not in PenaltyType.values:
        raise RulesError(_("Unknown penalty type “%(type)s”.") % {"type": penalty_type})
    if direction and direction not in PenaltyDirection.values:
        raise RulesError(_("Unknown penalty direction “%(direction)s”.") % {"direction": direction})
    rule = "民法典第585条"
    if direction == PenaltyDirection.SHOP_OWES:
        who_zh, who_en = "由本店支付", " It is owed by the shop."
    elif direction == PenaltyDirection.PARTNER_OWES:
        who_zh, who_en = "向合作方主张", " It is claimed from the partner."
    else:
        who_zh, who_en = "", ""

    if penalty_type == PenaltyType.NONE:
        return MoneyResult(
            amount=ZERO,
            explanation_zh="合同未约定提前解除违约金。",
            explanation_en="The contract sets no early-termination penalty.",
            rule="",
            direction=direction,
        )
    if penalty_type == PenaltyType.FIXED:
        amount = _non_negative(value, _("The penalty"))
        zh = f"合同约定固定违约金{_fmt(amount)}元"
        en = f"The contract sets a fixed penalty of {_fmt(amount)} yuan."
    elif penalty_type == PenaltyType.PERCENT:
        rate = _factor(value, _("The percentage"))
        if rate > 100:
            raise RulesError(_("A percentage penalty cannot exceed 100 %."))
        base = _non_negative(contract_value, _("The contract value"))
        # Round once, at the end: the rate may have more places than the yuan.
        amount = yuan(base * rate / 100)
        zh = f"违约金为合同总额{_fmt(base)}元的{rate.normalize():f}%，即{_fmt(amount)}元"
        en = (
            f"The penalty is {rate.normalize():f} % of the contract value of "
            f"{_fmt(base)} yuan: {_fmt(amount)} yuan."
        )
    else:
        months = _factor(value, _("The number of months"))
        fee = _non_negative(monthly_fee, _("The monthly fee"))
        amount = yuan(fee * months)
        zh = f"违约金为{months.normalize():f}个月服务费（月费{_fmt(fee)}元），即{_fmt(amount)}元"
        en = (
            f"The penalty is {months.normalize():f} month(s) of fees at {_fmt(fee)} yuan a "
            f"month: {_fmt(amount)} yuan."
        )
    zh = zh + ("，" + who_zh if who_zh else "") + "。"
    return MoneyResult(
        amount=amount,
        explanation_zh=zh,
        explanation_en=en + who_en,
        rule=rule,
        direction=direction,
    )


def penalty_for_contract(contract, *, direction: str = "") -> MoneyResult:
    result = penalty_amount(
        penalty_type=contract.penalty_type,
        value=contract.penalty_value,
        contract_value=contract.contract_value,
        monthly_fee=contract.monthly_fee,
        direction=direction,
    )
    if contract.clause_penalty and contract.penalty_type != PenaltyType.NONE:
        return MoneyResult(
            amount=result.amount,
            explanation_zh=f"依据合同{clause_zh(contract.clause_penalty)}："
            + result.explanation_zh,
            explanation_en=f"Under {clause_en(contract.clause_penalty)} of the contract: "
            + result.explanation_en,
            rule=result.rule,
            direction=result.direction,
        )
    return result


def penalty_exceeds_loss(*, penalty: object, loss: object | None) -> bool:
    """True when a known loss is exceeded by more than 30 %: flag it, never reduce it."""
    if loss is None or loss == "":
        return False
    return yuan(penalty) > yuan(loss) * COURT_MAY_REDUCE_ABOVE


# --- prepaid fees -------------------------------------------------------------------------


def prepaid_refund(
    *, prepaid: object, covers_from: date, covers_to: date, end_date: date
) -> MoneyResult:
    amount = _non_negative(prepaid, _("The prepaid amount"))
    if covers_to < covers_from:
        raise RulesError(_("The prepaid period ends before it starts."))
    total_days = (covers_to - covers_from).days + 1
    period_zh = f"{covers_from.isoformat()}至{covers_to.isoformat()}共{total_days}日"
    period_en = f"{covers_from.isoformat()} to {covers_to.isoformat()} ({total_days} days)"
    rule = "民法典第566条"
    if end_date >= covers_to:
        return MoneyResult(
            amount=ZERO,
            explanation_zh=f"预付款{_fmt(amount)}元覆盖{period_zh}；合作于{end_date.isoformat()}"
            "结束，预付期间已全部履行，无需退还。",
            explanation_en=f"The prepayment of {_fmt(amount)} yuan covers {period_en}; the "
            f"cooperation ends on {end_date.isoformat()}, after the whole period, so nothing "
            "is refundable.",
            rule=rule,
        )
    if end_date < covers_from:
        return MoneyResult(
            amount=amount,
            explanation_zh=f"预付款{_fmt(amount)}元覆盖{period_zh}；合作于{end_date.isoformat()}"
            f"结束，早于预付期间开始，应全额退还{_fmt(amount)}元。",
            explanation_en=f"The prepayment of {_fmt(amount)} yuan covers {period_en}; the "
            f"cooperation ends on {end_date.isoformat()}, before the period starts, so all of "
            f"it, {_fmt(amount)} yuan, is refundable.",
            rule=rule,
        )
    unused_days = (covers_to - end_date).days
    refund = yuan(amount * unused_days / total_days)
    return MoneyResult(
        amount=refund,
        explanation_zh=f"预付款{_fmt(amount)}元覆盖{period_zh}；合作于{end_date.isoformat()}结束，"
        f"此后未履行{unused_days}日，按日折算应退还{_fmt(amount)}×{unused_days}/{total_days}"
        f"={_fmt(refund)}元。",
        explanation_en=f"The prepayment of {_fmt(amount)} yuan covers {period_en}; the "
        f"cooperation ends on {end_date.isoformat()}, leaving {unused_days} days unserved: "
        f"{_fmt(amount)} × {unused_days}/{total_days} = {_fmt(refund)} yuan refundable.",
        rule=rule,
    )


# --- earnest money (定金) -------------------------------------------------------------------


def earnest_money_cap(*, contract_value: object) -> Decimal:
    return yuan(_non_negative(contract_value, _("The contract value")) * EARNEST_CAP_RATE)


def earnest_money_effective(*, earnest: object, contract_value: object) -> MoneyResult:
    agreed = _non_negative(earnest, _("The earnest money"))
    cap = earnest_money_cap(contract_value=contract_value)
    if agreed <= cap:
        return MoneyResult(
            amount=agreed,
            explanation_zh=f"定金{_fmt(agreed)}元，未超过合同标的额的20%（{_fmt(cap)}元）。",
            explanation_en=f"The earnest money of {_fmt(agreed)} yuan is within 20 % of the "
            f"contract value ({_fmt(cap)} yuan).",
            rule="民法典第586条",
        )
    return MoneyResult(
        amount=cap,
        explanation_zh=f"约定定金{_fmt(agreed)}元超过合同标的额的20%（{_fmt(cap)}元），"
        f"超过部分{_fmt(agreed - cap)}元不产生定金效力。",
        explanation_en=f"The agreed earnest money of {_fmt(agreed)} yuan exceeds 20 % of the "
        f"contract value ({_fmt(cap)} yuan); the excess of {_fmt(agreed - cap)} yuan does not "
        "count as earnest money.",
        rule="民法典第586条",
    )


@dataclass(frozen=True)
class ChoiceResult(_Explained):
    penalty: Decimal
    earnest: Decimal  # the effective earnest money (capped at 20 %)
    larger: str  # "penalty", "earnest" or "" when equal — information, not a choice
    explanation_zh: str
    explanation_en: str
    rule: str = "民法典第588条"


def penalty_or_earnest(*, penalty: object, earnest: object, contract_value: object) -> ChoiceResult:
    """Both a penalty and a 定金 are agreed: the claimant chooses one (art. 588). Never chosen
    here; the larger figure is only pointed out."""
    penalty_yuan = _non_negative(penalty, _("The penalty"))
    effective = earnest_money_effective(earnest=earnest, contract_value=contract_value).amount
    if penalty_yuan > effective:
        larger = "penalty"
    elif effective > penalty_yuan:
        larger = "earnest"
    else:
        larger = ""
    return ChoiceResult(
        penalty=penalty_yuan,
        earnest=effective,
        larger=larger,
        explanation_zh=f"合同同时约定了违约金（{_fmt(penalty_yuan)}元）和定金（有效部分"
        f"{_fmt(effective)}元），守约方只能选择适用其中一项，不能同时主张（民法典第588条）。"
        "定金不足以弥补损失的，可以请求赔偿超过定金数额的损失。",
        explanation_en=f"The contract agrees both a penalty ({_fmt(penalty_yuan)} yuan) and "
        f"earnest money (effective amount {_fmt(effective)} yuan): the claimant chooses one of "
        "them, not both (Civil Code art. 588). Where the earnest money does not cover the loss, "
        "the loss above it may also be claimed.",
    )


# --- settlement ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NetResult(_Explained):
    payer: str | None  # "shop", "partner" or None when it nets to zero
    payee: str | None
    amount: Decimal  # what the payer pays, never negative
    to_shop_total: Decimal
    to_partner_total: Decimal
    explanation_zh: str
    explanation_en: str

    def as_dict(self) -> dict:
        return {
            "payer": self.payer,
            "payee": self.payee,
            "amount": str(self.amount),
            "to_shop_total": str(self.to_shop_total),
            "to_partner_total": str(self.to_partner_total),
            "explanation_zh": self.explanation_zh,
            "explanation_en": self.explanation_en,
        }


def _line_parts(line: object) -> tuple[str, object]:
    if isinstance(line, tuple | list):
        direction, amount = line
    else:
        direction, amount = line.direction, line.amount
    return direction, amount


def net_settlement(lines: Iterable[object]) -> NetResult:
    to_shop = ZERO
    to_partner = ZERO
    for line in lines:
        direction, raw = _line_parts(line)
        amount = _non_negative(raw, _("A settlement amount"))
        if direction == TO_SHOP:
            to_shop += amount
        elif direction == TO_PARTNER:
            to_partner += amount
        else:
            raise RulesError(
                _("Unknown settlement direction “%(direction)s”.") % {"direction": direction}
            )
    net = to_shop - to_partner
    totals_zh = f"合作方应付本店合计{_fmt(to_shop)}元，本店应付合作方合计{_fmt(to_partner)}元"
    totals_en = (
        f"The partner owes the shop {_fmt(to_shop)} yuan in total and the shop owes the partner "
        f"{_fmt(to_partner)} yuan"
    )
    if net > 0:
        payer, payee, amount = PARTNER, SHOP, net
        zh = f"{totals_zh}；相互抵销后，合作方应向本店支付{_fmt(amount)}元。"
        en = f"{totals_en}; after netting, the partner pays the shop {_fmt(amount)} yuan."
    elif net < 0:
        payer, payee, amount = SHOP, PARTNER, -net
        zh = f"{totals_zh}；相互抵销后，本店应向合作方支付{_fmt(amount)}元。"
        en = f"{totals_en}; after netting, the shop pays the partner {_fmt(amount)} yuan."
    else:
        payer, payee, amount = None, None, ZERO
        zh = f"{totals_zh}；相互抵销后，双方互不支付。"
        en = f"{totals_en}; they cancel out, so neither side pays."
    return NetResult(
        payer=payer,
        payee=payee,
        amount=amount,
        to_shop_total=to_shop,
        to_partner_total=to_partner,
        explanation_zh=zh,
        explanation_en=en,
    )


# --- creator commissions (settled by the platform) -----------------------------------------


@dataclass(frozen=True)
class DateResult(_Explained):
    day: date
    explanation_zh: str
    explanation_en: str


def commission_settlement_expected(*, received_on: date, days: int | None = None) -> DateResult:
    """The platform settles a creator's commission some days after the buyer confirms receipt;
    Douyin publishes no fixed number, so the delay is a setting and the result an expectation."""
    if days is None:
        days = settings.COMMISSION_SETTLEMENT_DAYS
    if days < 0:
        raise RulesError(_("The settlement delay cannot be negative."))
    day = received_on + timedelta(days=days)
    return DateResult(
        day=day,
        explanation_zh=f"确认收货日{received_on.isoformat()}后{days}日（设置项，平台未公布固定周期），"
        f"预计{day.isoformat()}由平台按精选联盟规则结算。",
        explanation_en=f"Receipt confirmed {received_on.isoformat()} + {days} days (a setting: "
        f"Douyin publishes no fixed delay): the platform is expected to settle it on "
        f"{day.isoformat()} under 精选联盟 rules.",
    )
