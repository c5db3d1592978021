"""Django admin for termination cases: reference data and repairs by an administrator, never the
normal path for case work (DESIGN.md). Everything the workflow services own — stage, dates they
compute, events, frozen letters — is read-only here, and nothing with history can be deleted.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from terminations.models import (
    CaseEvent,
    Commission,
    CommissionColumnMapping,
    Delivery,
    HandoverItem,
    NegotiationEntry,
    Notice,
    Reminder,
    ReminderFailure,
    SettlementLine,
    TerminationCase,
    UserPreference,
)


class ReadOnlyMixin:
    """No add, change or delete: append-only history and records of what was sent."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class CaseEventInline(ReadOnlyMixin, admin.TabularInline):
    model = CaseEvent
    extra = 0
    fields = ["created_at", "kind", "from_stage", "to_stage", "actor", "message"]
    readonly_fields = fields
    ordering = ["created_at", "pk"]
    show_change_link = False


@admin.register(TerminationCase)
class TerminationCaseAdmin(admin.ModelAdmin):
    list_display = ["reference", "partner", "stage", "owner", "end_date", "opened_at"]
    list_filter = ["stage", "basis", "reason_category", "partner__kind", "end_date"]
    search_fields = ["reference", "partner__name", "partner__company_name", "contract__number"]
    list_select_related = ["partner", "owner"]
    raw_id_fields = ["partner", "contract", "owner", "opened_by"]
    # The workflow services own these (DESIGN.md: a view never assigns `stage` directly).
    readonly_fields = [
        "reference",
        "stage",
        "stage_entered_at",
        "opened_at",
        "opened_by",
        "closed_at",
        "end_date",
        "end_date_nominal",
        "end_date_confirmed",
        "end_date_rule",
        "end_date_explanation_zh",
        "end_date_explanation_en",
        "updated_at",
    ]
    inlines = [CaseEventInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A case is opened through the services (it gets its handover checklist and first event).
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["created_at", "case", "kind", "from_stage", "to_stage", "actor"]
    list_filter = ["kind", "to_stage"]
    search_fields = ["case__reference", "message"]
    list_select_related = ["case", "case__partner", "actor"]
    raw_id_fields = ["case"]


# What an issued letter shows and proves: frozen at issue, never edited (STYLE.md point 5).
NOTICE_FROZEN_FIELDS = [
    "case",
    "kind",
    "origin",
    "sequence",
    "version",
    "status",
    "language",
    "letter_number",
    "verification_code",
    "snapshot",
    "pdf",
    "sha256",
    "size",
    "withdraws",
    "supersedes",
    "drafted_by",
    "drafted_at",
    "approved_by",
    "approved_at",
    "issued_by",
    "issued_at",
]


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "case", "kind", "status", "language", "issued_at"]
    list_filter = ["status", "kind", "language", "origin"]
    search_fields = ["letter_number", "verification_code", "sha256", "case__reference"]
    list_select_related = ["case", "case__partner"]
    readonly_fields = NOTICE_FROZEN_FIELDS

    def get_readonly_fields(self, request: HttpRequest, obj: Notice | None = None) -> list[str]:
        if obj is not None and obj.is_issued:
            # An issued letter is immutable: every field, including the scanned copy.
            return [f.name for f in Notice._meta.concrete_fields if f.name != "id"]
        return list(self.readonly_fields)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["notice", "method", "reference", "dispatched_on", "arrived_on", "refused"]
    list_filter = ["method", "refused"]
    search_fields = ["reference", "notice__letter_number", "notice__case__reference"]
    list_select_related = ["notice", "notice__case"]
    raw_id_fields = ["notice", "recorded_by"]
    readonly_fields = ["recorded_by", "recorded_at"]

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(HandoverItem)
class HandoverItemAdmin(admin.ModelAdmin):
    list_display = ["title", "case", "status", "due_date", "owner", "required"]
    list_filter = ["status", "required", "due_rule", "category"]
    search_fields = ["title", "case__reference"]
    list_select_related = ["case", "owner"]
    raw_id_fields = ["case", "owner", "completed_by"]
    readonly_fields = ["completed_by", "completed_at"]


@admin.register(SettlementLine)
class SettlementLineAdmin(admin.ModelAdmin):
    list_display = ["case", "kind", "direction", "amount", "paid", "paid_on"]
    list_filter = ["kind", "direction", "paid", "is_claim"]
    search_fields = ["case__reference", "description"]
    list_select_related = ["case"]
    raw_id_fields = ["case", "recorded_by"]
    readonly_fields = ["recorded_by", "recorded_at"]


@admin.register(Commission)
class CommissionAdmin(admin.ModelAdmin):
    """Creator commissions the platform settles: tracked, never the shop's debt."""

    list_display = ["case", "order_number", "ordered_at", "estimated_commission", "status"]
    list_filter = ["status", "source"]
    search_fields = ["case__reference", "order_number"]
    list_select_related = ["case"]
    raw_id_fields = ["case", "recorded_by"]
    readonly_fields = ["recorded_by", "recorded_at", "source"]


@admin.register(CommissionColumnMapping)
class CommissionColumnMappingAdmin(admin.ModelAdmin):
    list_display = ["shop_key", "updated_by", "updated_at"]
    readonly_fields = ["updated_by", "updated_at"]


@admin.register(NegotiationEntry)
class NegotiationEntryAdmin(admin.ModelAdmin):
    list_display = ["occurred_on", "case", "channel", "kind", "next_step_due"]
    list_filter = ["channel", "kind"]
    search_fields = ["case__reference", "summary", "participants"]
    list_select_related = ["case"]
    raw_id_fields = ["case", "recorded_by"]
    readonly_fields = ["recorded_by", "recorded_at"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["sent_at", "kind", "channel", "recipient", "case", "due_on", "language"]
    list_filter = ["channel", "kind", "language"]
    search_fields = ["key", "case__reference"]
    list_select_related = ["recipient", "case"]


@admin.register(ReminderFailure)
class ReminderFailureAdmin(admin.ModelAdmin):
    """Read-only but deletable: deleting a failure lets its reminder be tried again."""

    list_display = ["last_failed_at", "kind", "channel", "recipient", "case", "count", "error"]
    list_filter = ["channel", "kind"]
    search_fields = ["key", "case__reference", "error"]
    list_select_related = ["recipient", "case"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(UserPreference)
class UserPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "language"]
    list_filter = ["language"]
    search_fields = ["user__username"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
