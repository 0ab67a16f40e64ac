from django.urls import path, register_converter

from . import views


class CodeConverter:
    """A plan's or an indicator's code: letters, digits, - _ . (docs/plan-package.md)."""

    regex = r"[A-Za-z0-9._-]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class NodeCodeConverter(CodeConverter):
    """A node's code as the city writes it (Ⅰ-1-(1), 1-1, 11102, 第1章): anything but a space or
    ; / \\ ? # % =. Django matches the decoded path, and ``reverse`` percent-encodes it."""

    regex = r"[^\s;/\\?#%=]+"


register_converter(CodeConverter, "plancode")
register_converter(NodeCodeConverter, "nodecode")

app_name = "web"
urlpatterns = [
    path("", views.plans_index, name="plans"),
    path("<plancode:code>/", views.plan_page, name="plan"),
    path("<plancode:code>/method/", views.method_page, name="method"),
    path("<plancode:code>/download/<str:name>", views.plan_download, name="plan-download"),
    path("<plancode:code>/goals/<int:number>/", views.goal_page, name="goal"),  # the first pages' links: 301
    path("<plancode:code>/nodes/<nodecode:node>/", views.node_page, name="node"),
    path(
        "<plancode:code>/nodes/<nodecode:node>/indicators/",
        views.node_indicators_page,
        name="node-indicators",
    ),
    path("<plancode:code>/indicators/<plancode:indicator>/", views.indicator_page, name="indicator"),
    path(
        "<plancode:code>/indicators/<plancode:indicator>/download.<str:fmt>",
        views.indicator_download,
        name="download",
    ),
]
