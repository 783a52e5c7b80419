"""Keep secrets out of every text that leaves the process: reprs, exception messages, logs, the journal.

API-CONTRACT.md lists what never appears in clear: API keys, signed upload URLs, storage object keys, tokens in
query strings, emails and workspace or user ids. Values the client learns at run time (the key, presigned URLs,
object keys, the account's ids) are registered here; shapes that can be recognised (keys, URLs with a query,
emails, bearer tokens) are masked by pattern as well, so an unregistered value is still caught.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "PLAIN_URL_HEAD",
    "PLAIN_URL_QUERY",
    "RedactingFilter",
    "install_log_filter",
    "mask_email",
    "mask_id",
    "mask_present",
    "redact",
    "redact_url",
    "redact_urls",
    "register_secret",
    "registered",
    "registered_in",
    "sanitize",
]

# A URL, its host a name, an IPv4 address or a bracketed IPv6 address (`http://[::1]:8080/...`, cut or not).
_URL = re.compile(r"""https?://(?:[^\s'"<>()\[\]/@]*@)?(?:\[[0-9A-Za-z:.%]*\]?)?[^\s'"<>)\]]*""", re.IGNORECASE)
# A key wherever it sits, even glued to other text (`invalid_key_sume_live_...` in an echoed error code).
_KEY = re.compile(r"sume_(?:live|test)_[A-Za-z0-9_\-]+")
# A signature, token or credential outside a URL, as a query pair or a JSON member: `X-Amz-Signature=...`,
# `token=...`, `"signature": "..."`. (A bare `secret: ...` in prose is left alone: prompts are the user's text.)
_CREDENTIAL = re.compile(
    r"""(?i)(\b(?:x-amz-(?:signature|credential|security-token)|x-goog-(?:signature|credential)|signature|sig|token|"""
    r"""access_token|api_key|apikey|credential|password|secret)(?:=|["']\s*:\s*["']))([^\s&"'<>,;)]+)"""
)
_KEY_PREFIX = re.compile(r"sume_[a-z]+_")
_BEARER = re.compile(r"(?i)\b(bearer\s+)[^\s'\",]+")
_EMAIL = re.compile(r"\b([A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]*@([A-Za-z0-9])[A-Za-z0-9.\-]*\.[A-Za-z]{2,}\b")
HIDDEN_FIELDS = frozenset({"object_key", "upload_url"})  # storage details, never shown or stored
_KEEP = 4  # characters of an id or key shown to a person

_lock = threading.Lock()
_secrets: dict[str, str] = {}  # secret -> its masked form; insertion-ordered, bounded
_MAX_SECRETS = 4096


def mask_id(value: str | None, keep: int = _KEEP) -> str:
    """An id or key by its first characters only: its type prefix (`job_`, `sume_live_`) and `keep` more."""
    if not value:
        return ""
    key_prefix = _KEY_PREFIX.match(value)
    if key_prefix:
        prefix_end = key_prefix.end()
    else:
        underscore = value.find("_")
        prefix_end = underscore + 1 if 0 < underscore <= 5 else 0
    shown = value[: prefix_end + keep]
    return shown + "…" if len(shown) < len(value) else shown


def redact_url(url: str | None) -> str:
    """Scheme, host and path, with the query and fragment cut: `https://cdn.example/a/b.png?…`."""
    if not url:
        return ""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  # a port out of range or a broken IPv6 host raises here, not later
    except ValueError:
        return "<url>"
    if not parts.scheme or not parts.netloc:
        return _mask_registered(url.split("?", 1)[0]) + ("?…" if "?" in url else "")
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address keeps its brackets
        host = f"[{host}]"
    if parts.port:
        host = f"{host}:{parts.port}"
    cut = "?…" if parts.query or parts.fragment else ""
    return _mask_registered(f"{parts.scheme}://{host}{parts.path}") + cut


# A URL `redact_url` would only cut: lowercase scheme and host name, a port in 1..65535 without leading zeros, a
# path, then nothing or a non-empty query. Everything else (user info, IPv6, capitals, blanks, a bare fragment)
# takes the full `redact_url`, so the shortcut never answers differently.
_PORT = r"(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3})"
_BLANK = r"\t\n\x0b\x0c\r "  # ASCII blanks spelled out: pandas hands `\s` to Python's re, not pyarrow's RE2
# Both are valid RE2 too, so pyarrow can apply them to a whole column (`_frames.redact_url_columns`).
PLAIN_URL_HEAD = rf"https?://[a-z0-9.\-]+(?::{_PORT})?(?:/[^?#{_BLANK}]*)?"
PLAIN_URL_QUERY = rf"\?[^#{_BLANK}][^\t\r\n]*"
_PLAIN_URL = re.compile(f"({PLAIN_URL_HEAD})({PLAIN_URL_QUERY})?")


