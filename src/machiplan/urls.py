"""URLs. The staff app and the public dashboard are built on top of these (issue #5)."""

from django.contrib import admin
from django.urls import path

urlpatterns = [
    path("admin/", admin.site.urls),
]
