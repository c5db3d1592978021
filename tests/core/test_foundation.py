import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from core import roles

pytestmark = pytest.mark.django_db


def test_groups_exist_with_their_permissions():
    staff = Group.objects.get(name=roles.STAFF)
    managers = Group.objects.get(name=roles.MANAGERS)
    viewers = Group.objects.get(name=roles.VIEWERS)
    assert staff.permissions.filter(codename="change_partner").exists()
    assert not staff.permissions.filter(codename="delete_partner").exists()
    assert managers.permissions.filter(codename="delete_partner").exists()
    assert set(viewers.permissions.values_list("codename", flat=True)) >= {
        "view_partner",
        "view_contract",
    }
    assert not viewers.permissions.exclude(codename__startswith="view_").exists()


def test_anonymous_is_sent_to_login_with_next_kept(anon_client):
    response = anon_client.get(reverse("shop_profile"))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={reverse('shop_profile')}"


def test_login_page_is_in_chinese_by_default(anon_client):
    response = anon_client.get(reverse("login"))
    assert response.status_code == 200
    assert "登录" in response.content.decode()
    assert 'lang="zh-CN"' in response.content.decode()


def test_language_switch_is_remembered(staff_client):
    response = staff_client.post(
        reverse("set_language"), {"language": "en", "next": reverse("shop_profile")}
    )
    assert response.status_code == 302
    page = staff_client.get(reverse("shop_profile")).content.decode()
    assert "Shop profile" in page and "店铺资料" not in page
    staff_client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "店铺资料" in staff_client.get(reverse("shop_profile")).content.decode()


def test_set_language_refuses_get(staff_client):
    assert staff_client.get(reverse("set_language")).status_code == 405


def test_unknown_page_uses_our_layout(staff_client):
    response = staff_client.get("/no-such-page/")
    assert response.status_code == 404
    assert "navbar" in response.content.decode()


def test_shop_profile_is_edited_by_managers_only(manager_client, staff_client, viewer_client):
    data = {
        "legal_name": "杭州青禾电子商务有限公司",
        "credit_code": "91330106MA2H3K4L5X",
        "address": "杭州市西湖区",
        "contact_name": "王丽",
        "shop_name": "青禾优选",
        "shop_id": "DY-1",
    }
    assert staff_client.post(reverse("shop_profile"), data).status_code == 403
    assert viewer_client.post(reverse("shop_profile"), data).status_code == 403
    from core.models import ShopProfile

    assert ShopProfile.load() is None
    assert manager_client.post(reverse("shop_profile"), data).status_code == 302
    assert ShopProfile.load().legal_name == "杭州青禾电子商务有限公司"


def test_shop_profile_rejects_a_bad_credit_code(manager_client):
    data = {
        "legal_name": "x",
        "credit_code": "12345",
        "address": "a",
        "contact_name": "c",
        "shop_name": "s",
        "shop_id": "1",
    }
    response = manager_client.post(reverse("shop_profile"), data)
    assert response.status_code == 200
    assert "18" in response.content.decode()
    from core.models import ShopProfile

    assert ShopProfile.load() is None


def test_system_check_passes_with_fonts_installed():
    call_command("check", "--fail-level", "ERROR")
