"""The house rules hold in the code itself: one way to refuse (services raise `Refused`, the core answers),
one way to load what the URL names (the core's resolvers and loaders), and access is declared, never checked
in a view. Features copy what they find, so these read the source."""
from pathlib import Path
import re

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(path for folder in ("platform", "tenants", "elearning") for path in (ROOT / folder).rglob("*.py") if "migrations" not in path.parts)


def offenders(pattern: str, allowed: set[str] = frozenset()) -> list[str]:
    found = []
    for path in SOURCES:
        name = str(path.relative_to(ROOT))
        if name in allowed:
            continue
        found += [f"{name}:{number}" for number, line in enumerate(path.read_text().splitlines(), 1) if re.search(pattern, line)]
    return found


@pytest.mark.parametrize(
    "what,pattern,allowed",
    [
        ("an error handler other than the core's", r"errorhandler\(|register_error_handler\(", {"platform/web/errors.py"}),
        ("a refusal exception other than Refused", r"^class \w+\((Exception|ValueError)\)", {"platform/config.py", "platform/tenancy/context.py", "platform/accounts/links.py", "tenants/budgets/cofinancing.py", "tenants/bookings/recurrence.py", "platform/refusals.py", "platform/web/fields.py"}),
        ("a view refusing access itself", r"abort\(403\)", {"platform/access.py"}),
        ("a view checking its project itself", r"project_for_lead_or_404|partner_project_or_404", set()),
        ("a feature loading what its URL names itself", r"url_value_preprocessor|before_request", {"platform/tenancy/resolve.py", "platform/tenancy/projects.py", "platform/loading.py", "platform/app.py", "platform/access.py", "platform/web/security.py", "platform/web/input_checks.py"}),
        ("a choice field other than the core's (bibnet.web.fields.SelectField)", r"^from wtforms import .*\bSelectField\b|wtforms\.SelectField", {"platform/web/fields.py"}),
        ("a feature declaring no permission but checking one", r'require\("authenticated"\)', {"platform/access.py", "platform/web/views.py", "platform/accounts/api.py", "platform/accounts/views.py"}),
    ],
)
def test_there_is_one_way(what, pattern, allowed):
    assert offenders(pattern, allowed) == [], what
