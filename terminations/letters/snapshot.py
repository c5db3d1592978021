"""Everything a letter shows, frozen into one JSON-able dict (STYLE.md point 5).

`build_snapshot(notice)` reads the case, partner, contract, shop profile and settlement once and
returns plain strings; the renderer reads nothing else. The letter's own wording (not the UI) is
written here in both languages: a letter's language is chosen per letter, independently of the
language of the person drafting it, so it does not go through gettext.
"""

from __future__ import annotations

import base64
import mimetypes
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from core.models import ShopProfile
from terminations.rules.clauses import clause_en as ref_en
from terminations.rules.clauses import clause_zh as ref_zh

SCHEMA = 1

TITLES = {
    "termination": ("解除合同通知书", "Notice of Termination of Contract"),
    "cure": (
        "催告及附条件解除通知",
        "Demand for Performance and Conditional Notice of Termination",
    ),
    "open_ended": ("终止合作通知函", "Notice Ending the Cooperation"),
    "mutual": ("解除协议确认函", "Confirmation of Termination by Mutual Agreement"),
    "withdrawal": ("撤回通知", "Withdrawal of Notice"),
}

# The legal article relied on, by kind of letter and basis of the case.
ARTICLES = {
    "contractual": (
        "《中华人民共和国民法典》第五百六十二条第二款、第五百六十五条",
        "Articles 562(2) and 565 of the Civil Code of the PRC",
    ),
    "breach": (
        "《中华人民共和国民法典》第五百六十三条第一款、第五百六十五条",
        "Articles 563(1) and 565 of the Civil Code of the PRC",
    ),
    "entrustment": (
        "《中华人民共和国民法典》第九百三十三条、第五百六十五条",
        "Articles 933 and 565 of the Civil Code of the PRC",
    ),
    "open_ended": (
        "《中华人民共和国民法典》第五百六十三条第二款",
        "Article 563(2) of the Civil Code of the PRC",
    ),
    "mutual": (
        "《中华人民共和国民法典》第五百六十二条第一款",
        "Article 562(1) of the Civil Code of the PRC",
    ),
    "cure": (
        "《中华人民共和国民法典》第五百六十三条第一款第（三）项、第五百六十五条",
        "Articles 563(1)(iii) and 565 of the Civil Code of the PRC",
    ),
    "withdrawal": (
        "《中华人民共和国民法典》第一百四十一条",
        "Article 141 of the Civil Code of the PRC",
    ),
}

CHANNELS = {"doudian": ("抖店", "Douyin shop"), "laike": ("抖音来客", "Douyin Laike store")}
SETTLEMENT_KINDS = {
    "penalty": ("违约金", "Penalty"),
    "refund": ("预付费用退还", "Refund of prepaid fees"),
    "deposit": ("保证金/定金", "Deposit"),
    "commission": ("应付佣金", "Commissions owed"),
    "fee": ("应付服务费", "Fees owed"),
    "deduction": ("约定扣减", "Agreed deduction"),
    "other": ("其他", "Other"),
}
DIRECTIONS = {
    "to_shop": ("贵方向本公司支付", "payable by you to us"),
    "to_partner": ("本公司向贵方支付", "payable by us to you"),
}


