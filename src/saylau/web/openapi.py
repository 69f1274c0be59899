"""The OpenAPI document: every status code and content type each route answers, derived in one place.

FastAPI documents a route's success and its own validation error (in a shape the service never sends). The
service answers every refusal in one shape (`code`, `message`, `field`; `errors` for blocking checks) with
the statuses of `saylau.service.errors`, the body middleware's 413, the login limit's 429 and, for the
public downloads, 304 to a reader that already has the version. `document` adds all of them to every
operation, so a route added later is documented without anyone remembering to, and gives each public
download its real media type (`text/csv` for the CSV).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from saylau.web import public

ERROR = {
    "type": "object",
    "required": ["code", "message", "field"],
    "properties": {
        "code": {"type": "string"},
        "message": {"type": "string"},
        "field": {"type": ["string", "null"]},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "code": {"type": "string"},
                    "field": {"type": ["string", "null"]},
                    "message": {"type": "string"},
                },
            },
        },
    },
}
REFUSALS = {
    "400": "The request cannot be understood",
    "401": "Not logged in, or the session expired",
    "403": "The role or the commission does not allow it, or the CSRF token is wrong",
    "404": "No such station, protocol, user, party or candidate",
    "405": "The path does not take this method",
    "409": "The state of the protocol, the registration or the certified result does not allow it",
    "422": "Input that cannot be accepted: `field` names it (a JSON path), `message` says why",
}
BODY = {"413": "The body is over 1 MiB"}
LOGIN = {"429": "Too many wrong passwords: wait `Retry-After` seconds (docs/service.md, Logins)"}


def document(app: FastAPI) -> dict[str, Any]:
    """The app's OpenAPI document with every refusal and media type (built once, then kept)."""
    if app.openapi_schema is not None:
        return app.openapi_schema
    made = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    made.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    for schemas in ("HTTPValidationError", "ValidationError"):
        made["components"]["schemas"].pop(schemas, None)
    reference = {"$ref": "#/components/schemas/Error"}
    for path, operations in made.get("paths", {}).items():
        for method, operation in operations.items():
            answers = operation.setdefault("responses", {})
            refusals = dict(REFUSALS)
            if "requestBody" in operation:
                refusals |= BODY
            if path == "/api/login":
                refusals |= LOGIN
            for status, description in refusals.items():
                answers[status] = {"description": description, "content": {"application/json": {"schema": reference}}}
            if path in public.PATHS and method == "get":
                media = public.RESOURCES[path, "en"].media.split(";")[0]
                schema = {"type": "string"} if not media.endswith("json") else {}
                answers["200"] = {"description": "The current figures", "content": {media: {"schema": schema}}}
                answers["304"] = {"description": "The reader already has this version (If-None-Match)"}
    app.openapi_schema = made
    return made
