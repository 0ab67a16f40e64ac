"""The OpenAPI description of the public API, served at /api/openapi.json.

It says what the code accepts and answers, and tests/fuzz/test_api_schema.py
holds the code to it with schemathesis.
"""

from machiplan.domain import figures, limits
from machiplan.domain.fiscal import FIRST_FY, LAST_FY
from machiplan.staff.services import entries

from . import writes
from .documents import MAX_PAGE_SIZE, PAGE_SIZE

TEXT = {"type": ["string", "null"]}
NUMBER = {"type": ["string", "number"], "description": "a number, as JSON or as a string of digits"}
SLUG = {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"}

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


PAGE = {
    "type": "object",
    "description": "only with ?page= or ?page_size=",
    "required": ["number", "size", "count", "pages", "first", "last", "previous", "next", "document"],
    "properties": {
        "number": {"type": "integer", "minimum": 1},
        "size": {"type": "integer", "minimum": 1},
        "count": {"type": "integer", "minimum": 0, "description": "the plan's indicators"},
        "pages": {"type": "integer", "minimum": 1},
        "first": {"type": "string", "format": "uri"},
        "last": {"type": "string", "format": "uri"},
        "previous": {"type": ["string", "null"], "format": "uri"},
        "next": {"type": ["string", "null"], "format": "uri"},
        "document": {"type": "string", "format": "uri", "description": "the whole document"},
    },
}
PLAN_DOCUMENT = {
    "type": "object",
    "required": ["schema", "plan", "evaluation_fy", "method", "nodes", "goals", "indicators"],
    "properties": {
        "schema": {"const": "machiplan/plan@2"},
        "plan": {"type": "object"},
        "evaluation_fy": {"type": "integer"},
        "method": {"type": "object"},
        "nodes": {"type": "array", "items": {"type": "object"}},
        "goals": {"type": "array", "items": {"type": "object"}},
        "indicators": {"type": "array", "items": {"type": "object"}},
        "status_counts": {"type": "object"},
        "page": PAGE,
    },
}


def _property(spec: figures.Field) -> dict:
    """A figure field as a JSON Schema property, from domain/figures.py."""
    about = {"description": spec.help_en} if spec.help_en else {}
    if spec.type == "choice":
        choices = [c for c in spec.choices if c]
        return {"enum": choices, "default": writes.DEFAULTS.get(spec.name, choices[0]), **about}
    if spec.type == "decimal":
        return {
            "type": ["string", "number", "null"],
            "description": f"{spec.help_en}. Kept exactly or refused: below 10^15, at most 6 decimals and 15 "
            "significant digits; none for pending/none (and for an indicator whose values are states)",
        }
    if spec.type == "int":
        return {
            "type": ["integer", "string", "null"],
            "description": f"{spec.help_en}. A whole number from 1 to {spec.maximum:,}; "
            "only for a survey indicator's figure with a value",
        }
    if spec.type == "date":
        return {"type": ["string", "null"], "format": "date", **about}
    if spec.type == "bool":
        return {"type": ["boolean", "null"], **about}
    if spec.type == "breakdown":
        return {
            "description": "[[label, number], …] or '認定9、仮認定5'",
            "oneOf": [
                {"type": "null"},
                {"type": "string"},
                {
                    "type": "array",
                    "items": {
                        "type": "array",
                        "prefixItems": [{"type": "string"}, NUMBER],
                        "minItems": 2,
                        "maxItems": 2,
                    },
                },
            ],
        }
    return {**TEXT, **about}  # text: its limit is a 400 naming it, as for the web form


FIGURE = {
    "type": "object",
    "properties": {
        **{writes.API_NAMES.get(f.name, f.name): _property(f) for f in entries.ENTERED},
        "source": {
            **TEXT,
            "description": f"出典: where the figure comes from (at most {limits.ENTRY['data_source']} characters)",
        },
        "revision": {
            "type": "integer",
            "minimum": 0,
            "description": "the revision read (0 for a first entry): no lost update",
        },
        "reason": {**TEXT, "description": "why an unusual change is right, when warnings ask"},
        "submit": {"type": ["boolean", "null"], "description": "submit for approval after saving"},
    },
    "required": ["revision"],
}
FIGURE_STATE = {
    "type": "object",
    "properties": {
        "plan": {"type": "string"},
        "indicator": {"type": "string"},
        "series": {"type": "string"},
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
    {"name": "code", "in": "path", "required": True, "schema": SLUG},
    {"name": "indicator", "in": "path", "required": True, "schema": SLUG},
    {
        "name": "fy",
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": FIRST_FY, "maximum": LAST_FY},
        "description": "the fiscal year as the Western year it starts in (H29年度 = 2017)",
    },
    {
        "name": "series",
        "in": "query",
        "required": False,
        "schema": {"type": "string", "maxLength": figures.SERIES.max_length},
        "description": figures.SERIES.help_en,
    },
    {
        "name": "lang",
        "in": "query",
        "required": False,
        "schema": {"enum": list(writes.LANGUAGES)},
        "description": "the language of the messages (default ja); any other query parameter is a 400",
    },
]
ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {"type": "string"},
        "errors": {
            "type": "object",
            "description": "messages by field",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
        "warnings": {"type": "array", "items": {"type": "string"}},
        "needs_reason": {"type": "boolean"},
        "current_revision": {"type": "integer"},
    },
}


def _answer(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ERROR}}}


