"""API: funding report downloads per partner and per project (`format=xlsx|csv|pdf`, `period=N`)."""
from flask_smorest import Blueprint

blp = Blueprint("api_funding", __name__, url_prefix="/api/v1/tenants/<tenant_slug>", description="Funding reports of a partner")
project_blp = Blueprint("api_funding_project", __name__, url_prefix="/api/v1/projects", description="Funding reports of a project, for its lead")
