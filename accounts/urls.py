"""django.contrib.auth.urls, with the password-reset views behind accounts.views.requires_mail."""

from django.contrib.auth import views as auth_views
from django.urls import path

from .views import password_reset_available, requires_mail

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(extra_context={"password_reset_available": password_reset_available}),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password_reset/", requires_mail(auth_views.PasswordResetView.as_view()), name="password_reset"),
    path("password_reset/done/", requires_mail(auth_views.PasswordResetDoneView.as_view()), name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>/",
        requires_mail(auth_views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path("reset/done/", requires_mail(auth_views.PasswordResetCompleteView.as_view()), name="password_reset_complete"),
]
