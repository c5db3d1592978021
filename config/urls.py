from django.contrib import admin
from django.urls import include, path

from core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("admin/", admin.site.urls),
    path("accounts/", include("config.urls_accounts")),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("shop/", core_views.shop_profile_edit, name="shop_profile"),
    path("shop/seal/", core_views.shop_seal, name="shop_seal"),
    path("partners/", include("partners.urls")),
    path("", include("terminations.urls")),
    path("", include("config.urls_dashboard")),
    # Nothing serves MEDIA_URL, in development either: every stored file is downloaded through
    # its own role-checked view (core/downloads.py).
]
