"""The files of a published report, served to anyone: the HTML shown, the others downloaded.

A published version never changes (a later one is a new version): its files are served as they
were written when it was published, from the data folder.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from . import publication
from .models import PublishedReport


@require_safe
def published_file(request: HttpRequest, code: str, fy: int, version: int, name: str) -> HttpResponse:
    published = PublishedReport.objects.filter(plan_code=code, fy=fy, version=version).first()
    if published is None:
        raise Http404("no such report")
    path = publication.file_path(publication.version_folder(code, fy, version), published.files, name)
    if path is None:
        raise Http404("no such file")
    response = serve(path, name, f"{code}-FY{fy}-v{version}-{name}")
    response["Cache-Control"] = "public, max-age=3600"  # a published version never changes
    return response


def serve(path, name: str, download_name: str) -> FileResponse:
    """A report's file: the HTML shown in the browser, the others downloaded under a telling name
    (the staff's previews of a generation are served by this too)."""
    response = FileResponse(path.open("rb"), content_type=publication.content_type(name))
    if name != "index.html":
        response["Content-Disposition"] = content_disposition_header(True, download_name)
    return response
