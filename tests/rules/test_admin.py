"""The admin for the shop profile (a singleton) and the official calendar table."""

from datetime import date

import pytest
from django.urls import reverse

from core.models import CalendarDay, CalendarYear, ShopProfile
from terminations.rules import calendar
from tests.factories import ShopProfileFactory

pytestmark = pytest.mark.django_db

# The statutory days of 2027 (《全国年节及纪念日放假办法》 art. 2), as an arrangement must list them.
STATUTORY_2027 = """2027-01-01 元旦
2027-02-05..2027-02-08 春节
2027-04-05 清明节
2027-05-01..2027-05-02 劳动节
2027-06-09 端午节
2027-09-15 中秋节
2027-10-01..2027-10-03 国庆节"""


def test_shop_profile_can_be_added_once_and_never_deleted(admin_client):
    add_url = reverse("admin:core_shopprofile_add")
    assert admin_client.get(add_url).status_code == 200
    profile = ShopProfileFactory()
    assert admin_client.get(add_url).status_code == 403
    assert (
        admin_client.get(reverse("admin:core_shopprofile_delete", args=[profile.pk])).status_code
        == 403
    )
    changelist = admin_client.get(reverse("admin:core_shopprofile_changelist"))
    assert changelist.status_code == 200
    assert profile.legal_name in changelist.content.decode()


def test_shop_profile_added_in_the_admin_gets_the_singleton_key(admin_client):
    response = admin_client.post(
        reverse("admin:core_shopprofile_add"),
        {
            "legal_name": "杭州青禾电子商务有限公司",
            "address": "杭州",
            "contact_name": "王丽",
            "shop_name": "青禾优选旗舰店",
            "shop_id": "DY-1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ShopProfile.objects.get().pk == 1


def test_calendar_pages_render(admin_client):
    CalendarDay.objects.create(day=date(2027, 10, 1), kind=CalendarDay.Kind.HOLIDAY, name="国庆节")
    CalendarYear.objects.create(year=2027, source="国办发明电")
    for name in ("calendarday", "calendaryear"):
        response = admin_client.get(reverse(f"admin:core_{name}_changelist"))
        assert response.status_code == 200
    filtered = admin_client.get(
        reverse("admin:core_calendarday_changelist"), {"kind__exact": "holiday"}
    )
    assert "国庆节" in filtered.content.decode()
    by_year = admin_client.get(reverse("admin:core_calendarday_changelist"), {"day__year": "2027"})
    assert by_year.status_code == 200


def test_admin_changes_clear_the_calendar_cache(admin_client, django_capture_on_commit_callbacks):
    assert not calendar.year_confirmed(2027)  # cached as a best estimate
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:core_calendaryear_add"),
            {"year": "2027", "source": "test", "rest_days": STATUTORY_2027, "working_days": ""},
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert calendar.year_confirmed(2027)
    assert calendar.is_working_day(date(2027, 10, 4))  # no 补假 entered
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:core_calendarday_add"),
            {"day": "2027-10-04", "kind": "holiday", "name": "国庆节"},
        )
    assert response.status_code == 302
    assert calendar.is_rest_day(date(2027, 10, 4))
    day = CalendarDay.objects.get(day=date(2027, 10, 4))
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("admin:core_calendarday_delete", args=[day.pk]), {"post": "yes"})
    assert calendar.is_working_day(date(2027, 10, 4))


def test_staff_without_admin_rights_cannot_reach_it(staff_client):
    response = staff_client.get(reverse("admin:core_calendarday_changelist"))
    assert response.status_code == 302
