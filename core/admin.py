from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.models import CalendarDay, CalendarYear, ShopProfile
from terminations.rules import calendar


@admin.register(ShopProfile)
class ShopProfileAdmin(admin.ModelAdmin):
    """One row per installation (primary key 1): it can be added once and never deleted."""

    list_display = ["legal_name", "shop_name", "shop_id", "contact_name", "updated_at"]
    readonly_fields = ["updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not ShopProfile.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: ShopProfile | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: ShopProfile, form, change: bool) -> None:
        obj.pk = 1  # the singleton constraint
        super().save_model(request, obj, form, change)


class _CalendarChangeAdmin(admin.ModelAdmin):
    """Any change to the official calendar invalidates this process's cached years at once
    (other processes re-read database years within a minute)."""

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        calendar.clear_cache()

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        calendar.clear_cache()

    def delete_queryset(self, request, queryset: QuerySet) -> None:
        super().delete_queryset(request, queryset)
        calendar.clear_cache()


@admin.register(CalendarDay)
class CalendarDayAdmin(_CalendarChangeAdmin):
    list_display = ["day", "weekday", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "day"
    search_fields = ["name"]
    ordering = ["day"]

    @admin.display(description=_("weekday"))
    def weekday(self, obj: CalendarDay) -> str:
        return date_format(obj.day, "D") if obj.day else ""


@admin.register(CalendarYear)
class CalendarYearAdmin(_CalendarChangeAdmin):
    list_display = ["year", "published_on", "source", "days_entered"]
    ordering = ["-year"]

    @admin.display(description=_("days entered"))
    def days_entered(self, obj: CalendarYear) -> int:
        return CalendarDay.objects.filter(day__year=obj.year).count()
