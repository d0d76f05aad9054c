"""The OpenAPI document tells the truth: exact decimals are strings, errors are problem+json, and every status
code an operation can answer is listed (there is no catch-all `default`)."""
from decimal import Decimal

from marshmallow import Schema, ValidationError
from openapi_spec_validator import validate
import pytest

from bibnet.api.schemas import DecimalString

PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


@pytest.fixture
def document(client):
    document = client.get("/api/v1/openapi.json").json
    validate(document)
    return document


def _operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation


def _resolved(document, response):
    if "$ref" in response:
        return document["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    return response


def _properties(schema):
    yield schema
    for value in schema.get("properties", {}).values():
        yield from _properties(value)
    if "items" in schema:
        yield from _properties(schema["items"])
    if isinstance(schema.get("additionalProperties"), dict):
        yield from _properties(schema["additionalProperties"])


def test_no_number_in_the_document_is_a_float(document):
    """Money, rates, hours and percentages are decimal strings: a client never parses them as a float."""
    schemas = document["components"]["schemas"]
    floats = [name for name, schema in schemas.items() for part in _properties(schema) if part.get("type") == "number"]
    assert floats == []
    budget_line, item = schemas["BudgetLine"]["properties"], schemas["Expenditure"]["properties"]
    assert budget_line["unit_price"] == {"type": "string", "format": "decimal", "pattern": r"^-?\d+\.\d{2}$", "example": "1250.50"}
    assert item["invoice_total"]["pattern"] == r"^-?\d+\.\d{2}$"
    assert item["conversion_rate"]["pattern"] == r"^-?\d+\.\d{6}$"
    assert schemas["FinanceSetup"]["properties"]["fund_rate"]["format"] == "decimal"
    assert schemas["Measures"]["properties"]["utilisation"]["pattern"] == r"^-?\d+\.\d{1}$"


def test_every_error_response_is_problem_json_and_none_is_a_catch_all(document):
    for path, method, operation in _operations(document):
        assert "default" not in operation["responses"], (method, path)
        for code, response in operation["responses"].items():
            if int(code) >= 400:
                assert _resolved(document, response)["content"] == PROBLEM, (method, path, code)
    problem = document["components"]["schemas"]["Problem"]
    assert set(problem["properties"]) == {"type", "title", "status", "detail", "errors"}
    assert problem["additionalProperties"] is True  # extension members, such as a booking conflict's `conflicts`


def test_the_core_documents_the_errors_every_operation_can_give(document):
    operations = {(method, path): set(operation["responses"]) for path, method, operation in _operations(document)}
    assert operations[("get", "/api/v1/me")] == {"200", "401"}
    assert operations[("get", "/api/v1/tenants/{tenant_slug}/rooms/{room_id}")] == {"200", "401", "403", "404"}
    # 409: new opening hours would close the room during booked sessions (affected_sessions lists them)
    assert operations[("patch", "/api/v1/tenants/{tenant_slug}/rooms/{room_id}")] == {"200", "400", "401", "403", "404", "409", "413", "422"}
    assert operations[("delete", "/api/v1/tenants/{tenant_slug}/rooms/closures/{closure_id}")] == {"204", "400", "401", "403", "404", "422"}
    assert {"409", "422"} <= operations[("post", "/api/v1/tenants/{tenant_slug}/bookings")]
    assert "503" in operations[("get", "/api/v1/projects/{project_id}/funding-report")]  # a PDF without Pango
    # Public (no token): verifying a certificate code answers 404 for an unknown code and 429 when rate-limited.
    assert operations[("get", "/api/v1/certificates/{code}")] == {"200", "404", "429"}
    for (method, path), codes in operations.items():
        assert "401" in codes or path == "/api/v1/certificates/{code}", (method, path)
        if method != "get":
            assert {"400", "422"} <= codes, (method, path)


class Priced(Schema):
    price = DecimalString()
    rate = DecimalString(6)


@pytest.mark.parametrize(
    ("sent", "read"),
    [("1250.50", Decimal("1250.50")), (1250.5, Decimal("1250.5")), ("-0.10", Decimal("-0.10")), (7, Decimal(7)), ("-0", Decimal(0)), (-0.0, Decimal("0.0"))],
)
def test_a_decimal_is_read_exactly_from_a_string_or_a_json_number(sent, read):
    price = Priced().load({"price": sent})["price"]
    assert price == read and str(price) == str(read)


@pytest.mark.parametrize("sent", ["10.001", 10.001, "abc", "", True, None, [], {}, "NaN", "Infinity", "1e400", "9" * 16, "1" * 5000])
def test_what_is_no_two_decimal_number_is_refused_not_rounded(sent):
    with pytest.raises(ValidationError) as refused:
        Priced().load({"price": sent})
    assert list(refused.value.messages) == ["price"]


def test_a_decimal_is_written_as_a_string_with_its_places():
    assert Priced().dump({"price": Decimal("1250.5"), "rate": Decimal("1.2345")}) == {"price": "1250.50", "rate": "1.234500"}
