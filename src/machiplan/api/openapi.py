"""The OpenAPI description of the public API, served at /api/openapi.json."""

PLAN_SUMMARY = {
    "type": "object",
    "required": ["code", "title", "municipality", "start_fy", "end_fy", "url"],
    "properties": {
        "code": {"type": "string"},
        "title": {"type": "string"},
        "title_en": {"type": ["string", "null"]},
        "municipality": {
            "type": "object",
            "properties": {"name": {"type": "string"}, "code": {"type": "string", "pattern": "^[0-9]{6}$"}},
        },
        "start_fy": {"type": "integer", "description": "Western year the first fiscal year starts in"},
        "end_fy": {"type": "integer"},
        "url": {"type": "string", "format": "uri"},
    },
}

FIGURE = {
    "type": "object",
    "properties": {
        "kind": {"enum": ["actual", "interim", "pending", "none"]},
        "value": {
            "type": ["string", "number", "null"],
            "description": "in the indicator's unit; none for pending/none",
        },
        "as_of": {"type": ["string", "null"], "format": "date", "description": "for an interim value"},
        "approximate": {"type": "boolean"},
        "breakdown": {"description": "[[label, number], …] or '認定9、仮認定5'"},
        "note": {"type": "string"},
        "source": {"type": "string", "description": "出典: where the figure comes from"},
        "revision": {
            "type": "integer",
            "description": "the revision read (0 for a first entry): no lost update",
        },
        "reason": {"type": "string", "description": "why an unusual change is right, when warnings ask"},
        "submit": {"type": "boolean", "description": "submit for approval after saving"},
    },
    "required": ["kind", "revision"],
}
FIGURE_STATE = {
    "type": "object",
    "properties": {
        "plan": {"type": "string"},
        "indicator": {"type": "string"},
        "fy": {"type": "integer"},
        "status": {"enum": ["draft", "submitted", "approved", "returned", None]},
        "revision": {"type": "integer"},
        "figure": {"type": ["object", "null"]},
        "approved": {"type": ["object", "null"]},
        "comment": {"type": "string"},
        "warnings": {"type": "array", "items": {"type": "string"}},
    },
}
PATH_PARAMS = [
    {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}},
    {"name": "indicator", "in": "path", "required": True, "schema": {"type": "string"}},
    {"name": "fy", "in": "path", "required": True, "schema": {"type": "integer"}},
]
WRITE_RESPONSES = {
    "200": {
        "description": "The figure as it now stands",
        "content": {"application/json": {"schema": FIGURE_STATE}},
    },
    "400": {"description": "Not saved: errors by field, or warnings that need a reason"},
    "401": {"description": "No valid token"},
    "403": {"description": "The token's user may not do this (another department's indicator, a viewer, …)"},
    "404": {"description": "No such plan, indicator or figure"},
    "409": {"description": "The figure changed since the given revision: nothing was saved"},
}
TOKEN = [{"token": []}]


def _step(action: str, summary: str) -> dict:
    body = {"type": "object", "properties": {"revision": {"type": "integer"}, "comment": {"type": "string"}},
            "required": ["revision"]}  # fmt: skip
    return {
        "post": {
            "summary": summary, "operationId": f"{action}Figure", "security": TOKEN, "parameters": PATH_PARAMS,
            "requestBody": {"required": True, "content": {"application/json": {"schema": body}}},
            "responses": WRITE_RESPONSES,
        }
    }  # fmt: skip


OBSERVATION_PATH = "/api/plans/{code}/indicators/{indicator}/observations/{fy}/"

OPENAPI = {
    "openapi": "3.1.0",
    "info": {
        "title": "machiplan public API",
        "description": "Municipal plans, their approved figures and their evaluation (public, read-only), "
        "and, with a staff member's token, entering figures under the same permissions, checks, "
        "workflow and audit trail as the staff pages.",
    },
    "components": {
        "securitySchemes": {
            "token": {
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": "Token <key>, from `machiplan token NAME`",
            }
        }
    },
    "paths": {
        "/api/plans/": {
            "get": {
                "summary": "The plans published here",
                "operationId": "listPlans",
                "responses": {
                    "200": {
                        "description": "The plans",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"plans": {"type": "array", "items": PLAN_SUMMARY}},
                                }
                            }
                        },
                    }
                },
            }
        },
        "/api/plans/{code}/": {
            "get": {
                "summary": "One plan as the plan JSON contract (machiplan/plan@1), with its evaluation",
                "operationId": "getPlan",
                "parameters": [
                    {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {
                        "description": "The plan",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": [
                                        "schema",
                                        "plan",
                                        "evaluation_fy",
                                        "method",
                                        "goals",
                                        "indicators",
                                    ],
                                    "properties": {
                                        "schema": {"const": "machiplan/plan@1"},
                                        "plan": {"type": "object"},
                                        "evaluation_fy": {"type": "integer"},
                                        "method": {"type": "object"},
                                        "goals": {"type": "array", "items": {"type": "object"}},
                                        "indicators": {"type": "array", "items": {"type": "object"}},
                                    },
                                }
                            }
                        },
                    },
                    "404": {"description": "No such plan"},
                },
            }
        },
        OBSERVATION_PATH: {
            "get": {
                "summary": "A figure as staff see it (draft or approved)",
                "operationId": "getFigure",
                "security": TOKEN,
                "parameters": PATH_PARAMS,
                "responses": WRITE_RESPONSES,
            },
            "post": {
                "summary": "Save a figure as a draft (and submit it with submit: true)",
                "operationId": "saveFigure",
                "security": TOKEN,
                "parameters": PATH_PARAMS,
                "requestBody": {"required": True, "content": {"application/json": {"schema": FIGURE}}},
                "responses": WRITE_RESPONSES,
            },
        },
        OBSERVATION_PATH + "submit/": _step("submit", "Submit a draft for approval"),
        OBSERVATION_PATH + "approve/": _step(
            "approve", "Approve a submitted figure (plan owner): it becomes public"
        ),
        OBSERVATION_PATH + "return/": _step(
            "return", "Return a submitted figure with a comment (plan owner)"
        ),
    },
}
