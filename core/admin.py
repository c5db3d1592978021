from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.forms import CalendarYearForm
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


def _calendar_changed() -> None:
    """After the official calendar changed (and the change is committed): forget this process's
    cached years and re-check every open case's end date in the background."""

    def recheck() -> None:
        from terminations.tasks import recheck_calendar_task

        calendar.clear_cache()
        recheck_calendar_task.enqueue(trigger="admin")

    transaction.on_commit(recheck)


class _CalendarChangeAdmin(admin.ModelAdmin):
    """Any change to the official calendar invalidates this process's cached years at once
    (other processes re-read database years within a minute) and re-checks the open cases."""

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        _calendar_changed()

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        _calendar_changed()

    def delete_queryset(self, request, queryset: QuerySet) -> None:
        super().delete_queryset(request, queryset)
        _calendar_changed()


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
    """A year's official arrangement entered in one form, as the State Council notice lists it."""

    form = CalendarYearForm
    list_display = ["year", "published_on", "source", "days_entered"]
    ordering = ["-year"]
    fields = ["year", "published_on", "source", "rest_days", "working_days"]

    @admin.display(description=_("days entered"))
    def days_entered(self, obj: CalendarYear) -> int:
        return CalendarDay.objects.filter(day__year=obj.year).count()

    def save_model(self, request, obj: CalendarYear, form: CalendarYearForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        form.save_days()
