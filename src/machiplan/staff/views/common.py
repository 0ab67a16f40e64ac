"""What every staff page shares: sign-in, the person's role, the language, errors as pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from machiplan.domain.errors import MachiplanError

from ..errors import Conflict, NotAllowed, NotFound, Refused
from ..policy import staff_of
from ..text import TEXT

LANG_COOKIE = "machiplan_lang"


def request_lang(request: HttpRequest) -> str:
    lang = request.GET.get("lang") or request.COOKIES.get(LANG_COOKIE) or "ja"
    return lang if lang in TEXT else "ja"


def with_lang(view):
    """Pick the language (?lang= switches it and is remembered in a cookie) and use it for Django's own words."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        lang = request.staff_lang = request_lang(request)
        with translation.override(lang):
            response = view(request, *args, **kwargs)
        if request.GET.get("lang") in TEXT:
            response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
        return response

    return wrapper


def staff_page(view):
    """Signed-in staff only; refusals and unknown things become 403 and 404 pages in the person's language."""

    @with_lang
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        request.staff = staff_of(request.user)
        try:
            return view(request, *args, **kwargs)
        except NotAllowed as exc:
            return refusal(request, 403, exc.message, kwargs.get("code"))
        except NotFound as exc:
            return refusal(request, 404, exc.message, kwargs.get("code"))

    return wrapper


def refusal(request: HttpRequest, status: int, detail: str, plan_code: str | None) -> HttpResponse:
    """A 403 or 404 page in the person's language, with the staff menu of the plan it was in (when
    the person may open that plan), saying what their role is there. The services' refusals are in
    English (the API and the command line say them too): an English page shows them as well."""
    from machiplan.plans.models import Plan

    from ..policy import reach

    lang = request.staff_lang
    t = TEXT[lang]
    plan = found = None
    if plan_code:
        plan = Plan.objects.filter(code=plan_code).first()
        found = reach(request.staff, plan) if plan is not None else None
        if found is not None and not found.can_open:
            plan = found = None
    if status == 404:
        title, said = t["not_found"], t["not_found_detail"]
    elif found is not None:
        from ..templatetags.staff_tags import role_label

        title = t["forbidden"]
        said = t["forbidden_detail"].format(who=request.staff.username, role=role_label(found.role, lang))
    else:
        title = t["forbidden"]
        said = t["forbidden_detail_none"].format(who=request.staff.username) if plan_code else ""
    return page(
        request, "staff/refused.html", status=status, title=title, said=said,
        detail=detail if lang == "en" else "", plan=plan, reach=found,
    )  # fmt: skip


def act(request: HttpRequest, action: Callable[[], object], success: Callable[[object], str]) -> bool:
    """Run a staff action and say how it went in the next page's message.

    A refusal of role or an unknown thing stays a 403/404 page; a changed figure, a
    figure with errors or a step its state does not allow becomes the message.
    """
    t = TEXT[request.staff_lang]
    try:
        result = action()
    except (NotAllowed, NotFound):
        raise
    except Conflict:
        messages.error(request, t["conflict"])
    except Refused as exc:
        messages.error(request, " ".join(p.message(request.staff_lang) for p in exc.findings.errors))
    except MachiplanError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success(result))
        return True
    return False


def page(request: HttpRequest, template: str, *, status: int = 200, **context) -> HttpResponse:
    """A staff page; with ``reach`` (what the person may do in the plan shown), the menu follows it."""
    lang = request.staff_lang
    found = context.get("reach")
    if found is not None and found.department:
        context.setdefault("department_name", department_name(found.department))
    return render(
        request,
        template,
        {"t": TEXT[lang], "lang": lang, "other_lang": "en" if lang == "ja" else "ja",
         "staff": getattr(request, "staff", None), **context},
        status=status,
    )  # fmt: skip


def department_name(code: str) -> str:
    from machiplan.plans.models import Department

    return Department.objects.filter(code=code).values_list("name", flat=True).first() or code
