"""The published reports' files, public: /plans/<plan>/reports/<fy>/v<n>/<file>."""

from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path(
        "<slug:code>/reports/<int:fy>/v<int:version>/<str:name>", views.published_file, name="published-file"
    ),
]
