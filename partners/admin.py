from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from partners.models import Contract, Partner


def _has_history(partner: Partner) -> bool:
    """Whether any row refers to the partner: contracts, cases, signed creators, and so on."""
    for relation in Partner._meta.related_objects:
        if relation.related_model._base_manager.filter(**{relation.field.name: partner}).exists():
            return True
    return False


class ContractInline(admin.StackedInline):
    model = Contract
    extra = 0
    show_change_link = True
    can_delete = False
    fields = [
        ("number", "title"),
        ("start_date", "end_date", "auto_renews"),
        ("notice_period", "notice_unit"),
        ("penalty_type", "penalty_value"),
    ]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "status",
        "company_name",
        "douyin_id",
        "contact_name",
        "created_at",
    ]
    list_filter = ["kind", "status", "engage_again"]
    # The ID number is never listed or searchable: its field is encrypted and its form input
    # write-only (partners.fields).
    search_fields = [
        "name",
        "real_name",
        "company_name",
        "credit_code",
        "douyin_id",
        "buyin_id",
        "contact_name",
    ]
    autocomplete_fields = ["mcn"]
    readonly_fields = ["id_number_masked", "created_at", "updated_at"]
    inlines = [ContractInline]

    @admin.display(description=_("ID number (masked)"))
    def id_number_masked(self, obj: Partner) -> str:
        return obj.id_number_masked or "—"

    def has_delete_permission(self, request: HttpRequest, obj: Partner | None = None) -> bool:
        # A partner with history is archived, never deleted (PROTECT would refuse it anyway).
        if obj is not None and _has_history(obj):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "title",
        "partner",
        "channel",
        "start_date",
        "end_date",
        "auto_renews",
        "notice_period",
        "notice_unit",
    ]
    list_filter = ["channel", "auto_renews", "partner__kind", "fee_model", "penalty_type"]
    search_fields = [
        "number",
        "title",
        "partner__name",
        "partner__company_name",
        "laike_store_name",
        "laike_store_id",
    ]
    autocomplete_fields = ["partner", "responsible"]
    list_select_related = ["partner"]
    date_hierarchy = "start_date"
    readonly_fields = ["created_at", "updated_at"]

    def has_delete_permission(self, request: HttpRequest, obj: Contract | None = None) -> bool:
        if obj is not None and any(
            relation.related_model._base_manager.filter(**{relation.field.name: obj}).exists()
            for relation in Contract._meta.related_objects
        ):
            return False
        return super().has_delete_permission(request, obj)
