from django.urls import path

from . import views

app_name = "web"
urlpatterns = [
    path("", views.plans_index, name="plans"),
    path("<slug:code>/", views.plan_page, name="plan"),
    path("<slug:code>/goals/<int:number>/", views.goal_page, name="goal"),
    path("<slug:code>/indicators/<slug:indicator>/", views.indicator_page, name="indicator"),
    path(
        "<slug:code>/indicators/<slug:indicator>/download.<str:fmt>",
        views.indicator_download,
        name="download",
    ),
]
