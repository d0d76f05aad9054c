"""The REST API under /api/v1/: flask-smorest, marshmallow schemas, an OpenAPI 3 document, problem+json errors.

Features register their own blueprints on `api` from their `init_app`. The error responses every operation
can give are documented centrally (`responses.py`).
"""
from flask_smorest import Api

from bibnet.api.responses import StandardErrorResponses, register_problem_responses
from bibnet.api.schemas import ProblemSchema


class BibNetApi(Api):
    ERROR_SCHEMA = ProblemSchema
    DEFAULT_ERROR_RESPONSE_NAME = None  # every status code is documented, none hidden behind `default`

    def _init_spec(self, **options):
        options["extra_plugins"] = [*options.get("extra_plugins", ()), StandardErrorResponses(self._app)]
        super()._init_spec(**options)

    def _register_responses(self):
        register_problem_responses(self.spec, self.ERROR_SCHEMA)


api = BibNetApi()


def init_app(app) -> None:
    api.init_app(app)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    api.spec.options["security"] = [{"bearerAuth": []}]
