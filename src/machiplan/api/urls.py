from django.urls import path

from . import views, writes

OBSERVATION = "plans/<slug:code>/indicators/<slug:indicator>/observations/<int:fy>/"

app_name = "api"
urlpatterns = [
    path("plans/", views.plans, name="plans"),
    path("plans/<slug:code>/", views.plan, name="plan"),
    path("openapi.json", views.openapi, name="openapi"),
    path(OBSERVATION, writes.observation, name="observation"),
    *(
        path(OBSERVATION + f"{action}/", writes.observation, {"action": action}, name=action)
        for action in writes.STEPS
    ),
]
