"""Content decoding with an output cap: gzip, deflate and brotli, incrementally.

A compressed body is decoded as it arrives, never past ``cap`` decoded bytes,
so a decompression bomb stops at the cap without inflating further.
"""

from __future__ import annotations

import zlib
from typing import Protocol

import brotli

__all__ = ["BodyReader", "DecodeError", "TooLarge"]


class TooLarge(Exception):
    """The decoded body passed the cap."""


class DecodeError(Exception):
    """The body's content encoding is broken or unknown."""


class Stage(Protocol):
    def feed(self, data: bytes, limit: int) -> tuple[bytes, bool]:
        """At most about ``limit`` decoded bytes, and whether more output is pending."""

    def flush(self) -> bytes: ...


class _ZlibStage:
    """gzip (every member) or deflate (zlib-wrapped or raw: servers send both)."""

    def __init__(self, encoding: str) -> None:
        self.gzip = encoding in ("gzip", "x-gzip")
        self._wbits = 16 + zlib.MAX_WBITS if self.gzip else zlib.MAX_WBITS
        self._d = zlib.decompressobj(self._wbits)
        self._first = True

    def feed(self, data: bytes, limit: int) -> tuple[bytes, bool]:
        try:
            out = self._d.decompress(data, limit)
        except zlib.error:
            if not self._first or self.gzip:
                raise
            self._d = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, no zlib header
            out = self._d.decompress(data, limit)
        self._first = False
        if self._d.unconsumed_tail:
            return out, True  # the output limit stopped it
        if self.gzip and self._d.eof and self._d.unused_data[:2] == b"\x1f\x8b":
            rest = self._d.unused_data  # another gzip member follows
            self._d = zlib.decompressobj(self._wbits)
            if len(out) >= limit:
                return out, True
            more, pending = self.feed(rest, limit - len(out))
            return out + more, pending
        return out, False

    def flush(self) -> bytes:
        return b"" if self._d.eof else self._d.flush()


class _BrotliStage:
    def __init__(self) -> None:
        self._d = brotli.Decompressor()

    def feed(self, data: bytes, limit: int) -> tuple[bytes, bool]:
        out = self._d.process(data, output_buffer_limit=limit)
        return out, len(out) >= limit or not self._d.can_accept_more_data()

    def flush(self) -> bytes:
        return b""


def _stages(content_encoding: str) -> list[Stage]:
    """Decoders in the order to apply them (the header lists codings in the order applied)."""
    stages: list[Stage] = []
    for coding in reversed([c.strip().lower() for c in content_encoding.split(",")]):
        if coding in ("", "identity"):
            continue
        if coding in ("gzip", "x-gzip", "deflate"):
            stages.append(_ZlibStage(coding))
        elif coding == "br":
            stages.append(_BrotliStage())
        else:
            raise DecodeError(f"unsupported content encoding {coding!r}")
    return stages


class BodyReader:
    """Accumulates a body, decoding as it arrives, and stops at ``cap`` decoded bytes.

    Each decoder is given an output limit of what is left under the cap, so a
    bomb costs at most the cap in memory and CPU, never its full expansion.
    """

    def __init__(self, content_encoding: str, cap: int) -> None:
        self.cap = cap
        self.stages = _stages(content_encoding)
        self.parts: list[bytes] = []
        self.size = 0
        self.raw_size = 0

    def _run(self, data: bytes, final: bool) -> None:
        last = len(self.stages) - 1
        for i, stage in enumerate(self.stages):
            try:
                out, pending = stage.feed(data, self.cap - self.size + 1) if data else (b"", False)
                if final and not pending:
                    out += stage.flush()
            except (zlib.error, brotli.error) as exc:
                raise DecodeError(f"broken compressed body: {exc}") from exc
            if pending and i < last:
                raise TooLarge  # an inner coding alone already exceeds the cap
            data = out
        self._append(data)

    def _append(self, data: bytes) -> None:
        if not data:
            return
        room = self.cap - self.size
        if len(data) > room:
            self.parts.append(data[:room])
            self.size = self.cap
            raise TooLarge
        self.parts.append(data)
        self.size += len(data)

    def feed(self, chunk: bytes) -> None:
        self.raw_size += len(chunk)
        if self.raw_size > self.cap + 65536:  # compressed data is never much bigger than decoded
            raise TooLarge
        if self.stages:
            self._run(chunk, final=False)
        else:
            self._append(chunk)

    def finish(self) -> bytes:
        if self.stages:
            self._run(b"", final=True)
        return b"".join(self.parts)

    def prefix(self) -> bytes:
        return b"".join(self.parts)
