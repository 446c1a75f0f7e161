"""Turn a report file's bytes into text: detect the encoding (UTF-8 with or without BOM, UTF-16 with BOM,
GB18030/GBK, Big5) from the bytes themselves, never from the file name; extract the text of .docx files."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import ReadError

# Encodings tried for files that are not UTF-8. GB18030 is a superset of GBK and GB2312; Big5 as the
# Python codec "big5" (cp950 adds a few Microsoft extensions; it is tried too as a last resort).
LEGACY_ENCODINGS = ("gb18030", "big5", "cp950")
BINARY_CONTROL_SHARE = 0.01  # share of C0 control bytes (other than \t \n \r \f) above which a file is binary


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # "utf-8", "utf-8-sig", "utf-16", "gb18030", "big5", "cp950" or "docx"


def _control_share(data: bytes) -> float:
    sample = data[:65536]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls / max(1, len(sample))


def _cjk_plausibility(text: str) -> float:
    """Share of characters that are common simplified or traditional CJK, ASCII or CJK punctuation.
    Used only to break a tie when the bytes decode strictly under several legacy encodings."""
    good = 0
    for ch in text:
        o = ord(ch)
        if o < 128 or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF:
            good += 1
        elif 0x4E00 <= o <= 0x9FFF:
            # Characters in GB2312 (simplified) or in Big5 level 1 are common; rare ones hint at a wrong decoding.
            try:
                ch.encode("gb2312")
                good += 1
                continue
            except UnicodeEncodeError:
                pass
            try:
                b = ch.encode("big5")
                if b[0] < 0xC6:  # Big5 level 1: frequently used characters
                    good += 1
            except UnicodeEncodeError:
                pass
    return good / max(1, len(text))


def decode_bytes(data: bytes, source: str = "<bytes>") -> Decoded:
    """Decode a text report. Raises ReadError (one clear line) for empty, binary or undecodable input."""
    if not data.strip():
        raise ReadError("empty file: nothing to read", source=source)
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data, "utf-8-sig", source)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", source)
    if b"\x00" in data[:65536] or _control_share(data) > BINARY_CONTROL_SHARE:
        raise ReadError("binary file, not a text report (NUL or control bytes found)", source=source)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as utf8_error:
        first_bad = utf8_error.start
    mixed = _decode_mixed(data)
    if mixed is not None:
        return mixed
    candidates = []
    for enc in LEGACY_ENCODINGS:
        try:
            candidates.append(Decoded(data.decode(enc), enc))
        except UnicodeDecodeError:
            continue
    if not candidates:
        raise ReadError(
            f"cannot decode: not valid UTF-8 (bad byte 0x{data[first_bad]:02x} at offset {first_bad}), "
            "GB18030 or Big5",
            source=source,
        )
    if len(candidates) == 1:
        return candidates[0]
    best = _detect(data, [c.encoding for c in candidates])
    if best is not None:
        for c in candidates:
            if c.encoding == best:
                return c
    return max(candidates, key=lambda c: _cjk_plausibility(c.text))


def _decode_mixed(data: bytes) -> Decoded | None:
    """A file whose lines are partly UTF-8 and partly a legacy encoding (pasted together from several sources):
    each line is decoded on its own, UTF-8 where it is valid UTF-8, else in the encoding detected for the others."""
    lines = data.split(b"\n")
    utf8_multibyte = legacy = 0
    bad_lines = []
    for i, line in enumerate(lines):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8_multibyte += 1
        except UnicodeDecodeError:
            legacy += 1
            bad_lines.append(i)
    if not (utf8_multibyte >= 2 and legacy >= 1):
        return None
    rest = b"\n".join(lines[i] for i in bad_lines)
    encoding = None
    for enc in LEGACY_ENCODINGS:
        try:
            rest.decode(enc)
        except UnicodeDecodeError:
            continue
        encoding = enc if encoding is None else (_detect(rest, [encoding, enc]) or encoding)
    if encoding is None:
        return None
    bad = set(bad_lines)
    text = "\n".join(line.decode(encoding) if i in bad else line.decode("utf-8") for i, line in enumerate(lines))
    return Decoded(text, f"mixed:utf-8+{encoding}")


def _detect(data: bytes, encodings: list[str]) -> str | None:
    from charset_normalizer import from_bytes

    match = from_bytes(data[:200_000], cp_isolation=encodings).best()
    if match is None:
        return None
    name = match.encoding.replace("_", "").lower()
    for enc in encodings:
        if enc.replace("_", "").lower() == name:
            return enc
    return None


_NONCHARACTERS = ("\uffff", "\ufffe", "\ufffd")


def _strict(data: bytes, encoding: str, source: str) -> Decoded:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as e:
        raise ReadError(f"cannot decode as {encoding} (bad byte at offset {e.start})", source=source) from None
    if any(c in text for c in _NONCHARACTERS):
        raise ReadError(f"cannot decode: the {encoding} byte-order mark is followed by invalid text", source=source)
    return Decoded(text, encoding)


def docx_text(data: bytes, source: str = "<docx>") -> str:
    """The text of a .docx file: body paragraphs and table cells in document order, one per line."""
    try:
        import docx  # python-docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as e:  # pragma: no cover - declared dependency
        raise ReadError(f"python-docx is needed to read .docx files ({e})", source=source) from None
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise ReadError(f"not a valid .docx file ({type(e).__name__}: {e})", source=source) from None
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells = []
                for cell in row.cells:
                    text = cell.text.strip()
                    if text and (not cells or cells[-1] != text):  # merged cells repeat their text
                        cells.append(text)
                if cells:
                    lines.append("\u3000".join(cells))
    return "\n".join(lines)


def read_source(path: Path) -> Decoded:
    """Read and decode one report file (.txt or any text, .docx)."""
    source = str(path)
    if not path.exists():
        raise ReadError("no such file", source=source)
    if path.is_dir():
        raise ReadError("is a directory, not a report file", source=source)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ReadError(f"cannot read file ({e.strerror or e})", source=source) from None
    suffix = path.suffix.lower()
    if suffix == ".doc" or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReadError("legacy Word .doc files are not supported: save the file as .docx or .txt", source=source)
    if suffix == ".docx" or (data.startswith(b"PK\x03\x04") and b"word/" in data[:4096]):
        text = docx_text(data, source)
        if not text.strip():
            raise ReadError("empty document: the .docx has no text", source=source)
        return Decoded(text, "docx")
    if data.startswith(b"PK\x03\x04"):
        raise ReadError("binary file (a zip archive), not a text report", source=source)
    return decode_bytes(data, source)
