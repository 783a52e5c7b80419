"""`{name}` interpolation and prompt-matrix expansion, on their own."""

from __future__ import annotations

import pytest

from sume_notebook.notebook._prompt_matrix import TemplateError, expand


def test_plain_values_fill_in_and_double_braces_stay_literal() -> None:
    [prompt] = expand("a {colour} {{logo}} on {n:03d} cups", {"colour": "red", "n": 7})
    assert prompt.text == "a red {logo} on 007 cups" and prompt.values == () and prompt.label == ""


def test_lists_tuples_and_ranges_are_axes_in_first_use_order() -> None:
    prompts = expand("{style} {animal} #{i}", {"style": ["noir", "pop"], "animal": ("cat",), "i": range(2)})
    assert [p.text for p in prompts] == ["noir cat #0", "noir cat #1", "pop cat #0", "pop cat #1"]
    assert prompts[1].label == "style=noir, animal=cat, i=1"


def test_a_variable_used_twice_is_one_axis() -> None:
    prompts = expand("{x} and {x}", {"x": [1, 2]})
    assert [p.text for p in prompts] == ["1 and 1", "2 and 2"]


def test_attribute_and_index_fields_use_their_root_variable() -> None:
    class Product:
        name = "serum"

    [prompt] = expand("{p.name} in {sizes[0]}", {"p": Product(), "sizes": {0: "small"}})
    assert prompt.text == "serum in small"


def test_strings_and_dicts_are_not_axes() -> None:
    [prompt] = expand("{s} {d}", {"s": "abc", "d": {"k": 1}})
    assert prompt.text == "abc {'k': 1}"


def test_unknown_names_are_all_listed() -> None:
    with pytest.raises(TemplateError, match="unknown variables in the cell: a, b"):
        expand("{a} {b} {c}", {"c": 1})


@pytest.mark.parametrize("template", ["{}", "{0}", "{ x }", "a { b", "a } b", "{x!z}"])
def test_malformed_fields_are_template_errors(template: str) -> None:
    with pytest.raises(TemplateError):
        expand(template, {"x": 1})


def test_an_empty_axis_makes_no_prompt() -> None:
    assert expand("{x}", {"x": []}) == []


def test_a_failing_format_is_a_template_error() -> None:
    with pytest.raises(TemplateError, match="cannot fill in the cell"):
        expand("{n:d}", {"n": "not a number"})
