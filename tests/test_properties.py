"""Properties of the two grammars hostile text meets first: the redactor and the prompt cell's interpolation."""

from __future__ import annotations

import string

import pandas as pd
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sume_notebook import redact, redact_url
from sume_notebook._redaction import redact_urls, register_secret
from sume_notebook.client._frames import redact_url_columns
from sume_notebook.notebook._prompt_matrix import TemplateError, expand

SECRET = st.text(alphabet=string.digits, min_size=12, max_size=24)  # never found in AROUND by chance
HOSTS = st.one_of(
    st.sampled_from(["cdn.example", "storage.googleapis.com", "localhost", "127.0.0.1", "10.1.2.3", "[::1]",
                     "[2001:db8::7]", "[fe80::1%25eth0]", "xn--bcher-kva.example"]),
    st.from_regex(r"[a-z]{1,10}\.[a-z]{2,5}", fullmatch=True),
)
PORTS = st.one_of(st.just(""), st.integers(1, 65535).map(lambda p: f":{p}"))
PATHS = st.from_regex(r"(/[A-Za-z0-9_.-]{1,12}){0,3}", fullmatch=True)
NAMES = st.sampled_from(["token", "sig", "signature", "X-Amz-Signature", "X-Amz-Credential", "access_token"])
AROUND = st.text(alphabet=string.ascii_letters + " :;,()[]'\"", max_size=20)


@given(host=HOSTS, port=PORTS, path=PATHS, name=NAMES, secret=SECRET, before=AROUND, after=AROUND)
def test_a_signed_url_of_any_host_form_loses_its_secret(host: str, port: str, path: str, name: str, secret: str,
                                                         before: str, after: str) -> None:
    shown = redact(f"{before} https://{host}{port}{path}?{name}={secret}&x=1 {after}")
    assert secret not in shown


@given(name=NAMES, secret=SECRET, before=AROUND, after=AROUND, glue=st.sampled_from([" ", "&", "?", ";", "(", '"']))
def test_a_credential_outside_a_url_loses_its_value(name: str, secret: str, before: str, after: str, glue: str) -> None:
    assert secret not in redact(f"{before}{glue}{name}={secret}{glue}{after}")


@given(secret=SECRET, kind=st.sampled_from(["live", "test"]), before=AROUND, after=AROUND)
def test_a_key_shaped_token_is_masked_wherever_it_sits(secret: str, kind: str, before: str, after: str) -> None:
    assert secret not in redact(f"{before}sume_{kind}_{secret} {after}")


URL_TEXT = st.one_of(  # the URL shapes of the API and the awkward ones the column shortcut must hand to redact_url
    st.builds(lambda scheme, host, port, path, tail: f"{scheme}://{host}{port}{path}{tail}",
              st.sampled_from(["https", "http", "HTTPS", "ftp"]),
              st.one_of(HOSTS, st.sampled_from(["CDN.Example", "user:pw@cdn.example", "", "cdn.example:"])),
              st.one_of(PORTS, st.sampled_from([":0", ":080", ":65536", ":99999", ":x"])),
              st.one_of(PATHS, st.sampled_from(["/a b", "/a\tb", "/ü/ß", "/a@b", "/a;b"])),
              st.sampled_from(["", "?", "#", "?#", "?#f", "#f", "?token=abc", "?a=1#f", "? x", "?a\nb", " ", "\t"])),
    st.text(max_size=30),
)


@settings(deadline=None)  # the first example pays for pyarrow's regex compilation
@given(urls=st.lists(st.one_of(URL_TEXT, st.none()), max_size=8), secret_path=PATHS)
def test_the_column_redaction_answers_as_redact_url_cell_by_cell(urls: list[str | None], secret_path: str) -> None:
    register_secret("/private-object-key-42")  # a registered value inside a path is masked by both
    urls = [*urls, f"https://cdn.example/private-object-key-42{secret_path}?token=t"]
    expected = [redact_url(u) if isinstance(u, str) else None for u in urls]
    assert redact_urls(urls) == expected
    for dtype in ("str", "string", pd.StringDtype("python"), object):
        frame = redact_url_columns(pd.DataFrame({"clip_url": pd.Series(urls, dtype=dtype)}))
        assert [None if pd.isna(v) else v for v in frame["clip_url"]] == expected, dtype


FIELD_TEXT = st.text(alphabet=string.ascii_letters + string.digits + "_.[]()!:{}<>^0 ", max_size=16)


@given(field=FIELD_TEXT)
@example(field="{}")  # found by hypothesis: "{{}}" is two literal braces, not a field
def test_a_cell_field_is_a_name_or_refused_and_never_reaches_attributes(field: str) -> None:
    class Tripwire:
        """Any attribute read, call or conversion of this value fails the test."""

        def __getattr__(self, name: str) -> object:
            raise AssertionError(f"attribute {name!r} was read")

        def __format__(self, spec: str) -> str:
            return "ok"

        def __getitem__(self, key: object) -> "Tripwire":
            return self

    template = "{" + field + "}"
    try:
        prompts = expand(template, {name: Tripwire() for name in ("a", "b", "x", "_")})
    except TemplateError:
        return
    if all(name is None for _, name, _, _ in string.Formatter().parse(template)):  # "{{}}": literal braces, no field
        assert all(p.text == template.replace("{{", "{").replace("}}", "}") for p in prompts)
    else:
        assert all(p.text == "ok" for p in prompts)
