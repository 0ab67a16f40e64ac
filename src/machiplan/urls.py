"""URLs: the public pages, the API, the staff pages, and the Django admin for administrators."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.autodiscover()  # the apps' admin modules (settings.py: not at start-up, for the commands' sake)

urlpatterns = [
    path("", RedirectView.as_view(url="/plans/", permanent=False)),
    path("plans/", include("machiplan.web.urls")),
    path("plans/", include("machiplan.reports.urls")),  # the published reports' files
    path("api/", include("machiplan.api.urls")),
    path("staff/", include("machiplan.staff.urls")),
    path("admin/", admin.site.urls),
]

handler500 = "machiplan.web.errors.server_error"  # shows the request id the logged traceback names
