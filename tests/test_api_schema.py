"""schemathesis generates requests from the published OpenAPI schema and holds every answer of
the API to it, with all of its checks."""

import json

import pytest
import schemathesis
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.throttling import AnonRateThrottle
from schemathesis import checks


def published_schema() -> schemathesis.schemas.BaseSchema:
    """The schema /api/v1/schema/ serves, built the same way without a request (the endpoint
    reads the database for its cache, which test collection may not)."""
    document = json.loads(
        json.dumps(SchemaGenerator().get_schema(request=None, public=True), cls=DjangoJSONEncoder)
    )
    loaded = schemathesis.openapi.from_dict(document)
    loaded.app = get_wsgi_application()
    loaded.location = "/api/v1/schema/"
    return loaded


schema = published_schema()


@pytest.fixture
def open_api(seeded, monkeypatch):
    # Hundreds of generated requests in a row would otherwise meet the anonymous rate limit.
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": None})
    # Requests go straight to the WSGI application, which would close the database connection
    # that holds the test's transaction; Django's own test client unhooks this the same way.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def test_the_served_schema_is_the_one_tested(client, open_api):
    served = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert served.json() == schema.raw_schema


# One check is off: positive_data_acceptance ("schema-valid request rejected"). The filters
# name parties, topics and outlets by slug, and the schema cannot list which slugs exist, so
# ?party=abc is schema-valid yet rightly refused with a 400 that names the field; the same goes
# for text holding a NUL character, which no database column can store or match.
# test_api.py checks those 400 answers.
@schema.parametrize()
@settings(
    max_examples=60,
    derandomize=True,  # the same requests on every run, so a failure can be replayed
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_answers_as_its_schema_says(case, open_api):
    case.call_and_validate(
        headers={"Host": "127.0.0.1"}, excluded_checks=[checks.positive_data_acceptance]
    )
