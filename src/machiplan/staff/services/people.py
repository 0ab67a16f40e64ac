"""People: their role, scripted accounts and API tokens, and the brake on password guessing."""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from machiplan.domain import roles
from machiplan.domain.errors import MachiplanError
from machiplan.plans.models import Department, Plan

from ..models import Action, ApiToken, LoginFailure, PlanRole, Profile
from . import audit


def user_add(
    *, username: str, role: str, password: str, department: str | None = None, plan: str | None = None,
    actor: str = "machiplan adduser",
):  # fmt: skip
    """Create a person, or change an existing one's role and password.

    ``admin`` and ``planner`` are roles in the whole installation. ``owner``, ``editor`` (with a
    ``department``) and ``viewer`` are roles in a plan: ``plan``'s, or, with no plan named, every
    plan loaded so far (replacing the person's roles in them and any installation-wide role).
    Every role given is a line in the trail of its plan.
    """
    if role not in roles.ROLES:
        raise MachiplanError(f"unknown role {role!r} (roles: {', '.join(roles.ROLES)})", where="--role")
    if role in roles.INSTALLATION_ROLES and (plan or department):
        where = "--plan" if plan else "--department"
        raise MachiplanError(f"{role} is a role in every plan: no {where}", where=where)
    if role != roles.EDITOR and department:
        raise MachiplanError("only a department editor has a department", where="--department")
    if role == roles.EDITOR and not department:
        raise MachiplanError("a department editor needs --department", where="--department")
    plans = _plans(plan) if role in roles.PLAN_ROLES else []
    if role in roles.PLAN_ROLES and not plans:
        raise MachiplanError("no plan is loaded yet: load one, then give roles in it", where="--plan")
    dept = _department(department, plans if plan else None) if department else None
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.filter(username=username).first() or User(username=username)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise MachiplanError(" ".join(exc.messages), where="password") from None
        user.set_password(password)
        profile = Profile.objects.filter(user=user).first() if user.pk else None
        before = profile.role if profile else ""
        wide = role if role in roles.INSTALLATION_ROLES else (before if plan else "")
        user.is_staff = user.is_superuser = wide == roles.ADMIN  # the Django admin is for admins
        user.save()
        Profile.objects.update_or_create(user=user, defaults={"role": wide})
        events = []
        if wide != before:
            events.append(audit.Event(Action.ROLE, actor=actor, plan_code="", via="cli", subject=username,
                                      old={"role": before or None}, new={"role": wide or None}))  # fmt: skip
        if role in roles.PLAN_ROLES and not plan:
            PlanRole.objects.filter(user=user).exclude(plan_code__in=[p.code for p in plans]).delete()
        for p in plans:
            old = PlanRole.objects.filter(user=user, plan_code=p.code).first()
            PlanRole.objects.update_or_create(user=user, plan_code=p.code,
                                              defaults={"role": role, "department": dept})  # fmt: skip
            if old is None or (old.role, old.department_id) != (role, dept.pk if dept else None):
                events.append(audit.Event(
                    Action.ROLE, actor=actor, plan_code=p.code, via="cli", subject=username,
                    old=_grant(old.role, old.department) if old else None, new=_grant(role, dept),
                ))  # fmt: skip
        if events:
            audit.record(*events)
    return user


def _grant(role: str, department: Department | None) -> dict:
    return {"role": role, "department": department.code if department else None}


def _plans(code: str | None) -> list[Plan]:
    if code is None:
        return list(Plan.objects.order_by("code"))
    plan = Plan.objects.filter(code=code).first()
    if plan is None:
        known = ", ".join(Plan.objects.order_by("code").values_list("code", flat=True)) or "none"
        raise MachiplanError(f"no plan {code!r} (plans: {known})", where="--plan")
    return [plan]


def _department(code: str, plans: list[Plan] | None) -> Department:
    """The department: one of the plan's, when a plan is named."""
    known = Department.objects.filter(plans__in=plans).distinct() if plans else Department.objects.all()
    found = known.filter(code=code).first()
    if found is None:
        codes = ", ".join(known.order_by("code").values_list("code", flat=True)) or "none"
        raise MachiplanError(f"no department {code!r} (departments: {codes})", where="--department")
    return found


def token_create(*, username: str) -> str:
    """A new API token for ``username``; only its digest is stored, so it is shown once."""
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise MachiplanError(f"no user {username!r} (add one with `machiplan adduser`)")
    key = "mp_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, digest=_digest(key), prefix=key[:8])
    return key


def token_user(key: str):
    """The active user a token belongs to, or None."""
    token = ApiToken.objects.select_related("user").filter(digest=_digest(key)).first()
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def client_address(meta: dict) -> str | None:
    """Who is signing in: the socket's address or, when that is a reverse proxy the operator named
    (``MACHIPLAN_TRUSTED_PROXIES``), the address the proxies saw.

    X-Forwarded-For is read from the right (the entry our proxy added) past the named proxies; an
    entry that is no address ("unknown") stops there, at the proxy that wrote it. Anyone else's
    X-Forwarded-For is only a claim, and is ignored.
    """
    proxies = [ipaddress.ip_network(p) for p in settings.TRUSTED_PROXIES]
    address = _ip(meta.get("REMOTE_ADDR") or "")
    if address is None:
        return None
    for hop in reversed((meta.get("HTTP_X_FORWARDED_FOR") or "").split(",")):
        if not any(address in network for network in proxies):
            break
        seen = _ip(hop)
        if seen is None:
            break
        address = seen
    return str(address)


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An address as proxies write it (``198.51.100.2``, ``198.51.100.2:5123``, ``[2001:db8::1]:443``), or None."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        ip = ipaddress.ip_address(text.partition("%")[0])
    except ValueError:
        return None
    return getattr(ip, "ipv4_mapped", None) or ip


def login_blocked(username: str, address: str | None) -> bool:
    """True when this user name failed too often lately from this address, or this address did.

    Counting a user name per address means nobody can lock a colleague out from elsewhere by
    typing wrong passwords for their name; counting the address slows a guesser trying many names.
    """
    since = timezone.now() - dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    recent = LoginFailure.objects.filter(at__gte=since, address=address)
    limit = settings.LOGIN_FAILURE_LIMIT
    return recent.filter(username=username.lower()).count() >= limit or recent.count() >= limit * 4


def login_failed(username: str, address: str | None) -> None:
    LoginFailure.objects.create(username=username.lower(), address=address)
    LoginFailure.objects.filter(at__lt=timezone.now() - dt.timedelta(days=1)).delete()


def login_succeeded(username: str, address: str | None) -> None:
    LoginFailure.objects.filter(username=username.lower(), address=address).delete()
