"""Signing in (with a brake on password guessing) and out."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.utils.decorators import method_decorator

from ..forms import RateLimitedLoginForm
from ..text import TEXT
from .common import with_lang


@method_decorator(with_lang, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "staff/login.html"
    authentication_form = RateLimitedLoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        lang = self.request.staff_lang
        return super().get_context_data(
            t=TEXT[lang], lang=lang, other_lang="en" if lang == "ja" else "ja", **kwargs
        )


class LogoutView(auth_views.LogoutView):
    pass
