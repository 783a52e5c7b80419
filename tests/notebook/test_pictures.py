"""`%sume avatars list` and `%sume assets search` show faces and thumbnails as small inlined images in the notebook's
table, without the URL columns, which the DataFrame keeps."""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd
import pytest

from sume_notebook.notebook._testing import SumeShell
from sume_notebook.sandbox import SandboxHandle
from tests.support import requests_to

MEDIA = "GET /media/{path}"


class Table(HTMLParser):
    def __init__(self, markup: str) -> None:
        super().__init__()
        self.headers: list[str] = []
        self.images: list[str] = []
        self._in_header = False
        self.feed(markup)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_header = tag == "th"
        if tag == "img":
            self.images.append(dict(attrs)["src"] or "")

    def handle_data(self, data: str) -> None:
        if self._in_header and data.strip():
            self.headers.append(data.strip())


def shown_html(ip: SumeShell, value: object) -> str:
    """The HTML Jupyter would show for a cell's value."""
    bundle, _ = ip.shell.display_formatter.format(value)
    return bundle["text/html"]


@pytest.mark.parametrize(("line", "url_column"), [
    ("%sume avatars list", "preview_image_url"),
    ("%sume assets search serum", "thumbnail_url"),
])
def test_the_table_shows_pictures_and_the_frame_keeps_the_urls(
    ip: SumeShell, env: SandboxHandle, line: str, url_column: str
) -> None:
    frame = ip.run(line).result
    assert isinstance(frame, pd.DataFrame) and frame[url_column].notna().all()  # the frame keeps its URLs

    table = Table(shown_html(ip, frame))
    assert table.headers[0] == "picture"
    assert not any(header.endswith(("url", "urls")) for header in table.headers)
    assert len(table.images) == len(frame) and all(src.startswith("data:image/jpeg;base64,") for src in table.images)
    assert "http" not in shown_html(ip, frame)
    assert type(frame.head(2)) is pd.DataFrame  # anything derived is a plain frame again


def test_pictures_are_fetched_only_to_be_shown(ip: SumeShell, env: SandboxHandle) -> None:
    shown = ip.run("%sume avatars list").result  # the cell's value is shown: one picture per face
    shown_html(ip, shown)  # shown again: the pictures are kept
    assert requests_to(env, MEDIA) == len(shown)
    ip.run("%sume avatars list -o avatars")
    ip.run("%sume assets search serum --json")
    assert requests_to(env, MEDIA) == len(shown)  # none for a variable or JSON
    assert type(ip.shell.user_ns["avatars"]) is pd.DataFrame
