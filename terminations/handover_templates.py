"""Handover checklists as data (DOMAIN.md §7), one template per partner kind and shop channel.

Account-security items come first and are due *before the letter*: an agency that learns of its
dismissal while it still holds the passwords holds the shop. Other items are due a number of
days from the end date (negative: before it). Titles are English msgids; the title is stored on
the item in the language active when the case was opened, and `title_for(code)` gives it again
in the current language.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

BEFORE_LETTER = "before_letter"
FROM_END = "from_end"


@dataclass(frozen=True)
class ItemTemplate:
    code: str
    category: str  # security / data / operations / plans / settlement / store
    title: Promise
    description: Promise | str = ""
    due_rule: str = FROM_END
    due_offset_days: int = 0
    required: bool = True


AGENCY_ITEMS: tuple[ItemTemplate, ...] = (
    ItemTemplate(
        "agency_export_evidence",
        "data",
        _("Export the shop's data and keep the chat evidence before access is revoked"),
        _(
            "Order, traffic and ad reports, and the chats with the agency (飞鸽, WeChat groups): "
            "once its access is revoked some of them can no longer be exported."
        ),
        BEFORE_LETTER,
    ),
    ItemTemplate(
        "agency_passwords",
        "security",
        _("Change the passwords and bound phone numbers of the Douyin and shop accounts"),
        _("Before any letter goes out. Record who changed what and when."),
        BEFORE_LETTER,
    ),
    ItemTemplate(
        "agency_subaccounts",
        "security",
        _("Remove or disable the agency's sub-accounts (子账号)"),
        _("Record the time each sub-account was disabled."),
        BEFORE_LETTER,
    ),
    ItemTemplate(
        "agency_ad_authorisations",
        "security",
        _("Review and revoke the ad-account (巨量千川) authorisations"),
        "",
        BEFORE_LETTER,
    ),
    ItemTemplate(
        "agency_service_market",
        "security",
        _(
            "Revoke the agency's app authorisations in the Douyin Shop service market (抖店服务市场)"
        ),
        _("Apps ordered or authorised by the agency can read orders and customer data."),
        BEFORE_LETTER,
    ),
    ItemTemplate(
        "agency_feige_seats",
        "security",
        _("Take back the Feige (飞鸽) customer-service seats"),
        "",
        BEFORE_LETTER,
    ),
    ItemTemplate(
        "agency_bank_account",
        "security",
        _("Check that the shop's settlement and withdrawal bank account is unchanged"),
        _("Compare it with the account on record; any change needs the shop's own verification."),
        BEFORE_LETTER,
    ),
    ItemTemplate(
        "agency_materials",
        "data",
        _("Collect content, materials and data reports"),
        _("Creative assets, scripts, live-stream recordings, monthly data reports."),
        FROM_END,
        0,
    ),
    ItemTemplate(
        "agency_orders",
        "operations",
        _("Take over open orders, after-sales and customer service"),
        "",
        FROM_END,
        0,
    ),
    ItemTemplate(
        "agency_personal_data",
        "data",
        _("Have customers' personal data returned or deleted, with written confirmation"),
        _(
            "Personal Information Protection Law art. 21; the duty of confidentiality continues (art. 558)."
        ),
        FROM_END,
        15,
    ),
    ItemTemplate(
        "agency_settle_fees",
        "settlement",
        _("Settle fees and ad spend"),
        "",
        FROM_END,
        30,
    ),
)

CREATOR_ITEMS: tuple[ItemTemplate, ...] = (
    ItemTemplate(
        "creator_targeted_plans",
        "plans",
        _("Close the targeted commission plans (定向计划)"),
        _(
            "Closing takes effect the next day: do it at least one day before the end date. "
            "A plan ending today cannot be closed."
        ),
        FROM_END,
        -2,
    ),
    ItemTemplate(
        "creator_exclusive_plans",
        "plans",
        _("Close, then remove the creator from, the exclusive plans (专属计划)"),
        "",
        FROM_END,
        -2,
    ),
    ItemTemplate(
        "creator_block_alliance",
        "plans",
        _("Remove or block the creator's cooperation in 精选联盟"),
        _(
            "Closing plans does not stop promotion through the general plan (通用计划): in "
            "达人合作, cancel the creator's qualification (取消该达人的资格)."
        ),
        FROM_END,
        0,
    ),
    ItemTemplate(
        "creator_showcase",
        "operations",
        _("Take the products off the creator's showcase"),
        "",
        FROM_END,
        0,
    ),
    ItemTemplate(
        "creator_samples",
        "operations",
        _("Recover samples (样品)"),
        "",
        FROM_END,
        14,
    ),
    ItemTemplate(
        "creator_commissions",
        "settlement",
        _("Settle commissions on orders placed before the end date"),
        _("Orders stay owed until the platform settles them (paid, receipt confirmed, settled)."),
        FROM_END,
        30,
    ),
)

# Local-services stores (抖音来客): the agency's accounts there, for agencies only.
LAIKE_AGENCY_ITEMS: tuple[ItemTemplate, ...] = (
    ItemTemplate(
        "laike_subaccounts",
        "security",
        _("Remove the agency's 来客 sub-accounts and staff accounts"),
        "",
        BEFORE_LETTER,
    ),
)

LAIKE_ITEMS: tuple[ItemTemplate, ...] = (
    ItemTemplate(
        "laike_vouchers",
        "store",
        _("Redeem or refund open vouchers and bookings"),
        _("Before the store is unbound."),
        FROM_END,
        -1,
    ),
    ItemTemplate(
        "laike_unbind_store",
        "store",
        _("Unbind the store from the partner"),
        _("Only after every open voucher and booking is redeemed or refunded."),
        FROM_END,
        0,
    ),
)

ALL_ITEMS: dict[str, ItemTemplate] = {
    item.code: item for item in (*AGENCY_ITEMS, *CREATOR_ITEMS, *LAIKE_AGENCY_ITEMS, *LAIKE_ITEMS)
}


def template_for(*, partner_kind: str, channel: str | None) -> list[ItemTemplate]:
    """The checklist for a partner kind ("agency", "creator", "mcn") and a contract channel
    ("doudian", "laike"; None when there is no contract), before-the-letter items first."""
    agency = partner_kind == "agency"
    items = list(AGENCY_ITEMS if agency else CREATOR_ITEMS)
    if channel == "laike":
        items.extend((*LAIKE_AGENCY_ITEMS, *LAIKE_ITEMS) if agency else LAIKE_ITEMS)
    # Stable: before-the-letter items first, then the order written above.
    return sorted(items, key=lambda item: 0 if item.due_rule == BEFORE_LETTER else 1)


def title_for(code: str) -> str:
    item = ALL_ITEMS.get(code)
    return str(item.title) if item else ""


def description_for(code: str) -> str:
    item = ALL_ITEMS.get(code)
    return str(item.description) if item else ""
