"""Fetch a web page for ``argmap add URL``: httpx with a time limit, a size limit,
a few redirects at most, and only ``http``/``https``.

:func:`fetch_page` returns the page's bytes and what the answer said about them;
every failure is a :class:`~argmap.errors.FetchError` with a one-line message
(unreachable host, time-out, a status other than 2xx, an answer that is not HTML,
a page over the size limit, too many redirects, a scheme other than http(s)).

>>> is_url("https://example.org/post"), is_url("notes/post.md"), is_url("ftp://example.org/x")
(True, False, True)
>>> check_url("ftp://example.org/x")
Traceback (most recent call last):
...
argmap.errors.FetchError: ftp://example.org/x: only http:// and https:// addresses can be fetched
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import FetchError

__all__ = ["Page", "fetch_page", "is_url", "check_url", "DEFAULT_TIMEOUT", "MAX_REDIRECTS", "HTML_TYPES"]

DEFAULT_TIMEOUT = 20.0  # seconds, for connecting and for each read
MAX_REDIRECTS = 5
HTML_TYPES = ("text/html", "application/xhtml+xml")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


@dataclass(frozen=True)
class Page:
    """A fetched page: its bytes, the address asked for and the one that answered."""

    url: str
    final_url: str
    body: bytes
    charset: str | None = None


def is_url(text: str) -> bool:
    """Whether a command-line argument is an address (``scheme://``) rather than a path."""
    return bool(_SCHEME.match(str(text)))


def check_url(url: str) -> str:
    """The address, if argmap may fetch it (http or https with a host)."""
    import httpx

    if not re.match(r"https?://", url, re.I):
        raise FetchError(f"{url}: only http:// and https:// addresses can be fetched")
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as exc:
        raise FetchError(f"{url}: not a valid address ({exc})") from None
    if not parsed.host:
        raise FetchError(f"{url}: the address has no host")
    return url


def _reason(exc: Exception) -> str:
    import httpx

    if isinstance(exc, httpx.TimeoutException):
        return "no answer in time (timed out)"
    if isinstance(exc, httpx.TooManyRedirects):
        return f"more than {MAX_REDIRECTS} redirects"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return "redirected to an address that is not http(s)"
    if isinstance(exc, httpx.ConnectError):
        detail = str(exc).split(":")[-1].strip() or "connection refused"
        return f"cannot connect ({detail})"
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def fetch_page(url: str, *, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = 5_000_000,
               max_redirects: int = MAX_REDIRECTS, client=None) -> Page:
    """GET ``url`` and return the HTML page, or raise :class:`FetchError`.

    Redirects are followed up to ``max_redirects`` (each to http(s) only); the
    body is read as it streams and the fetch stops once it passes ``max_bytes``.
    """
    import httpx

    check_url(url)
    own = client is None
    if own:
        client = httpx.Client(timeout=timeout, follow_redirects=True, max_redirects=max_redirects,
                              headers={"User-Agent": "argmap (+https://w3id.org/argmap)",
                                       "Accept": "text/html, application/xhtml+xml;q=0.9"})
    try:
        with client.stream("GET", url) as answer:
            if answer.status_code >= 400 or answer.status_code < 200:
                raise FetchError(f"{url}: HTTP {answer.status_code} {answer.reason_phrase}".rstrip())
            kind = answer.headers.get("content-type", "").split(";")[0].strip().lower()
            if kind not in HTML_TYPES:
                raise FetchError(f"{url}: the answer is {kind or 'of no stated type'}, not an HTML page")
            length = answer.headers.get("content-length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise FetchError(f"{url}: {int(length)} bytes is over the limit of {max_bytes} (--max-bytes)")
            chunks, size = [], 0
            for chunk in answer.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"{url}: the page is over the limit of {max_bytes} bytes (--max-bytes)")
                chunks.append(chunk)
            return Page(url, str(answer.url), b"".join(chunks), answer.charset_encoding)
    except FetchError:
        raise
    except (httpx.HTTPError, httpx.InvalidURL, OSError) as exc:
        raise FetchError(f"{url}: {_reason(exc)}") from None
    finally:
        if own:
            client.close()
