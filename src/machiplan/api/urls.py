from django.urls import path

from . import views

app_name = "api"
urlpatterns = [
    path("plans/", views.plans, name="plans"),
    path("plans/<slug:code>/", views.plan, name="plan"),
    path("openapi.json", views.openapi, name="openapi"),
]
