"""The REST API under /api/v1/: flask-smorest, marshmallow schemas, an OpenAPI 3 document, problem+json errors.

Features register their own blueprints on `api` from their `init_app`.
"""
from flask_smorest import Api

api = Api()


def init_app(app) -> None:
    api.init_app(app)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    api.spec.options["security"] = [{"bearerAuth": []}]
