"""`{name}` interpolation and prompt-matrix expansion, on their own."""

from __future__ import annotations

import pytest

from sume_notebook.notebook._prompt_matrix import TemplateError, count, expand


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


def test_item_fields_use_their_root_variable() -> None:
    [prompt] = expand("{p[name]} in {sizes[0]}", {"p": {"name": "serum"}, "sizes": {0: "small"}})
    assert prompt.text == "serum in small"


@pytest.mark.parametrize("template", ["{f.__globals__}", "{p.name}", "{x!r}", "{x:>99999999}", "{x:{x}}",
                                      "{x[0].real}", "{x()}"])
def test_the_cell_is_data_attributes_calls_conversions_and_long_specs_are_refused(template: str) -> None:
    def f() -> None:
        pass

    with pytest.raises(TemplateError, match="refused|malformed|expected|unmatched|Single|format"):
        expand(template, {"f": f, "p": object(), "x": [1]})


def test_a_matrix_is_counted_before_it_is_built() -> None:
    namespace = {"a": range(10**9), "b": ["x", "y"]}
    assert count("{a} {b}", namespace) == 2 * 10**9
    with pytest.raises(TemplateError, match="2,000,000,000 prompts"):
        expand("{a} {b}", namespace)  # building them first would never return


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
