from django.contrib import admin
from django.urls import include, path

from core import views as core_views
from terminations.views import partner as partner_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("admin/", admin.site.urls),
    path("accounts/", include("config.urls_accounts")),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("shop/", core_views.shop_profile_edit, name="shop_profile"),
    path("shop/seal/", core_views.shop_seal, name="shop_seal"),
    path("partners/", include("partners.urls")),
    # The partner's page: no account, reached from the personal link in a letter's e-mail.
    path("p/<str:token>/", partner_views.partner_letter, name="partner_letter"),
    path("p/<str:token>/letter.pdf", partner_views.partner_letter_pdf, name="partner_letter_pdf"),
    path(
        "p/<str:token>/accepted.pdf",
        partner_views.partner_accepted_pdf,
        name="partner_accepted_pdf",
    ),
    path(
        "p/<str:token>/acknowledge/", partner_views.partner_acknowledge, name="partner_acknowledge"
    ),
    path(
        "p/<str:token>/accept/code/", partner_views.partner_accept_code, name="partner_accept_code"
    ),
    path("p/<str:token>/accept/", partner_views.partner_accept, name="partner_accept"),
    path("", include("terminations.urls")),
    path("", include("config.urls_dashboard")),
    # Nothing serves MEDIA_URL, in development either: every stored file is downloaded through
    # its own role-checked view (core/downloads.py).
]
