"""Log-in, log-out and password pages: Django's own views, each with the methods it accepts
declared here (every view of the project declares its methods; tests/core/test_view_methods.py)."""

from django.contrib.auth import views as auth
from django.urls import path

GET = ["get"]
FORM = ["get", "post"]

urlpatterns = [
    path("login/", auth.LoginView.as_view(http_method_names=FORM), name="login"),
    # LogoutView declares ["post", "options"] itself: logging out is a POST.
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path(
        "password_change/",
        auth.PasswordChangeView.as_view(http_method_names=FORM),
        name="password_change",
    ),
    path(
        "password_change/done/",
        auth.PasswordChangeDoneView.as_view(http_method_names=GET),
        name="password_change_done",
    ),
    path(
        "password_reset/",
        auth.PasswordResetView.as_view(http_method_names=FORM),
        name="password_reset",
    ),
    path(
        "password_reset/done/",
        auth.PasswordResetDoneView.as_view(http_method_names=GET),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(http_method_names=FORM),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth.PasswordResetCompleteView.as_view(http_method_names=GET),
        name="password_reset_complete",
    ),
]
