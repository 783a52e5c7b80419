"""The magics' parsers: never exit, help returns, errors carry the usage line."""

from __future__ import annotations

import pytest
from IPython.core.error import UsageError

from sume_notebook.notebook._parsing import USE_CONFIGURED_DIR, HelpShown, generate_parser, prompt_parser


def test_help_raises_help_shown_after_printing(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(HelpShown):
        generate_parser().parse("--help")
    assert "--reference-image-url" in capsys.readouterr().out


def test_errors_are_usage_errors_with_the_usage_line() -> None:
    with pytest.raises(UsageError, match=r"(?s)usage: %sume_generate .*error: argument --duration: invalid float value"):
        generate_parser().parse("video --duration soon")


def test_repeatable_options_collect_every_value() -> None:
    args = generate_parser().parse("face-swap --avatar-id a --avatar-id b --reference-image-url https://x/1 "
                                   "--reference-image-url https://x/2")
    assert args.avatar_id == ["a", "b"] and args.reference_image_url == ["https://x/1", "https://x/2"]


def test_download_without_a_directory_means_the_configured_one() -> None:
    assert generate_parser().parse("image --download").download == USE_CONFIGURED_DIR
    assert generate_parser().parse("image --download out").download == "out"
    assert generate_parser().parse("image").download is None


def test_prompt_kind_defaults_to_image_and_quotes_group_words() -> None:
    assert prompt_parser().parse("").kind == "image"
    assert generate_parser().parse("image --prompt 'a b  c'").prompt == "a b  c"
