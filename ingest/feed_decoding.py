"""Feed bytes to text: the encoding a feed really uses, whatever it declares.

feedparser follows RFC 3023 to the letter (``text/xml`` without a charset is
US-ASCII, a body without a Content-Type ISO-8859-1), so a UTF-8 feed with no
declaration would come out as mojibake; :func:`decode_feed` decides instead:
a BOM, a UTF-16/32 sniff, the HTTP charset or XML declaration (a Latin label
on bytes that are valid UTF-8 is read as UTF-8), UTF-8, a confident non-Latin
guess, then windows-1252 and ISO-8859-1.
"""

from __future__ import annotations

import codecs
import re

__all__ = ["BOMS", "decode_feed", "sniff_utf16_32"]

_XML_DECL_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
_LATIN_CODECS = {"ascii", "iso8859-1", "cp1252", "iso8859-15", "iso8859-9", "iso8859-2"}
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _codec(name: str | None) -> str | None:
    """Python's canonical codec name for a charset label, None when unknown."""
    if not name:
        return None
    label = name.strip().strip("\"'").lower()
    if label in {"latin1", "iso-latin-1"}:
        label = "latin-1"
    if label in {"gb2312", "gbk"}:
        label = "gb18030"  # superset; mislabelled GB2312 is common
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _charset_of(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = re.search(r"charset\s*=\s*[\"']?([^\"';\s]+)", content_type, re.IGNORECASE)
    return match[1] if match else None


def _try_decode(body: bytes, codec: str | None) -> str | None:
    if not codec:
        return None
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def sniff_utf16_32(body: bytes) -> str | None:
    """UTF-16/32 without a BOM, from the NUL pattern around the first ``<``."""
    head = body[:4]
    patterns = {
        b"\x00\x00\x00<": "utf-32-be",
        b"<\x00\x00\x00": "utf-32-le",
        b"\x00<\x00?": "utf-16-be",
        b"<\x00?\x00": "utf-16-le",
    }
    return patterns.get(head)


def decode_feed(body: bytes, content_type: str | None = None) -> tuple[str, str, list[str]]:
    """Decode a feed body: ``(text, encoding used, warnings)``.

    Order: byte-order mark; the HTTP charset; the XML declaration; UTF-8; a
    confident guess by chardet for non-Latin single-byte encodings (Cyrillic,
    Greek, ...); windows-1252; ISO-8859-1 (never fails).  A declared Latin
    charset on a body that is valid UTF-8 with non-ASCII bytes is a server
    default, not the truth: UTF-8 wins (a Latin-1 text is almost never valid
    UTF-8 by accident).  ``text/xml`` without a charset is *not* taken to mean
    US-ASCII (RFC 3023's rule, which no publisher follows).
    """
    warnings: list[str] = []
    for bom, codec in BOMS:
        if body.startswith(bom):
            text = _try_decode(body, codec)
            if text is not None:
                return text.lstrip("\ufeff"), codec, warnings
    sniffed = sniff_utf16_32(body)
    if sniffed:
        text = _try_decode(body, sniffed)
        if text is not None:
            return text, sniffed, warnings

    http_codec = _codec(_charset_of(content_type))
    match = _XML_DECL_ENCODING.match(body[:512])
    xml_codec = _codec(match[1].decode("ascii")) if match else None
    has_non_ascii = not body.isascii()

    for label, codec in (("HTTP charset", http_codec), ("XML declaration", xml_codec)):
        if not codec:
            continue
        if codec in _LATIN_CODECS and has_non_ascii and codec != "ascii":
            as_utf8 = _try_decode(body, "utf-8")
            if as_utf8 is not None:
                warnings.append(f"{label} says {codec} but the body is UTF-8; read as UTF-8")
                return as_utf8, "utf-8", warnings
        text = _try_decode(body, codec)
        if text is not None:
            return text, codec, warnings
        warnings.append(f"{label} {codec} does not decode the body")

    text = _try_decode(body, "utf-8")
    if text is not None:
        return text, "utf-8", warnings

    guess = _guess_non_latin(body)
    if guess:
        text = _try_decode(body, guess)
        if text is not None:
            warnings.append(f"no usable charset declared; guessed {guess}")
            return text, guess, warnings
    text = _try_decode(body, "cp1252")
    if text is not None:
        warnings.append("no usable charset declared and not UTF-8; read as windows-1252")
        return text, "cp1252", warnings
    warnings.append("no usable charset declared and not UTF-8; read as ISO-8859-1")
    return body.decode("latin-1"), "iso8859-1", warnings


def _guess_non_latin(body: bytes) -> str | None:
    """chardet's guess when it is confident and names a non-Latin encoding."""
    try:
        import chardet
    except ImportError:  # optional: feedparser uses it when present
        return None
    sample = body[:65536]
    result = chardet.detect(sample)
    codec = _codec(result.get("encoding"))
    if codec and codec not in _LATIN_CODECS and (result.get("confidence") or 0) >= 0.9:
        return codec
    return None
