"""Properties of what the sandbox reads from a client: a cursor it issued reads back as what it encoded, and any
other cursor, query value or body is either accepted or refused with a 400 in the contract's envelope, never a 500.
"""

from __future__ import annotations

import json

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sume_notebook.sandbox._cursors import decode_keyset_cursor, decode_offset_cursor, encode_cursor
from sume_notebook.sandbox._errors import APIError
from sume_notebook.sandbox._json_input import JSONInputError, parse_json
from sume_notebook.sandbox._library_search import parse_search_params

TEXT = st.text(st.characters(exclude_categories=["Cs"]))  # what a JSON encoder can write as UTF-8
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63 - 1), 2**63 - 1) | st.floats(allow_nan=False, allow_infinity=False) | TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=20,
)
SEARCH_PARAMETERS = ("q", "search_mode", "source_type", "segment_type", "cta_present", "min_duration",
                     "max_duration", "created_after", "created_before", "sort", "limit", "cursor")
OVER_HTTP = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@given(moment=st.floats(allow_nan=False, allow_infinity=False), ident=TEXT)
def test_a_keyset_cursor_reads_back_as_written(moment: float, ident: str) -> None:
    assert decode_keyset_cursor(encode_cursor([moment, ident])) == (moment, ident)


@given(offset=st.integers(min_value=0, max_value=10**18))
def test_an_offset_cursor_reads_back_as_written(offset: int) -> None:
    assert decode_offset_cursor(encode_cursor({"offset": offset})) == offset


@given(payload=JSON_VALUES)
def test_any_json_payload_in_a_cursor_is_read_or_refused_with_a_400(payload: object) -> None:
    cursor = encode_cursor(payload)
    for decode in (decode_keyset_cursor, decode_offset_cursor):
        try:
            decode(cursor)
        except APIError as error:
            assert error.status == 400


@given(raw=st.binary(max_size=200) | st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_any_body_is_parsed_or_refused_as_input(raw: bytes) -> None:
    try:
        parse_json(raw)
    except JSONInputError:
        pass


@given(value=JSON_VALUES)
def test_valid_json_parses_back_to_itself(value: object) -> None:
    assert parse_json(json.dumps(value)) == value


@given(params=st.dictionaries(st.sampled_from(SEARCH_PARAMETERS), st.text(max_size=40)))
def test_any_search_query_is_parsed_or_refused_field_by_field(params: dict[str, str]) -> None:
    parsed, problems = parse_search_params(params)
    assert all(problem["field"] in SEARCH_PARAMETERS for problem in problems)


@OVER_HTTP
@given(cursor=st.text(max_size=60) | JSON_VALUES.map(encode_cursor))
@pytest.mark.parametrize("path", ["/jobs", "/brand", "/avatars", "/assets"])
def test_any_cursor_over_http_is_a_page_or_a_400(api: httpx.Client, path: str, cursor: str) -> None:
    response = api.get(path, params={"cursor": cursor})
    assert response.status_code in (200, 400), response.text
    assert response.headers["content-type"].startswith("application/json")


@OVER_HTTP
@given(params=st.dictionaries(st.sampled_from(SEARCH_PARAMETERS + ("search_score", "query")),
                              st.text(st.characters(exclude_categories=["Cs"]), max_size=30)))
def test_any_query_string_over_http_is_an_answer_or_a_400(api: httpx.Client, params: dict[str, str]) -> None:
    for path in ("/assets", "/jobs"):
        response = api.get(path, params=params)
        assert response.status_code in (200, 400), response.text
