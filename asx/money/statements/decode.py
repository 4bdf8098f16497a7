"""Bytes → text for statement files (formats.md "general rules").

Try UTF-8 (with or without BOM), fall back to GB18030 (a superset of GBK and
GB2312, which the Alipay exports use).  Binary junk (NUL bytes, bytes that are
neither UTF-8 nor GB18030, mostly control characters) is rejected with a
UserError that names the file.
"""

from __future__ import annotations

import codecs
import io
from pathlib import Path
from typing import TextIO

from asx.core.errors import UserError

BOM_UTF8 = codecs.BOM_UTF8
#: How much of a file is sniffed before streaming the rest.
SNIFF_BYTES = 1 << 20
_ALLOWED_CONTROLS = frozenset("\t\n\r\x0c\x1a")


def _display(name: str | Path) -> str:
    return str(name)


def _check_binary(data: bytes, name: str | Path) -> None:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UserError(
            f"{_display(name)}: UTF-16 text is not supported; save the file as CSV (UTF-8)"
        )
    if b"\x00" in data:
        raise UserError(f"{_display(name)}: binary data (NUL bytes), not a text statement")


def _check_controls(text: str, name: str | Path) -> None:
    if not text:
        return
    controls = sum(1 for ch in text if ch < " " and ch not in _ALLOWED_CONTROLS)
    if controls * 20 > len(text):  # more than 5 % control characters
        raise UserError(f"{_display(name)}: binary data (control characters), not a text statement")


def sniff_encoding(head: bytes, name: str | Path, *, final: bool = True) -> str:
    """Return the codec for *head*: ``utf-8-sig``, ``utf-8`` or ``gb18030``.

    *final* is False when *head* is only the beginning of a longer file, so a
    multi-byte character cut at the end of *head* is not an error.
    """
    _check_binary(head, name)
    candidates = ("utf-8-sig",) if head.startswith(BOM_UTF8) else ("utf-8", "gb18030")
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        try:
            text = decoder.decode(head, final)
        except UnicodeDecodeError:
            continue
        _check_controls(text[:65536], name)
        return encoding
    raise UserError(f"{_display(name)}: not text in UTF-8 or GB18030 (binary or corrupted file)")


def decode_bytes(data: bytes, name: str | Path = "<bytes>") -> tuple[str, str]:
    """Decode a whole statement file; return ``(text, encoding_name)``."""
    encoding = sniff_encoding(data, name, final=True)
    return data.decode(encoding), encoding


def read_text(path: str | Path) -> tuple[str, str]:
    """Read and decode a whole file; return ``(text, encoding_name)``."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return decode_bytes(data, path)


def open_text(path: str | Path) -> tuple[TextIO, str]:
    """Open *path* as a text stream (``newline=''`` for the csv module).

    The encoding is chosen from the first :data:`SNIFF_BYTES`; a decoding error
    further on surfaces while reading (readers turn it into a UserError).
    """
    path = Path(path)
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed by the caller through the wrapper
    except OSError as exc:
        raise UserError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        head = raw.read(SNIFF_BYTES)
        at_end = len(head) < SNIFF_BYTES
        encoding = sniff_encoding(head, path, final=at_end)
        raw.seek(0)
    except BaseException:
        raw.close()
        raise
    return io.TextIOWrapper(raw, encoding=encoding, newline="", errors="strict"), encoding
