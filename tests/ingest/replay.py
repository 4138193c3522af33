"""A test double with :class:`ingest.http.SafeHttpClient`'s ``fetch``, over recorded responses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from ingest.http import Kind
from ingest.records import FetchResult, Outcome


class ReplayClient:
    """The :class:`SafeHttpClient` ``fetch`` API over recorded responses, for tests.

    ``responses`` maps a URL to a :class:`FetchResult` or to body bytes (an
    ``ok`` result).  Unknown URLs answer ``not_found``.  A matching ``etag``
    answers ``not_modified``, as a server would.  ``calls`` records every fetch.
    """

    def __init__(self, responses: Mapping[str, FetchResult | bytes]) -> None:
        self.responses: dict[str, FetchResult] = {
            url: r if isinstance(r, FetchResult) else FetchResult(url, url, Outcome.OK, 200, body=r)
            for url, r in responses.items()
        }
        self.calls: list[tuple[str, str]] = []

    async def fetch(
        self,
        url: str,
        *,
        kind: Kind,
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int | None = None,
    ) -> FetchResult:
        self.calls.append((kind, url))
        result = self.responses.get(url)
        if result is None:
            return FetchResult(url, url, Outcome.NOT_FOUND, 404, error="not in the recording")
        if result.ok and etag is not None and result.etag == etag:
            return replace(result, outcome=Outcome.NOT_MODIFIED, status=304, body=b"")
        if result.ok and max_bytes is not None and len(result.body) > max_bytes:
            return replace(result, outcome=Outcome.TOO_LARGE, body=b"", error="over the cap")
        return result

    async def aclose(self) -> None:
        return None

    async def __aenter__(self) -> ReplayClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        return None
