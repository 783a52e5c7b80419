"""What uploads and downloads share: which URLs may be used, and requests that never carry Sume credentials."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx

from .._hosts import is_loopback_url

__all__ = ["MEDIA_TIMEOUT", "is_allowed_media_url", "without_credentials"]

MEDIA_TIMEOUT = httpx.Timeout(300.0, connect=10.0)
_CREDENTIAL_HEADERS = ("authorization", "x-api-key", "cookie")


def is_allowed_media_url(url: str) -> bool:
    """Only https, or plain http to this machine (the local sandbox); a URL that does not parse is refused."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  # a broken IPv6 host or port raises only when read
    except ValueError:
        return False
    if parts.scheme == "https" and parts.hostname:
        return True
    return parts.scheme == "http" and is_loopback_url(url)


def without_credentials(request: httpx.Request) -> httpx.Request:
    """Strip any Sume credential a caller-supplied client may add by default: storage and CDNs never get it."""
    for name in _CREDENTIAL_HEADERS:
        request.headers.pop(name, None)
    return request
