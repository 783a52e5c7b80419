"""Schemathesis against the sandbox's own OpenAPI document, over a real socket.

The document promises, per operation, every status and the shape of every answer; schemathesis generates valid
(positive) and invalid (negative) requests from it and checks that the answers keep those promises with its
default checks, response schema conformance among them: no 500, no undeclared status, no body off its schema,
no 405 without `Allow`, no invalid request accepted. Any finding fails the operation's test.

Schemathesis's own pytest loader (`from_fixture`) does not run on pytest 9, so each operation gets a plain
hypothesis test over `operation.as_strategy(...)`, with no shrinking (a finding is reported as first found) and
derandomized, so the suite asks the same questions on every run and a failure reproduces.
"""

from __future__ import annotations

from collections.abc import Iterator

import hypothesis
import pytest
import schemathesis
from schemathesis import GenerationMode

from sume_notebook.sandbox import SandboxHandle, start_sandbox
from sume_notebook.sandbox._openapi import ROUTES
from tests.support import FAST

EXAMPLES_PER_OPERATION = 25


@pytest.fixture(scope="module")
def fuzzed_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxHandle]:
    """A sandbox of its own: thousands of generated creates must not share credits or capacity with other tests,
    and no generated create may exhaust them (402 and 429 are answers a well-formed request can still get)."""
    with start_sandbox(port=0, data_dir=tmp_path_factory.mktemp("fuzzed"), time_scale=FAST) as handle:
        handle.configure(rate_limit_per_second=0, credits=10**12, max_active_generations=10**9)
        yield handle


# A request valid by the schema may still be refused with 400 where validity depends on what no schema can say:
# an opaque cursor, a cross-field rule (min_duration <= max_duration, image_count == n), or a reference to state
# (an avatar, an upload, a TikTok link); and presign answers 413 above the configurable upload limit.
ACCEPTABLE_FOR_VALID_DATA = ["2xx", "3xx", "400", "401", "403", "404", "409", "413", "429", "5xx"]


@pytest.fixture(scope="module")
def api_schema(fuzzed_sandbox: SandboxHandle) -> schemathesis.BaseSchema:
    config = schemathesis.Config.from_dict(
        {"checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTABLE_FOR_VALID_DATA}}})
    return schemathesis.openapi.from_url(fuzzed_sandbox.origin + "/api/openapi.json", config=config)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
@pytest.mark.parametrize(("method", "path"), [(route[0].upper(), route[1]) for route in ROUTES],
                         ids=[f"{route[0].upper()} {route[1]}" for route in ROUTES])
def test_operation_keeps_its_openapi_promises(api_schema, fuzzed_sandbox: SandboxHandle, method: str, path: str,
                                              mode: GenerationMode) -> None:
    operation = api_schema[path][method]
    headers = {"Authorization": f"Bearer {fuzzed_sandbox.api_key}"}

    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis.settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True,
                         phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
                         suppress_health_check=list(hypothesis.HealthCheck))
    def exchange(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=headers, timeout=30)

    exchange()
