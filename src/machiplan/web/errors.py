"""The 500 page: no detail of the error, only the request id that the logged traceback names."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseServerError
from django.template import loader

from .request_id import current


def server_error(request: HttpRequest) -> HttpResponseServerError:
    """Rendered without the request's context processors: nothing here may fail in turn."""
    request_id = getattr(request, "request_id", None) or current()
    lang = "en" if request.GET.get("lang") == "en" else "ja"  # the page in the language asked for
    return HttpResponseServerError(
        loader.get_template("500.html").render({"request_id": request_id, "lang": lang})
    )