WRITE_RESPONSES = {
    "200": {
        "description": "The figure as it now stands",
        "content": {"application/json": {"schema": FIGURE_STATE}},
    },
    "400": _answer("Not saved: errors by field, or warnings that need a reason"),
    "401": _answer("No valid token"),
    "403": _answer("The token's user may not do this (another department's indicator, a viewer, …)"),
    "404": {"description": "No such plan, indicator or figure"},
    "405": _answer("Not a method this URL takes (see the Allow header)"),
    "409": _answer("The figure changed since the given revision: nothing was saved"),
}
TOKEN = [{"token": []}]


def _step(action: str, summary: str) -> dict:
    comment = {
        **TEXT,
        "description": f"why it goes back (return only: required, at most {limits.ENTRY['comment']:,} characters)",
    }
    body = {"type": "object", "properties": {"revision": {"type": "integer", "minimum": 0}, "comment": comment},
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
                "summary": "One plan as the plan JSON contract (machiplan/plan@2), with its evaluation",
                "description": "Without `page` or `page_size`: the whole document, built once per version "
                "of the plan (approving a figure makes a new one) and sent gzip-compressed to a client "
                "that accepts it. With them: the same document with a page of its indicators, in the "
                "plan's order, and `page` (the counts and the links to the other pages). Each answer has "
                "an ETag; If-None-Match with it gives 304 until the plan changes (docs/plan-json.md).",
                "operationId": "getPlan",
                "parameters": [
                    {"name": "code", "in": "path", "required": True, "schema": SLUG},
                    {
                        "name": "page",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "integer", "minimum": 1, "maximum": 999_999_999},
                        "description": "a page of the indicators, from 1 (beyond the last: 404)",
                    },
                    {
                        "name": "page_size",
                        "in": "query",
                        "required": False,
                        "schema": {
                            "type": "integer",
                            "minimum": 1,
                            "maximum": MAX_PAGE_SIZE,
                            "default": PAGE_SIZE,
                        },
                        "description": "indicators a page",
                    },
                    {
                        "name": "If-None-Match",
                        "in": "header",
                        "required": False,
                        "schema": {"type": "string"},
                        "description": "the ETag of a copy held: 304 while it is still the plan's",
                    },
                ],
                "responses": {
                    "200": {
                        "description": "The plan (or a page of it)",
                        "headers": {
                            "ETag": {"schema": {"type": "string"}, "description": "this version of the plan"},
                            "Cache-Control": {"schema": {"type": "string"}},
                        },
                        "content": {"application/json": {"schema": PLAN_DOCUMENT}},
                    },
                    "304": {"description": "Not modified: the copy whose ETag was given is current"},
                    "400": _answer("page or page_size is not a whole number in range"),
                    "404": {"description": "No such plan, or no such page"},
                },
            }
        },
        OBSERVATION_PATH: {
            "get": {
                "summary": "A figure as staff see it (draft or approved), of the series the query names",
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
