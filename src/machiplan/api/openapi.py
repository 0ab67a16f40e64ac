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

OPENAPI = {
    "openapi": "3.1.0",
    "info": {
        "title": "machiplan public API",
        "description": "Municipal plans, their approved figures and their evaluation. Read-only; no authentication.",
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
    },
}
