from django.urls import path

from .views import account, bulk, entries, structure

app_name = "staff"
INDICATOR = "plans/<slug:code>/indicators/<slug:ind>/"
urlpatterns = [
    path("", entries.home, name="home"),
    path("login/", account.LoginView.as_view(), name="login"),
    path("logout/", account.LogoutView.as_view(), name="logout"),
    path("password/", account.password_change, name="password"),
    path("plans/<slug:code>/", entries.plan_home, name="plan"),
    path("plans/<slug:code>/review/", entries.review, name="review"),
    path("plans/<slug:code>/history/", entries.plan_history, name="plan-history"),
    path(INDICATOR, entries.indicator, name="indicator"),
    path(INDICATOR + "history/", entries.history, name="history"),
    path(INDICATOR + "<int:fy>/edit/", entries.edit, name="edit"),
    *(
        path(INDICATOR + f"<int:fy>/{action}/", entries.step, {"action": action}, name=action)
        for action in entries.STEPS
    ),
    path("plans/<slug:code>/bulk/", bulk.bulk_home, name="bulk"),
    path("plans/<slug:code>/bulk/template/", bulk.template, name="bulk-template"),
    path("plans/<slug:code>/bulk/<uuid:upload>/", bulk.preview, name="bulk-preview"),
    path("plans/<slug:code>/structure/", structure.structure_home, name="structure"),
    path("plans/<slug:code>/structure/goals/new/", structure.goal_edit, name="goal-new"),
    path("plans/<slug:code>/structure/goals/<int:number>/", structure.goal_edit, name="goal-edit"),
    path("plans/<slug:code>/structure/policies/<int:pk>/", structure.policy_edit, name="policy-edit"),
    path("plans/<slug:code>/structure/goals/<int:number>/delete/", structure.goal_delete, name="goal-delete"),
    path(
        "plans/<slug:code>/structure/indicators/<slug:ind>/delete/",
        structure.indicator_delete,
        name="indicator-delete",
    ),
    path(
        "plans/<slug:code>/structure/goals/<int:number>/indicators/new/",
        structure.indicator_edit,
        name="indicator-new",
    ),
    path(
        "plans/<slug:code>/structure/indicators/<slug:ind>/", structure.indicator_edit, name="indicator-edit"
    ),
]
