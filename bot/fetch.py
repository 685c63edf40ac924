"""One async HTTP client for every fetch: timeouts, a size cap, a redirect cap, conditional GET, and for
addresses that came from chat, no private, loopback or link-local targets (checked after DNS, on every hop)."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

REDIRECTS = {301, 302, 303, 307, 308}


@dataclass(frozen=True)
class FetchLimits:
    connect_timeout: float = 10
    read_timeout: float = 30
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    user_agent: str = "coop/0.1"


@dataclass
class FetchResult:
    status: int
    body: bytes
    url: str
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class FetchError(Exception):
    """A failed fetch. `transient`: worth retrying soon (timeouts, 5xx, 429); otherwise it needs attention."""

    def __init__(self, message: str, transient: bool, status: int | None = None) -> None:
        super().__init__(message)
        self.transient = transient
        self.status = status


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    return ip.is_global and not ip.is_multicast


class PublicOnlyResolver(AbstractResolver):
    """Resolves names and drops every address that is not public, so a chat-added URL cannot reach inside."""

    def __init__(self) -> None:
        self._inner = aiohttp.ThreadedResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        public = [r for r in results if is_public_address(r["host"])]
        if not public:
            raise OSError(f"{host} resolves only to private or local addresses; refused")
        return public

    async def close(self) -> None:
        await self._inner.close()


def check_url_shape(url: str, public_only: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"not an http(s) address: {url}", transient=False)
    if public_only:
        try:
            literal = ipaddress.ip_address(parts.hostname)
        except ValueError:
            if parts.hostname.lower() in ("localhost", "localhost.localdomain") or parts.hostname.endswith(".local"):
                raise FetchError(f"{parts.hostname} is a local name; refused", transient=False) from None
            return
        if not is_public_address(str(literal)):
            raise FetchError(f"{parts.hostname} is a private or local address; refused", transient=False)


async def check_public_host(url: str) -> None:
    """For `sources add`: refuse at once, with a clear reason, a URL whose host is private or local."""
    check_url_shape(url, public_only=True)
    host = urlsplit(url).hostname or ""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None)
    except socket.gaierror as error:
        raise FetchError(f"cannot resolve {host}: {error}", transient=False) from error
    if any(not is_public_address(str(info[4][0])) for info in infos):
        raise FetchError(f"{host} resolves to a private or local address; refused", transient=False)


class Fetcher:
    def __init__(self, limits: FetchLimits) -> None:
        self.limits = limits
        self._sessions: dict[bool, aiohttp.ClientSession] = {}

    def _session(self, public_only: bool) -> aiohttp.ClientSession:
        session = self._sessions.get(public_only)
        if session is None or session.closed:
            connector = aiohttp.TCPConnector(limit=100, resolver=PublicOnlyResolver() if public_only else None)
            timeout = aiohttp.ClientTimeout(total=self.limits.read_timeout, sock_connect=self.limits.connect_timeout)
            session = aiohttp.ClientSession(
                connector=connector, timeout=timeout, headers={"User-Agent": self.limits.user_agent}
            )
            self._sessions[public_only] = session
        return session

    async def close(self) -> None:
        for session in self._sessions.values():
            await session.close()
        self._sessions.clear()

    async def get(
        self, url: str, etag: str | None = None, last_modified: str | None = None, public_only: bool = False
    ) -> FetchResult:
        headers = {"Accept-Encoding": "gzip, deflate"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            return await self._follow(url, headers, public_only)
        except TimeoutError as error:
            raise FetchError(f"timed out after {self.limits.read_timeout:g}s", transient=True) from error
        except aiohttp.ClientError as error:
            raise FetchError(f"connection failed: {error}", transient=True) from error
        except OSError as error:
            raise FetchError(str(error), transient=not public_only) from error

    async def _follow(self, url: str, headers: dict[str, str], public_only: bool) -> FetchResult:
        for _ in range(self.limits.max_redirects + 1):
            check_url_shape(url, public_only)
            async with self._session(public_only).get(url, headers=headers, allow_redirects=False) as response:
                if response.status in REDIRECTS and "Location" in response.headers:
                    url = urljoin(url, response.headers["Location"])
                    continue
                return await self._read(url, response)
        raise FetchError(f"more than {self.limits.max_redirects} redirects (a loop?)", transient=False)

    async def _read(self, url: str, response: aiohttp.ClientResponse) -> FetchResult:
        if response.status == 304:
            return FetchResult(304, b"", url, response.headers.get("ETag"), response.headers.get("Last-Modified"))
        if response.status >= 400:
            transient = response.status >= 500 or response.status in (408, 429)
            raise FetchError(f"HTTP {response.status} {response.reason or ''}".strip(), transient, response.status)
        declared = response.content_length
        if declared is not None and declared > self.limits.max_bytes:
            raise FetchError(f"body of {declared} bytes is over the {self.limits.max_bytes} limit", transient=False)
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.content.iter_chunked(65536):
            size += len(chunk)
            if size > self.limits.max_bytes:
                raise FetchError(f"body is over the {self.limits.max_bytes} byte limit", transient=False)
            chunks.append(chunk)
        headers: Any = response.headers
        return FetchResult(response.status, b"".join(chunks), url, headers.get("ETag"), headers.get("Last-Modified"))
