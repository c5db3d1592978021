from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("shop/", core_views.shop_profile_edit, name="shop_profile"),
    path("partners/", include("partners.urls")),
    path("", include("terminations.urls")),
    path("", include("config.urls_dashboard")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
