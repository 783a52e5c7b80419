"""What the sandbox writes is what Starlette's stdlib encoder wrote, read back by any JSON parser: orjson encodes the
usual answer, and whatever orjson refuses goes to the stdlib encoder unchanged."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.responses import JSONResponse

from sume_notebook.sandbox._json_output import APIJSONResponse
from sume_notebook.sandbox._store import dumps, loads

TEXT = st.text(st.characters(exclude_categories=["Cs"]))  # what UTF-8 can hold
KEYS = TEXT | st.integers(-(2**63), 2**64 - 1) | st.booleans() | st.none() | st.floats(allow_nan=False,
                                                                                       allow_infinity=False)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | TEXT
ANSWERS = st.recursive(SCALARS, lambda children: st.lists(children, max_size=4)
                       | st.dictionaries(KEYS, children, max_size=4), max_leaves=20)
# What is stored was made by the sandbox or read through `_json_input`, whose integers fit in 64 bits.
STORED_SCALARS = st.none() | st.booleans() | st.integers(-(2**63 - 1), 2**63 - 1) | st.floats(
    allow_nan=False, allow_infinity=False) | TEXT
STORED = st.recursive(STORED_SCALARS, lambda children: st.lists(children, max_size=4)
                      | st.dictionaries(TEXT, children, max_size=4), max_leaves=20)


@given(answer=ANSWERS)
def test_an_answer_reads_back_as_the_stdlib_encoder_wrote_it(answer: object) -> None:
    assert json.loads(APIJSONResponse(answer).body) == json.loads(JSONResponse(answer).body)


@pytest.mark.parametrize("answer", [{"credits": 2**70}, [-(2**65)], {2**64: "a key past 64 bits"},
                                    {1.5e-7: "float key"}, {7: "int key", None: "null key", True: "bool key"}])
def test_what_orjson_refuses_is_written_by_the_stdlib_encoder(answer: object) -> None:
    assert APIJSONResponse(answer).body == JSONResponse(answer).body


def test_a_non_finite_float_is_null_never_nan() -> None:
    assert json.loads(APIJSONResponse({"score": math.nan, "inf": math.inf}).body) == {"score": None, "inf": None}


def test_what_orjson_cannot_encode_fails_as_before() -> None:
    with pytest.raises(TypeError):
        APIJSONResponse({"value": object()})


@given(value=STORED)
def test_a_stored_value_reads_back_as_the_stdlib_reads_it(value: object) -> None:
    stored = dumps(value)
    assert loads(stored) == json.loads(stored)


def test_stored_text_orjson_refuses_is_read_by_the_stdlib() -> None:
    assert loads('{"duration_seconds": NaN}')["duration_seconds"] != 0  # NaN, as the stdlib reads it
    assert loads('{"prompt": "a \\ud800 cup"}') == {"prompt": "a \ud800 cup"}
