"""Dates of notice periods under the PRC Civil Code, on the Chinese working calendar.

Public API (keyword-only; every function returns a :class:`DateResult` carrying its explanation in
Chinese and English, or raises :class:`RulesError` with a translated message on bad input):

``notice_period_end(*, start, period, unit, first_day_counts=False, roll=True, counted_from="arrival")``
    The last day of a notice period that starts on ``start`` (the day of arrival, or of dispatch
    where the contract says so). Art. 201: the start day is not counted (unless the contract counts
    it, art. 204). Art. 202: months end on the same day-number, or the month's last day where it
    has no such day. Working days are counted from the day after the start. Art. 203: a last day
    on a statutory holiday or on a Saturday/Sunday that is not a make-up working day rolls to the
    first working day after it (``roll=False`` where the contract excludes that).
``notice_end_for_contract(*, contract, start)``
    The same, with the contract's own options (unit, counted from, first day, roll).
``counting_start_for_contract(*, contract, dispatched_on, arrived_on)``
    Which of the two dates the contract counts from (None when that date is not known yet).
``renewal_notice_deadline(*, term_end, period, unit, counted_from="arrival")``
    The last day for notice to arrive (or be sent, where the contract counts from dispatch) so
    that an auto-renewing contract does not renew: the period counted back from the last day of
    the term; a rest day moves it *earlier* to the last working day before it — the desk's own
    caution, which no article prescribes (the explanation says so).
``renewal_cutoff_for_contract(contract)``
    The same for a contract (non-renewal period, else notice period); None unless it auto-renews
    and has an end date.
``right_to_terminate_lapses(*, known_on, limit_days=None, demanded_on=None, reasonable_days=None)``
    Art. 564: the contract's limit in days, else one year from when the shop knew or should have
    known of the cause or a reasonable period after the partner's demand for a decision,
    whichever is first. Never moved for rest days: the earlier date is the safe one.
``right_to_terminate_applies(*, basis, convenience_right)``
    Whether art. 564 concerns the basis at all (not an open-ended cooperation, an entrustment or
    a convenience right, which may be used at any time).

A result is ``confirmed=False`` — a **best estimate** — when a year whose calendar mattered has no
published arrangement yet (see :mod:`terminations.rules.calendar`): its statutory days are rest
days for certain, its make-up days are estimated. The estimate is said in ``estimate_note_zh`` /
``estimate_note_en``, for staff only; the explanation itself states the rule and each adjustment,
and is what a letter may quote.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from terminations.rules import calendar
from terminations.rules.choices import CountedFrom, PeriodUnit
from terminations.rules.clauses import clause_en, clause_zh

MAX_PERIOD = {PeriodUnit.DAYS: 36600, PeriodUnit.MONTHS: 1200, PeriodUnit.WORKDAYS: 10000}

UNIT_ZH = {PeriodUnit.DAYS: "日", PeriodUnit.MONTHS: "个月", PeriodUnit.WORKDAYS: "个工作日"}
START_ZH = {CountedFrom.ARRIVAL: "到达日", CountedFrom.DISPATCH: "发出日"}
START_EN = {CountedFrom.ARRIVAL: "Arrival", CountedFrom.DISPATCH: "Dispatch"}


class RulesError(ValueError):
    """Bad input to a rule; the message is translated and may be shown to users."""


@dataclass(frozen=True)
class DateResult:
    end: date  # the effective date (after any roll / move)
    nominal: date  # before the roll
    rolled: bool
    confirmed: bool  # False when a relevant year's official calendar is unknown
    rule: str
    explanation_zh: str
    explanation_en: str
    estimated_years: tuple[int, ...] = ()

    @property
    def explanation(self) -> str:
        return self.explanation_zh if _chinese() else self.explanation_en

    @property
    def estimate_note_zh(self) -> str:
        return estimate_note(self.estimated_years, "zh")

    @property
    def estimate_note_en(self) -> str:
        return estimate_note(self.estimated_years, "en")

    @property
    def estimate_note(self) -> str:
        return estimate_note(self.estimated_years, "zh" if _chinese() else "en")

    def as_dict(self) -> dict:
        return {
            "end": self.end.isoformat(),
            "nominal": self.nominal.isoformat(),
            "rolled": self.rolled,
            "confirmed": self.confirmed,
            "rule": self.rule,
            "explanation_zh": self.explanation_zh,
            "explanation_en": self.explanation_en,
            "estimated_years": list(self.estimated_years),
        }


# --- helpers ------------------------------------------------------------------------------


def _chinese() -> bool:
    return (get_language() or settings.LANGUAGE_CODE).lower().startswith("zh")


def estimate_note(years: tuple[int, ...] | list[int], language: str) -> str:
    """What staff are told about a result that rests on an unpublished year; "" when none does.
    Never printed in a letter."""
    if not years:
        return ""
    if language == "zh":
        zh_years = "、".join(f"{y}年" for y in years)
        return (
            f"最佳估计：{zh_years}的放假安排尚未公布。《全国年节及纪念日放假办法》第二条规定的法定"
            "节假日已确定计为休息日；逢周六、周日的法定节假日按第六条在其后的工作日补假，补假日为"
            "推定，调休安排未知。官方安排公布并录入后，系统将重新核对，日期如有变化会记录并通知。"
        )
    en_years = ", ".join(str(y) for y in years)
    return (
        f"Best estimate: the official holiday arrangement for {en_years} has not been published. "
        "The statutory days of art. 2 of the national holiday rules are rest days for certain; "
        "the make-up days for statutory days falling on a weekend (art. 6) are estimated on the "
        "working days right after them, and any working-weekend swaps are unknown. Once the "
        "official arrangement is entered the dates are re-checked, and any change is recorded "
        "and notified."
    )


def add_months(day: date, months: int) -> tuple[date, bool]:
    """``day`` moved by ``months`` (may be negative) to the same day-number, clamped to the
    month's last day (art. 202). Returns the date and whether it was clamped."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise OverflowError
    last = _stdlib_calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last)), day.day > last


