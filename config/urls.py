from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("admin/", admin.site.urls),
    path("accounts/", include("config.urls_accounts")),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("shop/", core_views.shop_profile_edit, name="shop_profile"),
    path("partners/", include("partners.urls")),
    path("", include("terminations.urls")),
    path("", include("config.urls_dashboard")),
    # Uploads through a role-checked view, in development and production alike (never served
    # directly from MEDIA_ROOT by the web server).
    path(settings.MEDIA_URL.lstrip("/") + "<path:path>", core_views.media_file, name="media"),
]
