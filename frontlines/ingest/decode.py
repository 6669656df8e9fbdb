"""Bytes to text, or a reason why not (E102 binary, E103 encoding).

Policy, in order:

1. A byte-order mark decides: UTF-8-BOM, UTF-32 or UTF-16 (LE/BE).  If the bytes then
   fail to decode, that is E103.
2. Known binary signatures (PDF, ZIP/DOCX, gzip, PNG, JPEG, GIF, ...) are E102.
3. NUL bytes: UTF-16 without a BOM is recognised when nearly every other byte is NUL
   (pure ASCII-range text saved as UTF-16); otherwise NUL bytes mean binary (E102).
4. Strict UTF-8.  Text whose non-ASCII bytes are at least half in valid UTF-8 multi-byte
   sequences, the rest not UTF-8 (a file pasted together from a UTF-8 page and a Windows one) is read as UTF-8 with
   each stray byte read as cp1252, so both parts keep their characters, rather than the
   UTF-8 part being turned into mojibake by a single-byte fallback or the stray bytes lost.
5. A charset declared in the first 2 KB (``<meta charset=...>``, ``encoding="..."``),
   if Python knows it and the bytes decode with it.
6. Fallback cp1252, then latin-1, accepted only when the result *looks like text*: no
   C1 control characters and at most 10% of the letters outside ASCII (English news
   with a few curly quotes or accented names passes; Cyrillic in KOI8-R/cp1251, or
   random bytes, do not).  Anything else is E103.
7. After decoding, more than 5% control characters (other than tab/newline/CR/FF) is E102.

Line endings are normalised to "\\n" and a leading BOM removed.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "ZIP/Office"),
    (b"\x1f\x8b", "gzip"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"SQLite format 3\x00", "SQLite"),
    (b"\x7fELF", "ELF"),
)

_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")      # control characters but those above


_UTF8_MULTI = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_DECLARED = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE)


def _declared_charset(head: bytes) -> str:
    m = _DECLARED.search(head)
    if not m:
        return ""
    name = m.group(1).decode("ascii", "ignore").lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return ""


_CP1252_FALLBACK = "frontlines-cp1252"


def _cp1252_bytes(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: the bytes UTF-8 could not read, read one by one as cp1252 (the five
    bytes cp1252 leaves undefined become U+FFFD)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    chunk = exc.object[exc.start:exc.end]
    return "".join(bytes([b]).decode("cp1252", errors="replace") for b in chunk), exc.end


codecs.register_error(_CP1252_FALLBACK, _cp1252_bytes)


_ESCAPED = re.compile("[\udc80-\udcff]")
_ASCII = bytes(range(0x80))


def _stray_bytes(data: bytes) -> int:
    """How many bytes of ``data`` are not part of valid UTF-8."""
    return len(_ESCAPED.findall(data.decode("utf-8", errors="surrogateescape")))


@dataclass(slots=True)
class Decoded:
    text: str | None
    encoding: str = ""
    code: str = ""            # "E102" / "E103" when text is None
    detail: str = ""


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:20000]
    return len(_CONTROL_CHARS.findall(sample)) / len(sample)


def _looks_like_text(text: str) -> bool:
    if any(0x80 <= ord(ch) <= 0x9F for ch in text):
        return False
    letters = [ch for ch in text[:50000] if ch.isalpha()]
    if not letters:
        return _control_share(text) < 0.05
    non_ascii = sum(1 for ch in letters if ord(ch) > 127)
    return non_ascii / len(letters) <= 0.10


def _clean(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _finish(text: str, encoding: str) -> Decoded:
    text = _clean(text)
    if _control_share(text) > 0.05:
        return Decoded(None, encoding, "E102", "too many control characters")
    return Decoded(text, encoding)


def decode_bytes(data: bytes) -> Decoded:
    """Decode raw file bytes following the policy in the module docstring."""
    boms = (
        (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
    )
    for bom, enc in boms:
        if data.startswith(bom):
            try:
                return _finish(data.decode(enc), enc)
            except UnicodeDecodeError as exc:
                return Decoded(None, enc, "E103", f"{enc} byte-order mark but undecodable: {exc.reason}")
    for sig, kind in _SIGNATURES:
        if data.startswith(sig):
            return Decoded(None, "", "E102", f"{kind} file")
    head = data[:8192]
    if b"\x00" in head:
        even, odd = head[0::2], head[1::2]
        if odd and odd.count(0) / len(odd) > 0.9 and even.count(0) / max(len(even), 1) < 0.1:
            enc = "utf-16-le"
        elif even and even.count(0) / len(even) > 0.9 and odd.count(0) / max(len(odd), 1) < 0.1:
            enc = "utf-16-be"
        else:
            return Decoded(None, "", "E102", "NUL bytes")
        try:
            return _finish(data.decode(enc), enc)
        except UnicodeDecodeError:
            return Decoded(None, "", "E102", "NUL bytes")
    try:
        return _finish(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        first_error = exc
    if _UTF8_MULTI.search(data):
        bad = _stray_bytes(data)
        in_sequences = len(data.translate(None, _ASCII)) - bad
        if in_sequences >= bad:          # at least half the non-ASCII bytes are UTF-8: a mixed file
            text = data.decode("utf-8", errors=_CP1252_FALLBACK)
            return _finish(text, f"utf-8 ({bad} byte(s) read as cp1252)")
    declared = _declared_charset(data[:2048])
    if declared:
        try:
            text = data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
        else:
            if _control_share(text) <= 0.05:
                return _finish(text, declared)
    for enc in ("cp1252", "latin-1"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return _finish(text, enc)
    # Many control bytes and no encoding fits: call it binary rather than mis-encoded.
    if _control_share(data[:20000].decode("latin-1")) > 0.05:
        return Decoded(None, "", "E102", "too many control bytes")
    return Decoded(None, "", "E103",
                   f"invalid UTF-8 at byte {first_error.start} and no single-byte encoding looked like English text")
