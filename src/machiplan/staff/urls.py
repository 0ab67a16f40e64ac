from django.urls import path

from .views import account, bulk, entries, method, reports, structure, table_import

app_name = "staff"
INDICATOR = "plans/<slug:code>/indicators/<slug:ind>/"
STRUCTURE = "plans/<slug:code>/structure/"
RUN = "plans/<slug:code>/reports/<uuid:run>/"
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
    path("plans/<slug:code>/deadlines/", reports.deadlines, name="deadlines"),
    path("plans/<slug:code>/reports/", reports.reports_home, name="reports"),
    path(RUN, reports.report_run, name="report-run"),
    path(RUN + "status/", reports.report_status, name="report-status"),
    path(RUN + "files/<str:name>", reports.report_file, name="report-file"),
    path(RUN + "publish/", reports.report_publish, name="report-publish"),
    path("plans/<slug:code>/bulk/", bulk.bulk_home, name="bulk"),
    path("plans/<slug:code>/bulk/template/", bulk.template, name="bulk-template"),
    path("plans/<slug:code>/bulk/<uuid:upload>/", bulk.preview, name="bulk-preview"),
    path("plans/<slug:code>/structure/", structure.structure_home, name="structure"),
    path(STRUCTURE + "plan/", structure.plan_edit, name="plan-edit"),
    path(STRUCTURE + "import/", table_import.table_home, name="table-import"),
    path(STRUCTURE + "import/<uuid:upload>/", table_import.table_preview, name="table-preview"),
    path(STRUCTURE + "import/<uuid:upload>/mapping.yaml", table_import.table_mapping, name="table-mapping"),
    path(STRUCTURE + "method/", method.method_edit, name="method"),
    path(STRUCTURE + "add-node/", structure.node_edit, name="node-new"),
    path(STRUCTURE + "nodes/<str:node>/", structure.node_edit, name="node-edit"),
    path(STRUCTURE + "nodes/<str:node>/delete/", structure.node_delete, name="node-delete"),
    path(STRUCTURE + "add-indicator/", structure.indicator_edit, name="indicator-new"),
    path(STRUCTURE + "indicators/<slug:ind>/", structure.indicator_edit, name="indicator-edit"),
    path(STRUCTURE + "indicators/<slug:ind>/delete/", structure.indicator_delete, name="indicator-delete"),
]
