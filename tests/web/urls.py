"""The site's URLs without the staff pages: the public pages' tests run on it while the staff app is
being moved to the general model (issue #11) and its URLs do not import (tests/web/conftest.py)."""

from django.urls import include, path


def staff_urls_import() -> bool:
    try:
        import machiplan.staff.urls  # noqa: F401
    except ImportError:
        return False
    return True


urlpatterns = [
    path("plans/", include("machiplan.web.urls")),
    path("api/", include("machiplan.api.urls")),
]

handler500 = "machiplan.web.errors.server_error"
