"""Signing in (with a brake on password guessing) and out, and changing one's password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.decorators import method_decorator

from ..forms import RateLimitedLoginForm
from ..text import TEXT
from .common import page, staff_page, with_lang


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


@staff_page
def password_change(request: HttpRequest) -> HttpResponse:
    """Django's own form (old password, the validators, the session kept signed in), in our page."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        messages.success(request, TEXT[request.staff_lang]["password_changed"])
        return redirect("staff:home")
    return page(request, "staff/password.html", form=form, status=400 if request.method == "POST" else 200)