def redact_urls(values: Iterable[Any]) -> list[Any]:
    """`redact_url` over a whole column at once: the same answers, the registered secrets looked up once.

    Strings are cut, lists have their strings cut, anything else (None, NaN) is kept as it is.
    """
    cut: list[Any] = []
    for value in values:
        if isinstance(value, str):
            cut.append(_cut_url(value))
        elif isinstance(value, list):
            cut.append([_cut_url(v) if isinstance(v, str) else v for v in value])
        else:
            cut.append(value)
    texts = "\n".join(v for v in cut if isinstance(v, str))
    texts += "\n" + "\n".join(str(inner) for v in cut if isinstance(v, list) for inner in v)
    present = registered_in(texts)
    if not present:
        return cut
    return [mask_present(v, present) if isinstance(v, str)
            else [mask_present(i, present) if isinstance(i, str) else i for i in v] if isinstance(v, list)
            else v for v in cut]


def registered() -> list[tuple[str, str]]:
    """Every registered secret (longest first) with what is shown instead."""
    with _lock:
        return sorted(_secrets.items(), key=lambda kv: -len(kv[0]))


def registered_in(text: str) -> list[tuple[str, str]]:
    """The registered secrets found in `text`, with what is shown instead: look up once, mask many."""
    return [(secret, shown) for secret, shown in registered() if secret in text]


def _cut_url(value: str) -> str:
    plain = _PLAIN_URL.fullmatch(value)
    if plain is None:
        return redact_url(value)
    return plain[1] + "?…" if plain[2] else plain[1]


def mask_present(text: str, present: list[tuple[str, str]]) -> str:
    """`text` with each of the secrets `registered_in` found replaced by its shown form."""
    for secret, shown in present:
        if secret in text:
            text = text.replace(secret, shown)
    return text


def register_secret(value: str | None, shown: str | None = None) -> None:
    """Remember a value that must never be printed; `shown` is what appears instead."""
    if not value or len(value) < 6:
        return
    with _lock:
        if value not in _secrets and len(_secrets) >= _MAX_SECRETS:
            _secrets.pop(next(iter(_secrets)))
        _secrets[value] = shown or mask_id(value)


def _mask_registered(text: str) -> str:
    with _lock:
        items = sorted(_secrets.items(), key=lambda kv: -len(kv[0]))
    for secret, shown in items:
        if secret in text:
            text = text.replace(secret, shown)
    return text


def redact(text: object) -> str:
    """Any text with every known secret and secret-looking shape masked."""
    out = _mask_registered(str(text))
    out = _URL.sub(lambda m: redact_url(m.group(0)), out)
    out = _KEY.sub(lambda m: mask_id(m.group(0)), out)
    out = _CREDENTIAL.sub(lambda m: m.group(1) + "…", out)
    out = _BEARER.sub(lambda m: m.group(1) + "…", out)
    return _EMAIL.sub(lambda m: mask_email(m.group(0)), out)


def mask_email(email: str | None) -> str:
    """`a…@s…`: enough to recognise an account, not enough to reach its owner (the one form used everywhere)."""
    if not email or "@" not in email:
        return ""
    local, _, domain = email.partition("@")
    return f"{local[:1]}…@{domain[:1]}…"


class RedactingFilter(logging.Filter):
    """A logging filter that rewrites each record's message through `redact` (add it to your own handlers too)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is the caller's bug; still never print its args raw
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True


_FILTERED_LOGGERS: tuple[str, ...] = (  # a logger's filters do not apply to its children: name each one
    "sume_notebook",
    "sume_notebook.client",
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
)
_filter = RedactingFilter()


def install_log_filter(names: Iterable[str] = _FILTERED_LOGGERS) -> None:
    """Attach the filter to our logger and to httpx's, whose request lines carry full URLs."""
    for name in names:
        logger = logging.getLogger(name)
        if _filter not in logger.filters:
            logger.addFilter(_filter)


def sanitize(value: Any, name: str = "") -> Any:
    """JSON-like data safe to store or show: URLs without their query, storage fields hidden, texts redacted."""
    if name in HIDDEN_FIELDS:
        return "<hidden>"
    if isinstance(value, str):
        return redact_url(value) if value.startswith(("http://", "https://")) else redact(value)
    if isinstance(value, Mapping):
        return {str(k): sanitize(v, str(k)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [sanitize(v) for v in value]
    return value
