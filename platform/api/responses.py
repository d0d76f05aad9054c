"""The error responses of every API operation, documented in one place from what the core itself does, so a
feature documents only its own (a booking's 409, say) and the OpenAPI document still lists every status code
an operation can answer. There is no catch-all `default` response: an undocumented status is a bug, and the
API fuzzing test (tests/api/test_api_fuzzing.py) finds it.

Every error body is `application/problem+json` (`ProblemSchema`).
"""
import http

from apispec import BasePlugin
from flask_smorest.utils import prepare_response

from bibnet.access import PUBLIC, declared_permission
from bibnet.api.problems import PROBLEM_TYPE

WRITE_METHODS = {"post", "put", "patch", "delete"}
PROBLEM_CONTENT = {PROBLEM_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}


def standard_errors(method: str, permission: str | None, names_something: bool, has_body: bool, has_arguments: bool) -> dict[int, str]:
    """Status code → why, for an operation of `method` guarded by `permission`, whose path names a tenant or a
    row (`names_something`), that reads a request body or other arguments."""
    errors = {}
    if method in WRITE_METHODS:
        errors[400] = "The body is not JSON, or a cookie session sent no CSRF token"
    if permission != PUBLIC:
        errors[401] = "No valid personal access token (Authorization: Bearer <token>)"
        if permission != "authenticated" or names_something:
            errors[403] = "The caller's role does not allow this"
    if names_something:
        errors[404] = "No such tenant, project or row, or not one the caller may see"
    if has_body:
        errors[413] = "The request body is larger than the upload limit"
    if has_body or has_arguments or method in WRITE_METHODS:
        errors[422] = "Refused, with field errors by location and field name: what was sent, or the state it would change"
    return errors


class StandardErrorResponses(BasePlugin):
    """apispec plugin: adds `standard_errors` to each operation as flask-smorest registers it, and makes every
    error response a feature documented itself problem+json."""

    def __init__(self, app):
        self.app = app

    def operation_helper(self, path=None, operations=None, rule=None, **kwargs):
        if rule is None or not operations:
            return
        permission = declared_permission(self.app.view_functions[rule.endpoint])
        for method, operation in operations.items():
            if method not in WRITE_METHODS | {"get"}:
                continue
            responses = operation.setdefault("responses", {})
            for code in list(responses):
                if int(code) >= 400 and isinstance(responses[code], dict):
                    responses[code]["content"] = PROBLEM_CONTENT
            documented = {int(code) for code in responses}
            has_arguments = any(parameter.get("in") == "query" for parameter in operation.get("parameters", []))
            for code, why in standard_errors(method, permission, bool(rule.arguments), "requestBody" in operation, has_arguments).items():
                if code not in documented:
                    responses[code] = {"description": why, "content": PROBLEM_CONTENT}


def register_problem_responses(spec, schema) -> None:
    """flask-smorest's response components (`UNPROCESSABLE_ENTITY`...), but as problem+json."""
    for status in http.HTTPStatus:
        if status >= 400:
            response = {"description": status.phrase, "schema": schema}
            prepare_response(response, spec, PROBLEM_TYPE)
            spec.components.response(status.name, response, lazy=True)