def zh_date(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def en_date(day: date | None) -> str:
    return f"{day.day} {day:%B} {day.year}" if day else ""


def money(amount: Decimal) -> str:
    return f"{amount.quantize(Decimal('0.01')):,}"


def _t(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


def _user(text: str) -> dict[str, str]:
    """Text a person wrote: shown once, as typed, in whichever language it was written."""
    return {"text": text}


def _seal_data_uri(profile: ShopProfile | None) -> str:
    if not profile or not profile.seal_image:
        return ""
    try:
        with profile.seal_image.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        return ""
    mime = mimetypes.guess_type(profile.seal_image.name)[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _sender(profile: ShopProfile | None) -> dict[str, str]:
    if profile is None:
        return dict.fromkeys(_SENDER_KEYS, "")
    return {
        "name": profile.legal_name,
        "credit_code": profile.credit_code,
        "address": profile.address,
        "shop_name": profile.shop_name,
        "shop_id": profile.shop_id,
        "contact_name": profile.contact_name,
        "contact_phone": profile.contact_phone,
        "contact_email": profile.contact_email,
        "bank_name": profile.bank_name,
        "bank_account_name": profile.bank_account_name,
        "bank_account_number": profile.bank_account_number,
        "dispute_forum": profile.dispute_forum,
        "seal": _seal_data_uri(profile),
    }


_SENDER_KEYS = [
    "name",
    "credit_code",
    "address",
    "shop_name",
    "shop_id",
    "contact_name",
    "contact_phone",
    "contact_email",
    "bank_name",
    "bank_account_name",
    "bank_account_number",
    "dispute_forum",
    "seal",
]


def _addressee(partner, contract, role: dict[str, str]) -> dict[str, Any]:
    use_contract = contract is not None and contract.partner_id == partner.pk
    return {
        "role": role,
        "name": partner.name,
        "company_name": partner.company_name,
        "credit_code": partner.credit_code,
        "douyin_id": partner.douyin_id,
        "buyin_id": partner.buyin_id,
        "contact_name": partner.contact_name,
        "address": contract.effective_notice_address if use_contract else partner.notice_address,
        "email": contract.effective_notice_email if use_contract else partner.notice_email,
        "messaging": (
            contract.effective_notice_messaging if use_contract else partner.notice_messaging
        ),
    }


def _addressees(partner, contract) -> list[dict[str, Any]]:
    if partner.kind == "creator" and partner.mcn_id:
        return [
            _addressee(partner, contract, _t("达人", "Creator")),
            _addressee(partner.mcn, None, _t("签约机构（MCN）", "Creator agency (MCN)")),
        ]
    role = _t("代运营服务商", "Agency operator") if partner.kind == "agency" else _t("合作方", "")
    if partner.kind == "creator":
        role = _t("达人", "Creator")
    return [_addressee(partner, contract, role)]


def _addressee_names(addressees: list[dict[str, Any]]) -> tuple[str, str]:
    names = [a["company_name"] or a["name"] for a in addressees]
    return "、".join(names), " and ".join(names)


def _contract(contract, profile: dict[str, str]) -> dict[str, str] | None:
    if contract is None:
        return None
    channel = CHANNELS.get(contract.channel, ("", ""))
    return {
        "number": contract.number,
        "title": contract.title,
        "written": contract.written,
        "signed_on_zh": zh_date(contract.signed_on),
        "signed_on_en": en_date(contract.signed_on),
        "start_zh": zh_date(contract.start_date),
        "start_en": en_date(contract.start_date),
        "end_zh": zh_date(contract.end_date) or "不定期",
        "end_en": en_date(contract.end_date) or "open-ended",
        "channel_zh": channel[0],
        "channel_en": channel[1],
        "shop_name": profile["shop_name"],
        "shop_id": profile["shop_id"],
        "clause_termination": contract.clause_termination,
        "clause_notice": contract.clause_notice,
        "clause_penalty": contract.clause_penalty,
        "clause_counting": contract.clause_counting,
        "notice_period": contract.notice_period,
        "notice_unit": contract.notice_unit,
        "counted_from": contract.notice_counted_from,
        "first_day_counts": contract.first_day_counts,
        "roll_over_rest_days": contract.roll_over_rest_days,
    }


def _contract_sentence(contract: dict[str, str] | None, partner) -> dict[str, str]:
    if contract is None:
        return _t(
            f"贵方与本公司之间就抖音带货推广形成的合作关系（无书面合同，以双方聊天记录等为准；"
            f"合作方抖音号：{partner.douyin_id or '—'}）。",
            "The cooperation between you and us in promoting products on Douyin (no written "
            f"contract; as evidenced by our chat records; Douyin ID: {partner.douyin_id or '—'}).",
        )
    return _t(
        f"双方于{contract['signed_on_zh'] or '—'}签订的《{contract['title']}》"
        f"（合同编号：{contract['number']}；合作期限：{contract['start_zh']}至{contract['end_zh']}；"
        f"涉及店铺：{contract['channel_zh']}「{contract['shop_name']}」，店铺ID：{contract['shop_id']}）"
        "（以下简称“本合同”）。",
        f"The contract “{contract['title']}” (No. {contract['number']}) signed on "
        f"{contract['signed_on_en'] or '—'}, term {contract['start_en']} to {contract['end_en']}, "
        f"concerning our {contract['channel_en']} “{contract['shop_name']}” (shop ID "
        f"{contract['shop_id']}) (the “Contract”).",
    )


def _basis_paragraphs(kind: str, basis: str, contract: dict | None) -> list[dict[str, str]]:
    article_key = kind if kind in ("cure", "withdrawal", "mutual") else basis or "contractual"
    if kind == "open_ended":
        article_key = "open_ended"
    article_zh, article_en = ARTICLES.get(article_key, ARTICLES["contractual"])
    clause = (contract or {}).get("clause_termination") or ""
    notice_clause = (contract or {}).get("clause_notice") or ""
    clause_zh = f"本合同{ref_zh(clause)}" if clause else ""
    clause_en = f"{ref_en(clause)} of the Contract" if clause else ""
    if notice_clause and notice_clause != clause:
        clause_zh += f"、{ref_zh(notice_clause)}" if clause_zh else f"本合同{ref_zh(notice_clause)}"
        clause_en += (
            f" and {ref_en(notice_clause)}"
            if clause_en
            else f"{ref_en(notice_clause)} of the Contract"
        )
    if clause_zh:
        return [
            _t(
                f"本公司依据{clause_zh}及{article_zh}的规定发出本函。",
                f"We send this letter under {clause_en} and {article_en}.",
            )
        ]
    return [
        _t(f"本公司依据{article_zh}的规定发出本函。", f"We send this letter under {article_en}.")
    ]


def _end_paragraphs(notice, case, contract: dict | None) -> list[dict[str, str]]:
    """The unambiguous statement of termination and when it takes effect, with its rule."""
    kind, basis = notice.kind, case.basis
    paragraphs: list[dict[str, str]] = []
    if kind == "cure":
        days = notice.cure_period_days or case.cure_period_days or 15
        paragraphs.append(
            _t(
                f"本公司现催告贵方自本通知到达之日起{days}日内（到达当日不计入）纠正上述违约行为、"
                f"履行合同义务。如贵方逾期仍未纠正，本合同自该期限届满之日24:00起解除，无需另行通知。",
                f"We hereby demand that you cure the breach described above and perform your "
                f"obligations within {days} days after this notice reaches you (the day of "
                f"arrival not counted). If you fail to do so, the Contract is terminated at 24:00 "
                f"on the last day of that period without further notice.",
            )
        )
    elif kind == "mutual":
        paragraphs.append(
            _t(
                f"经双方协商一致，双方同意本合同于{zh_date(case.agreed_end_date) or '____年__月__日'}24:00解除。"
                "本确认函经双方签字盖章后生效。",
                "By mutual agreement, both parties agree that the Contract is terminated at "
                f"24:00 on {en_date(case.agreed_end_date) or '__________'}. This confirmation "
                "takes effect when signed and sealed by both parties.",
            )
        )
    elif kind == "withdrawal":
        target = notice.withdraws
        number = target.letter_number or target.number_or_draft if target else "—"
        paragraphs.append(
            _t(
                f"本公司特此撤回编号为{number}的通知。依据{ARTICLES['withdrawal'][0]}，"
                "本撤回通知先于或与被撤回通知同时到达贵方的，被撤回通知不发生效力。"
                "双方之间的合同关系继续按原约定履行。",
                f"We hereby withdraw our notice No. {number}. Under "
                f"{ARTICLES['withdrawal'][1]}, where this withdrawal reaches you before or at the "
                "same time as that notice, that notice has no effect. The contract between us "
                "continues on its original terms.",
            )
        )
    elif kind == "open_ended":
        days = case.reasonable_notice_days
        paragraphs.append(
            _t(
                f"本公司现通知贵方终止双方的合作关系。双方合作关系自本通知到达贵方之日起满{days}日"
                f"（到达当日不计入；期间最后一日为法定休假日的，顺延至其后第一个工作日）之日24:00终止。",
                f"We hereby give you notice that our cooperation ends. It ends at 24:00 on the day "
                f"{days} days after this notice reaches you (the day of arrival not counted; "
                "if that day is a statutory rest day, the first working day after it).",
            )
        )
    elif basis == "contractual":
        terms = contract or {}
        period = terms.get("notice_period") or 30
        unit = terms.get("notice_unit") or "days"
        unit_zh = {"days": "日", "months": "个月", "workdays": "个工作日"}.get(unit, "日")
        unit_en = {"days": "days", "months": "months", "workdays": "working days"}.get(unit, "days")
        # The contract's own counting terms, frozen with the letter (older snapshots lack them:
        # the statutory defaults, from arrival, first day not counted, rolled over rest days).
        sent = terms.get("counted_from") == "dispatch"
        event_zh, event_en = ("发出", "is sent") if sent else ("到达贵方", "reaches you")
        day_zh, day_en = ("发出", "dispatch") if sent else ("到达", "arrival")
        first_zh, first_en = (
            ("计入", "counted") if terms.get("first_day_counts") else ("不计入", "not counted")
        )
        if terms.get("roll_over_rest_days", True):
            roll_zh = "期间最后一日为法定休假日的，顺延至其后第一个工作日"
            roll_en = "if the last day is a statutory rest day, the first working day after it"
        else:
            roll_zh = "期间最后一日为法定休假日的，不予顺延"
            roll_en = "not moved if the last day is a statutory rest day"
        paragraphs.append(
            _t(
                f"本公司现通知贵方解除本合同。依据合同约定，本合同自本通知{event_zh}之日起满"
                f"{period}{unit_zh}（{day_zh}当日{first_zh}；{roll_zh}）之日24:00解除。",
                f"We hereby terminate the Contract. As the Contract provides, it ends at 24:00 "
                f"on the last day of a period of {period} {unit_en} counted from the day this "
                f"notice {event_en} (the day of {day_en} {first_en}; {roll_en}).",
            )
        )
    else:  # breach or entrustment: ends when the notice arrives (art. 565)
        paragraphs.append(
            _t(
                "本公司现通知贵方解除本合同。本合同自本通知到达贵方之时解除。",
                "We hereby terminate the Contract. It is terminated when this notice reaches you.",
            )
        )
        if basis == "entrustment":
            paragraphs.append(
                _t(
                    "本公司将依法处理因解除合同给贵方造成的直接损失。",
                    "We will deal with any direct loss the termination causes you as the law "
                    "requires.",
                )
            )
    if case.end_date and kind not in ("withdrawal", "cure"):
        if case.end_date_confirmed:
            paragraphs.append(
                _t(
                    f"据此，合作终止日为{zh_date(case.end_date)}24:00。计算依据：{case.end_date_explanation_zh}",
                    f"Accordingly, the cooperation ends at 24:00 on {en_date(case.end_date)}. "
                    f"How this date was computed: {case.end_date_explanation_en}",
                )
            )
        else:
            # The year's official holiday arrangement is not published: the date is our best
            # estimate, so the letter states it with the rule governing (no internal note).
            paragraphs.append(
                _t(
                    f"据此，合作终止日为{zh_date(case.end_date)}24:00；如依照国家公布的节假日安排，"
                    "上述期间的届满日晚于该日，以期间届满之日24:00为准。",
                    f"Accordingly, the cooperation ends at 24:00 on {en_date(case.end_date)}; "
                    "should the period, counted on the public-holiday arrangement the State "
                    "publishes, end later, it ends at 24:00 on that later day.",
                )
            )
    return paragraphs


def _handover_paragraphs(partner_kind: str, case, deadline_zh: str, deadline_en: str) -> list:
    if partner_kind == "agency":
        items = [
            _t(
                "停止以本公司名义进行任何店铺运营、投放及直播活动；交还并协助变更抖音账号、店铺后台的全部"
                "登录凭证、绑定手机号及子账号，配合解除巨量千川等广告账户授权；",
                "stop every operation, advertising and live stream in our name; hand back, and "
                "help us change, every log-in credential, bound phone number and sub-account of "
                "our Douyin and shop accounts, and cooperate in revoking ad-account (Qianchuan) "
                "authorisations;",
            ),
            _t(
                "移交合作期间形成的全部内容素材、数据报表及工作文件；",
                "hand over all content, materials, data reports and working files made during "
                "the cooperation;",
            ),
            _t(
                "移交未完结订单、售后及客服事项；",
                "hand over open orders, after-sales cases and customer service;",
            ),
            _t(
                "停止使用本公司的商标、店铺名称及品牌标识。",
                "stop using our trademarks, shop name and brand.",
            ),
        ]
    else:
        items = [
            _t(
                "本公司将关闭对贵方的定向佣金计划并将贵方移出专属计划；",
                "we close the targeted commission plans for you and remove you from our "
                "exclusive plans;",
            ),
            _t(
                "请贵方自商品橱窗下架本公司全部商品并停止推广；",
                "please take all our products off your showcase and stop promoting them;",
            ),
            _t(
                "请贵方归还本公司提供的样品（或按约定结算）；",
                "please return the samples we provided (or settle them as agreed);",
            ),
            _t(
                "终止日前已付款订单的佣金，按平台结算规则在结算后支付；",
                "commissions on orders paid before the end date are paid once the platform "
                "settles them;",
            ),
            _t(
                "停止使用本公司的商标、店铺名称及品牌标识。",
                "stop using our trademarks, shop name and brand.",
            ),
        ]
    lead = _t(
        f"请贵方于{deadline_zh}前完成以下交接事项：",
        f"Please complete the following handover by {deadline_en}:",
    )
    numbered = [
        _t(f"{i}. {item['zh']}", f"{i}. {item['en']}") for i, item in enumerate(items, start=1)
    ]
    return [lead, *numbered]


def _data_paragraphs() -> list[dict[str, str]]:
    return [
        _t(
            "依据《中华人民共和国个人信息保护法》第二十一条，贵方应于合同解除之日起5日内返还或删除"
            "因合作而处理的本店铺客户个人信息（含订单、收货及客服记录），不得保留副本，"
            "并向本公司出具书面确认。",
            "Under Article 21 of the Personal Information Protection Law, within 5 days after "
            "the termination you must return or delete the personal information of our "
            "customers that you processed in the cooperation (including orders, delivery and "
            "customer-service records), keep no copy, and confirm this to us in writing.",
        ),
        _t(
            "依据《中华人民共和国民法典》第五百五十八条，合同解除后贵方仍应履行保密义务，"
            "不得披露或使用在合作中知悉的本公司商业秘密及数据。",
            "Under Article 558 of the Civil Code, your duty of confidentiality continues after "
            "the termination: you may not disclose or use our trade secrets or data learned in "
            "the cooperation.",
        ),
    ]


def _settlement(case, sender: dict[str, str]) -> dict[str, Any]:
    lines = []
    to_shop = Decimal("0")
    to_partner = Decimal("0")
    for line in case.settlement_lines.all():
        kind = SETTLEMENT_KINDS.get(line.kind, ("", ""))
        direction = DIRECTIONS.get(line.direction, ("", ""))
        if line.direction == "to_shop":
            to_shop += line.amount
        else:
            to_partner += line.amount
        lines.append(
            {
                "kind": _t(kind[0], kind[1]),
                "direction": _t(direction[0], direction[1]),
                "description": line.description,
                "amount": money(line.amount),
                "claim": line.is_claim,
                "due_zh": zh_date(line.due_on),
                "due_en": en_date(line.due_on),
            }
        )
    net = to_shop - to_partner
    if not lines:
        summary = _t(
            "双方之间的费用结算另行核对确认。",
            "The settlement between us will be reconciled and confirmed separately.",
        )
    elif net > 0:
        summary = _t(
            f"相抵后，贵方应向本公司支付人民币{money(net)}元。",
            f"After set-off, you owe us CNY {money(net)}.",
        )
    elif net < 0:
        summary = _t(
            f"相抵后，本公司应向贵方支付人民币{money(-net)}元。",
            f"After set-off, we owe you CNY {money(-net)}.",
        )
    else:
        summary = _t("相抵后，双方互不欠款。", "After set-off, neither party owes the other.")
    payment = None
    if sender["bank_account_number"]:
        payment = _t(
            f"收款账户：{sender['bank_account_name']}，开户行：{sender['bank_name']}，"
            f"账号：{sender['bank_account_number']}。",
            f"Payment to: {sender['bank_account_name']}, bank: {sender['bank_name']}, "
            f"account No. {sender['bank_account_number']}.",
        )
    return {"lines": lines, "summary": summary, "payment": payment}


def build_snapshot(
    notice, *, letter_number: str = "", verification_code: str = "", issued_on: date | None = None
) -> dict[str, Any]:
    """Every value the letter shows. Called for the preview (no number yet) and, inside
    `notice_issue`, once more with the number and code; the result is stored on the row."""
    case = notice.case
    partner = case.partner
    contract_row = case.contract
    profile = ShopProfile.load()
    sender = _sender(profile)
    issued_on = issued_on or timezone.localdate()
    contract = _contract(contract_row, sender)
    addressees = _addressees(partner, contract_row)
    names_zh, names_en = _addressee_names(addressees)
    kind = notice.kind
    title_zh, title_en = TITLES[kind]

    sections: list[dict[str, Any]] = []

    def section(key: str, zh: str, en: str, paragraphs: list[dict[str, str]]) -> None:
        if paragraphs:
            sections.append({"key": key, "heading": _t(zh, en), "paragraphs": paragraphs})

    section("contract", "一、所涉合同", "1. The contract", [_contract_sentence(contract, partner)])
    facts = notice.facts.strip()
    section("facts", "二、事实", "2. The facts", [_user(facts)] if facts else [])
    section(
        "basis",
        "三、依据",
        "3. The basis",
        _basis_paragraphs(kind, case.basis, contract),
    )
    end_heading = {
        "cure": ("四、催告及解除", "4. Demand and termination"),
        "withdrawal": ("四、撤回", "4. Withdrawal"),
        "mutual": ("四、解除及生效", "4. Termination and its effective date"),
    }.get(kind, ("四、解除及生效时间", "4. Termination and when it takes effect"))
    section("end", *end_heading, _end_paragraphs(notice, case, contract))

    if kind != "withdrawal":
        if case.end_date:
            deadline_zh = f"{zh_date(case.end_date)}24:00"
            deadline_en = f"24:00 on {en_date(case.end_date)}"
        else:
            deadline_zh, deadline_en = (
                "合同解除之日24:00",
                "24:00 on the day the termination takes effect",
            )
        handover = _handover_paragraphs(partner.kind, case, deadline_zh, deadline_en)
        demands = notice.demands.strip()
        if demands:
            handover.append(_user(demands))
        section("handover", "五、交接事项", "5. Handover", handover)
        if partner.kind == "agency":
            section(
                "data",
                "六、个人信息及保密义务",
                "6. Personal information and confidentiality",
                _data_paragraphs(),
            )
        settlement = _settlement(case, sender)
        settlement_paragraphs = [settlement["summary"]]
        if settlement["payment"]:
            settlement_paragraphs.append(settlement["payment"])
        sections.append(
            {
                "key": "settlement",
                "heading": _t("七、费用结算", "7. Settlement"),
                "paragraphs": settlement_paragraphs,
                "lines": settlement["lines"],
            }
        )
        forum = sender["dispute_forum"]
        section(
            "rights",
            "八、权利保留及争议解决",
            "8. Reservation of rights and disputes",
            [
                _t(
                    "本公司保留依据本合同及法律追究贵方违约责任、要求赔偿损失的一切权利。"
                    + (f"因本合同引起的争议，提交{forum}解决。" if forum else ""),
                    "We reserve every right under the Contract and the law, including to claim "
                    "damages for breach."
                    + (f" Disputes arising from the Contract go to {forum}." if forum else ""),
                )
            ]
            if kind != "mutual"
            else [
                _t(
                    "除本确认函及双方另行书面约定外，双方就本合同的结算及交接按上述约定办理。"
                    + (f"因本确认函引起的争议，提交{forum}解决。" if forum else ""),
                    "Settlement and handover follow the terms above and any other written "
                    "agreement between us."
                    + (f" Disputes arising from this confirmation go to {forum}." if forum else ""),
                )
            ],
        )
    contact_bits_zh = "，".join(
        bit
        for bit in (
            sender["contact_name"],
            f"电话：{sender['contact_phone']}" if sender["contact_phone"] else "",
            f"邮箱：{sender['contact_email']}" if sender["contact_email"] else "",
        )
        if bit
    )
    contact_bits_en = ", ".join(
        bit
        for bit in (
            sender["contact_name"],
            f"phone {sender['contact_phone']}" if sender["contact_phone"] else "",
            f"e-mail {sender['contact_email']}" if sender["contact_email"] else "",
        )
        if bit
    )
    section(
        "contact",
        "九、联系人",
        "9. Contact",
        [_t(f"本公司联系人：{contact_bits_zh}。", f"Our contact person: {contact_bits_en}.")],
    )

    attachments = []
    if contract_row is not None:
        attachments.append(
            _t(f"《{contract_row.title}》复印件", f"Copy of the contract “{contract_row.title}”")
        )
    else:
        attachments.append(_t("双方合作聊天记录截图", "Screenshots of our chat records"))
    if kind == "withdrawal" and notice.withdraws_id:
        attachments.append(
            _t(
                f"被撤回通知（{notice.withdraws.number_or_draft}）复印件",
                f"Copy of the withdrawn notice ({notice.withdraws.number_or_draft})",
            )
        )
    for item in case.evidence.all():
        attachments.append(_user(item.description))

    return {
        "schema": SCHEMA,
        "kind": kind,
        "language": notice.language,
        "draft": not letter_number,
        "letter_number": letter_number,
        "verification_code": verification_code,
        "case_reference": case.reference,
        "issued_on": issued_on.isoformat(),
        "issued_on_zh": zh_date(issued_on),
        "issued_on_en": en_date(issued_on),
        "title": _t(title_zh, title_en),
        "salutation": _t(f"致：{names_zh}", f"To: {names_en}"),
        "sender": sender,
        "addressees": addressees,
        "contract": contract,
        "sections": sections,
        "countersign": kind == "mutual",
        "attachments": attachments,
        "end": {
            "date": case.end_date.isoformat() if case.end_date else "",
            "nominal": case.end_date_nominal.isoformat() if case.end_date_nominal else "",
            "time": "24:00",
            "rule": case.end_date_rule,
            "confirmed": case.end_date_confirmed,
            "explanation_zh": case.end_date_explanation_zh,
            "explanation_en": case.end_date_explanation_en,
        },
    }


def snapshot_texts(snapshot: Any) -> list[str]:
    """Every string in a snapshot except embedded images: what the font must cover."""
    if isinstance(snapshot, str):
        return [] if snapshot.startswith("data:") else [snapshot]
    if isinstance(snapshot, dict):
        return [text for value in snapshot.values() for text in snapshot_texts(value)]
    if isinstance(snapshot, (list, tuple)):
        return [text for value in snapshot for text in snapshot_texts(value)]
    return []
