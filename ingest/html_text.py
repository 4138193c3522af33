"""HTML bytes to text, and two cheap questions about text: is it HTML, how many words.

:func:`decode_html` never fails: BOM, then valid UTF-8, then the declared
``<meta charset>``, then a statistical guess; undecodable bytes become U+FFFD.
"""

from __future__ import annotations

import codecs
import re

__all__ = ["BINARY_MAGIC", "NOT_HTML_ROOT", "count_words", "decode_html", "looks_like_html"]

#: A white-space separated token holding at least one letter or digit (``[^\W_]``).
_WORDISH = re.compile(r"(?<!\S)\S*?[^\W_]\S*")
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)
_TAG = re.compile(
    r"<\s*(?:html|head|body|div|p|article|main|section|span|a|table|h[1-6]|meta|title|br)\b",
    re.IGNORECASE,
)
NOT_HTML_ROOT = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(rss|feed|rdf:RDF|svg)\b",
    re.IGNORECASE | re.DOTALL,
)
#: A page declared UTF-8 with at most this many invalid bytes is read as UTF-8.
_FEW_BROKEN_BYTES = 8
BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b")


def _codec(name: str | bytes | None) -> str | None:
    if not name:
        return None
    if isinstance(name, bytes):
        name = name.decode("ascii", "ignore")
    try:
        codec = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
    # WHATWG: pages labelled Latin-1/ASCII are decoded as windows-1252
    return "cp1252" if codec in {"latin-1", "iso8859-1", "ascii"} else codec


def decode_html(data: bytes) -> tuple[str, str]:
    """Bytes to text without ever failing; returns (text, encoding used).

    Order: a byte-order mark; valid UTF-8 (it wins over a declaration, since
    valid multi-byte UTF-8 is almost never another encoding by chance, and
    pages mis-declared as Latin-1 are common); a declared single-byte or CJK
    ``<meta charset>``; UTF-8 with replacement characters when most of the
    non-ASCII characters are valid UTF-8 (in a Latin-1 page almost none are)
    or the page declares UTF-8 and only a few bytes are broken; else
    charset_normalizer's guess (a Windows-1252 page declared as UTF-8).
    Undecodable bytes become U+FFFD, which
    :func:`ingest.postclean.strip_control_chars` removes from the output.
    """
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(name, errors="replace"), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    match = _META_CHARSET.search(data[:4096])
    declared = _codec(match.group(1)) if match else None
    if declared in {"utf-16", "utf-32"}:
        declared = None  # impossible without a BOM in a page whose head we could read as ASCII
    if declared and declared != "utf-8":
        return data.decode(declared, errors="replace"), declared
    lenient = data.decode("utf-8", errors="replace")
    broken = lenient.count("\ufffd")
    valid_non_ascii = sum(1 for ch in lenient if ord(ch) > 127) - broken
    if broken <= valid_non_ascii or (declared == "utf-8" and broken <= _FEW_BROKEN_BYTES):
        return lenient, "utf-8"
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
        guessed = _codec(best.encoding) if best is not None else None
    except Exception:  # the guesser is a convenience, never a failure
        guessed = None
    name = guessed or "utf-8"
    return data.decode(name, errors="replace"), name


def looks_like_html(text: str) -> bool:
    """Markup with at least one common HTML element, and not a feed or SVG document."""
    head = text[:5000]
    return bool(_TAG.search(head) or _TAG.search(text[:200_000])) and not NOT_HTML_ROOT.match(head)


def count_words(text: str) -> int:
    """White-space separated tokens that hold a letter or digit (punctuation alone is no word).

    Scripts written without spaces (Chinese, Japanese, Thai) count one word per run.
    """
    return len(_WORDISH.findall(text))