def _validate(period: object, unit: object) -> tuple[int, PeriodUnit]:
    if unit not in PeriodUnit.values:
        raise RulesError(
            _("Unknown period unit “%(unit)s”: use calendar days, months or working days.")
            % {"unit": unit}
        )
    unit = PeriodUnit(unit)
    if isinstance(period, bool) or not isinstance(period, int):
        raise RulesError(_("The period must be a whole number."))
    if period <= 0:
        raise RulesError(_("The period must be at least 1."))
    if period > MAX_PERIOD[unit]:
        raise RulesError(
            _("The period must be at most %(max)s %(unit)s.")
            % {"max": MAX_PERIOD[unit], "unit": unit.label}
        )
    return period, unit


def _out_of_range() -> RulesError:
    return RulesError(_("The date is outside the range this calculator can handle."))


class _Years:
    """The years whose calendar a computation consulted."""

    def __init__(self) -> None:
        self.years: set[int] = set()

    def touch(self, day: date) -> None:
        self.years.add(day.year)

    @property
    def estimated(self) -> tuple[int, ...]:
        return tuple(sorted(y for y in self.years if not calendar.year_confirmed(y)))


def _working(day: date, years: _Years) -> bool:
    years.touch(day)
    return calendar.is_working_day(day)


def _estimated_rest_days(first: date, last: date) -> list[date]:
    """The rest days from ``first`` up to (not including) ``last`` that are only estimated: the
    art. 6 make-up days of a year whose arrangement is unpublished (weekends are left out)."""
    days = []
    day = first
    while day < last:
        if day.weekday() < 5 and calendar.is_rest_day(day) and calendar.is_estimated(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def _rule(articles: list[int]) -> str:
    unique = sorted(set(articles))
    return "民法典第" + "、".join(str(a) for a in unique) + "条"


# --- notice period ------------------------------------------------------------------------


def notice_period_end(
    *,
    start: date,
    period: int,
    unit: str,
    first_day_counts: bool = False,
    roll: bool = True,
    counted_from: str = "arrival",
) -> DateResult:
    period, unit = _validate(period, unit)
    if counted_from not in CountedFrom.values:
        raise RulesError(_("The period can only be counted from arrival or from dispatch."))
    counted_from = CountedFrom(counted_from)
    years = _Years()
    articles = [201]
    zh: list[str] = []
    en: list[str] = []
    start_zh, start_en = START_ZH[counted_from], START_EN[counted_from]
    if counted_from == CountedFrom.DISPATCH:
        articles.append(204)
    if first_day_counts:
        articles.append(204)
        first_zh = "合同约定开始当日计入"
        first_en = "the contract counts the first day"
    else:
        first_zh = f"{start_zh[:2]}当日不计入"
        first_en = f"the {start_en.lower()} day is not counted"
    from_zh = "（合同约定自发出之日起算）" if counted_from == CountedFrom.DISPATCH else ""
    from_en = " (the contract counts from dispatch)" if counted_from == CountedFrom.DISPATCH else ""

    try:
        if unit == PeriodUnit.DAYS:
            nominal = start + timedelta(days=period - 1 if first_day_counts else period)
            zh.append(
                f"{start_zh}{start.isoformat()}{from_zh}起算{period}日（{first_zh}），"
                f"期间最后一日为{calendar.describe_day_zh(nominal)}。"
            )
            en.append(
                f"{start_en} {start.isoformat()}{from_en} + {period} calendar days "
                f"({first_en}) = {calendar.describe_day_en(nominal)}."
            )
        elif unit == PeriodUnit.MONTHS:
            articles.append(202)
            target, clamped = add_months(start, period)
            # Counting the first day ends the period the day before the corresponding day,
            # unless the month had no corresponding day (then its last day, never earlier).
            nominal = target - timedelta(days=1) if first_day_counts and not clamped else target
            if clamped:
                zh_clamp = (
                    f"到期月没有第{start.day}日，以该月末日为期间最后一日"
                    f"（民法典第202条）：{calendar.describe_day_zh(nominal)}。"
                )
                en_clamp = (
                    f"{nominal:%Y-%m} has no day {start.day}, so its last day ends the period "
                    f"(Civil Code art. 202): {calendar.describe_day_en(nominal)}."
                )
            elif first_day_counts:
                zh_clamp = f"因开始当日计入，期间最后一日为对应日的前一日：{calendar.describe_day_zh(nominal)}。"
                en_clamp = (
                    "as the first day counts, the period ends the day before the corresponding "
                    f"day: {calendar.describe_day_en(nominal)}."
                )
            else:
                zh_clamp = f"到期月的对应日为期间最后一日（民法典第202条）：{calendar.describe_day_zh(nominal)}。"
                en_clamp = (
                    "the same day-number in the month of expiry ends the period "
                    f"(Civil Code art. 202): {calendar.describe_day_en(nominal)}."
                )
            zh.append(
                f"{start_zh}{start.isoformat()}{from_zh}起算{period}个月（{first_zh}），{zh_clamp}"
            )
            en.append(
                f"{start_en} {start.isoformat()}{from_en} + {period} month(s) ({first_en}): {en_clamp}"
            )
        else:
            day = start if first_day_counts else start + timedelta(days=1)
            counted = 0
            while True:
                if _working(day, years):
                    counted += 1
                    if counted == period:
                        break
                day += timedelta(days=1)
            nominal = day
            counting_zh = "自开始当日起" if first_day_counts else f"自{start_zh}次日起"
            counting_en = "from the first day" if first_day_counts else "from the next day"
            zh.append(
                f"{start_zh}{start.isoformat()}{from_zh}起算{period}个工作日（{counting_zh}"
                f"按中国法定工作日历计数，跳过周末和法定节假日，调休上班日计入），"
                f"第{period}个工作日为{calendar.describe_day_zh(nominal)}。"
            )
            en.append(
                f"{start_en} {start.isoformat()}{from_en} + {period} working days (counted "
                f"{counting_en} on the Chinese working calendar: weekends and public holidays "
                f"skipped, make-up working days counted) = {calendar.describe_day_en(nominal)}."
            )

        end, rolled = nominal, False
        if unit != PeriodUnit.WORKDAYS:
            # Without the roll the calendar cannot change the date, so it does not make the
            # result an estimate.
            nominal_works = _working(nominal, years) if roll else calendar.is_working_day(nominal)
            if nominal_works:
                if calendar.is_makeup_workday(nominal):
                    zh.append("该日为调休上班日，属于工作日，不顺延。")
                    en.append("That day is a make-up working day, so the end is not moved.")
            elif roll:
                articles.append(203)
                end = nominal + timedelta(days=1)
                while not _working(end, years):
                    end += timedelta(days=1)
                rolled = True
                zh.append(
                    f"期间最后一日是法定休假日，以休假日结束的次日为期间最后一日（民法典第203条），"
                    f"顺延至{calendar.describe_day_zh(end)}，即休假日后的第一个工作日。"
                )
                en.append(
                    f"The last day is a rest day, so the period ends on the first working day "
                    f"after the rest (Civil Code art. 203): rolled to "
                    f"{calendar.describe_day_en(end)}."
                )
                estimated = _estimated_rest_days(nominal, end)
                if estimated:
                    zh.append(
                        f"其中{'、'.join(d.isoformat() for d in estimated)}"
                        "为按放假办法第六条推定的补假日。"
                    )
                    en.append(
                        f"Of the days rolled over, {', '.join(d.isoformat() for d in estimated)} "
                        "are make-up rest days estimated under art. 6 of the holiday rules."
                    )
            else:
                articles.append(204)
                zh.append(
                    "该日为休息日，但合同约定期间届满日不因休息日顺延，不作调整（民法典第204条）。"
                )
                en.append(
                    "That day is a rest day, but the contract does not move the end of the "
                    "period, so it stands (Civil Code art. 204)."
                )
    except OverflowError:
        raise _out_of_range() from None

    zh.append(f"期间于{end.isoformat()}二十四时届满（民法典第203条第2款）。")
    en.append(f"The period ends at 24:00 on {end.isoformat()} (Civil Code art. 203 ¶2).")
    estimated = years.estimated
    return DateResult(
        end=end,
        nominal=nominal,
        rolled=rolled,
        confirmed=not estimated,
        rule=_rule(articles),
        explanation_zh="".join(zh),
        explanation_en=" ".join(en),
        estimated_years=estimated,
    )


def _clause_note(contract) -> tuple[str, str]:
    zh: list[str] = []
    en: list[str] = []
    if contract.clause_notice:
        zh.append(f"通知期依据合同{clause_zh(contract.clause_notice)}")
        en.append(f"notice period under {clause_en(contract.clause_notice)} of the contract")
    if contract.clause_counting:
        zh.append(f"期间计算方法依据合同{clause_zh(contract.clause_counting)}")
        en.append(f"counting rule under {clause_en(contract.clause_counting)}")
    if not zh:
        return "", ""
    return "；".join(zh) + "。", en[0][0].upper() + "; ".join(en)[1:] + "."


def notice_end_for_contract(*, contract, start: date) -> DateResult:
    """The end of the contract's notice period started on ``start`` (the day of arrival, or of
    dispatch where the contract counts from dispatch), with the contract's own counting rules."""
    result = notice_period_end(
        start=start,
        period=contract.notice_period,
        unit=contract.notice_unit,
        first_day_counts=contract.first_day_counts,
        roll=contract.roll_over_rest_days,
        counted_from=contract.notice_counted_from,
    )
    note_zh, note_en = _clause_note(contract)
    if not note_zh:
        return result
    return replace(
        result,
        explanation_zh=note_zh + result.explanation_zh,
        explanation_en=note_en + " " + result.explanation_en,
    )


def counting_start_for_contract(
    *, contract, dispatched_on: date | None, arrived_on: date | None
) -> date | None:
    """The date a notice period under ``contract`` is counted from, if it is known yet."""
    if contract.notice_counted_from == CountedFrom.DISPATCH:
        return dispatched_on
    return arrived_on


# --- auto-renewal cut-off -----------------------------------------------------------------


def renewal_notice_deadline(
    *, term_end: date, period: int, unit: str, counted_from: str = "arrival"
) -> DateResult:
    period, unit = _validate(period, unit)
    if counted_from not in CountedFrom.values:
        raise RulesError(_("The period can only be counted from arrival or from dispatch."))
    # A contract counting from dispatch asks for the notice to be *sent* by the cut-off.
    dispatch = counted_from == CountedFrom.DISPATCH
    arrive_zh = "发出（合同约定自发出之日起算）" if dispatch else "到达对方"
    arrive_en = "be sent (the contract counts from dispatch)" if dispatch else "arrive"
    years = _Years()
    articles = [201]
    try:
        if unit == PeriodUnit.DAYS:
            nominal = term_end - timedelta(days=period)
            zh = (
                f"合同期限于{term_end.isoformat()}届满；须提前{period}日通知不续期，"
                f"通知最迟应于{calendar.describe_day_zh(nominal)}{arrive_zh}。"
            )
            en = (
                f"The term ends on {term_end.isoformat()}; notice of non-renewal is due "
                f"{period} calendar days before, so it must {arrive_en} by "
                f"{calendar.describe_day_en(nominal)}."
            )
        elif unit == PeriodUnit.MONTHS:
            articles.append(202)
            nominal, clamped = add_months(term_end, -period)
            clamp_zh = "（该月没有对应日，取月末日）" if clamped else ""
            clamp_en = " (that month has no such day: its last day)" if clamped else ""
            zh = (
                f"合同期限于{term_end.isoformat()}届满；须提前{period}个月通知不续期，"
                f"通知最迟应于{calendar.describe_day_zh(nominal)}{clamp_zh}{arrive_zh}。"
            )
            en = (
                f"The term ends on {term_end.isoformat()}; notice of non-renewal is due "
                f"{period} month(s) before, so it must {arrive_en} by "
                f"{calendar.describe_day_en(nominal)}{clamp_en}."
            )
        else:
            day, counted = term_end, 0
            while True:
                if _working(day, years):
                    counted += 1
                    if counted == period:
                        break
                day -= timedelta(days=1)
            nominal = day - timedelta(days=1)
            zh = (
                f"合同期限于{term_end.isoformat()}届满；须提前{period}个工作日通知不续期。"
                f"自期满日倒数第{period}个工作日为{day.isoformat()}，"
                f"通知最迟应于其前一日{calendar.describe_day_zh(nominal)}{arrive_zh}。"
            )
            en = (
                f"The term ends on {term_end.isoformat()}; notice of non-renewal is due "
                f"{period} working days before. Counting back, the {period}th working day is "
                f"{day.isoformat()}, so notice must {arrive_en} by the day before, "
                f"{calendar.describe_day_en(nominal)}."
            )
        end, rolled = nominal, False
        if not _working(nominal, years):
            end = nominal - timedelta(days=1)
            while not _working(end, years):
                end -= timedelta(days=1)
            rolled = True
            # No article moves a cut-off earlier (art. 203 moves the *end* of a period later):
            # this is the desk's own caution, and the explanation says so.
            zh += (
                "该日为休息日。法律未规定此类截止日因休息日提前；为稳妥起见，本工作台建议提前至"
                f"此前最后一个工作日{calendar.describe_day_zh(end)}。"
            )
            en += (
                " That day is a rest day. No rule moves such a cut-off earlier; as a precaution "
                "the desk advises the last working day before it, "
                f"{calendar.describe_day_en(end)}."
            )
    except OverflowError:
        raise _out_of_range() from None
    if dispatch:
        zh += "逾期发出的通知可能无法阻止合同自动续期。"
        en += " Notice sent later may not stop the contract renewing."
    else:
        zh += "逾期到达的通知可能无法阻止合同自动续期。"
        en += " Notice arriving later may not stop the contract renewing."
    estimated = years.estimated
    return DateResult(
        end=end,
        nominal=nominal,
        rolled=rolled,
        confirmed=not estimated,
        rule=_rule(articles),
        explanation_zh=zh,
        explanation_en=en,
        estimated_years=estimated,
    )


def renewal_cutoff_for_contract(contract) -> DateResult | None:
    """The last day for notice of non-renewal to arrive, or None if the contract does not renew
    automatically or has no end date."""
    if not contract.auto_renews or contract.end_date is None:
        return None
    if contract.non_renewal_period:
        period, unit = contract.non_renewal_period, contract.non_renewal_unit
    else:
        period, unit = contract.notice_period, contract.notice_unit
    return renewal_notice_deadline(
        term_end=contract.end_date,
        period=period,
        unit=unit,
        counted_from=contract.notice_counted_from,
    )


# --- lapse of the right to terminate ------------------------------------------------------


def right_to_terminate_applies(*, basis: str, convenience_right: bool) -> bool:
    """Whether art. 564's lapse concerns the basis at all: it does not touch the rights that may
    be used at any time — ending an open-ended cooperation (art. 563 ¶2), an entrustment
    (art. 933) or a contractual right to end for convenience."""
    if basis in ("open_ended", "entrustment"):
        return False
    return not (basis == "contractual" and convenience_right)


def right_to_terminate_lapses(
    *,
    known_on: date | None,
    limit_days: int | None = None,
    demanded_on: date | None = None,
    reasonable_days: int | None = None,
) -> DateResult:
    """Art. 564: a limit set by the contract or the law runs from when the shop knew or should
    have known of the cause (¶1). Without one (¶2) the right lapses one year from then, or a
    reasonable period after the partner demanded a decision, whichever comes first; the law names
    no number for that period, so ``reasonable_days`` (the setting
    ``TERMINATIONS_DECISION_DEMAND_REASONABLE_DAYS``) is a judgement, and said to be one."""
    if reasonable_days is None:
        reasonable_days = settings.DECISION_DEMAND_REASONABLE_DAYS
    try:
        if limit_days is not None:
            if isinstance(limit_days, bool) or not isinstance(limit_days, int) or limit_days <= 0:
                raise RulesError(_("The time limit must be a whole number of days, at least 1."))
            if known_on is None:
                raise RulesError(_("Record the date the shop learned of the cause."))
            nominal = known_on + timedelta(days=limit_days)
            rule = "民法典第564条第1款"
            zh = (
                f"合同约定解除权行使期限为{limit_days}日：自{known_on.isoformat()}"
                f"（知道或应当知道解除事由之日，当日不计入）起算，至{nominal.isoformat()}届满，"
                "期满不行使的，解除权消灭（民法典第564条第1款）。"
            )
            en = (
                f"The contract limits the right to terminate to {limit_days} days: from "
                f"{known_on.isoformat()} (when the shop knew or should have known of the cause; "
                f"that day not counted) it lapses after {nominal.isoformat()} "
                "(Civil Code art. 564 ¶1)."
            )
        else:
            if known_on is None and demanded_on is None:
                raise RulesError(_("Record the date the shop learned of the cause."))
            rule = "民法典第564条第2款"
            limbs: list[tuple[date, str, str]] = []
            if known_on is not None:
                year_end, clamped = add_months(known_on, 12)
                clamp_zh = "（次年无对应日，取月末日）" if clamped else ""
                clamp_en = " (no such day next year: the month's last day)" if clamped else ""
                limbs.append(
                    (
                        year_end,
                        f"自{known_on.isoformat()}（知道或应当知道解除事由之日）起一年内不行使的，"
                        f"解除权消灭，即至{year_end.isoformat()}{clamp_zh}。",
                        f"one year after {known_on.isoformat()} (when the shop knew or should "
                        f"have known of the cause), i.e. after {year_end.isoformat()}{clamp_en}.",
                    )
                )
            if demanded_on is not None:
                demand_end = demanded_on + timedelta(days=reasonable_days)
                limbs.append(
                    (
                        demand_end,
                        f"对方于{demanded_on.isoformat()}催告本店作出决定，经催告后在合理期限内不"
                        f"行使的，解除权消灭；合理期限法律未作规定，此处按{reasonable_days}日判断"
                        f"（系判断而非法定期限），即至{demand_end.isoformat()}。",
                        f"the partner demanded a decision on {demanded_on.isoformat()}, and the "
                        "right lapses if not used within a reasonable period after that; the law "
                        f"names no number, so {reasonable_days} days is taken here (a judgement, "
                        f"not a statutory period), i.e. after {demand_end.isoformat()}.",
                    )
                )
            nominal = min(day for day, _zh, _en in limbs)
            zh = "合同及法律未规定解除权行使期限（民法典第564条第2款）：" + "".join(
                text for _day, text, _en in limbs
            )
            en = (
                "Neither the contract nor the law sets a time limit (Civil Code art. 564 ¶2): "
                "the right to terminate lapses " + "; or ".join(text for _day, _zh, text in limbs)
            )
            if len(limbs) > 1:
                zh += f"以先届至者为准：{nominal.isoformat()}。"
                en += f" Whichever comes first governs: {nominal.isoformat()}."
            elif demanded_on is None:
                zh += "对方催告后在合理期限内不行使的，解除权亦消灭。"
                en += (
                    " It also lapses if the partner demands a decision and the shop does not act "
                    "within a reasonable time."
                )
    except OverflowError:
        raise _out_of_range() from None
    zh += "该日不因休息日顺延：请在此日之前行使解除权。"
    en += " The date is not moved for rest days: act before it."
    return DateResult(
        end=nominal,
        nominal=nominal,
        rolled=False,
        confirmed=True,
        rule=rule,
        explanation_zh=zh,
        explanation_en=en,
    )
