"""Readers for the import formats. Each yields `ImportRecord`s (one article each) or
`RecordError`s (a problem naming the file, row and field); nothing here touches the database.

Files are streamed, never read whole, so memory stays flat however large the input is.
"""

import csv
import io
import os
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

from django.conf import settings

from core.jsonl import jsonl_object
from core.validation import shown

FIELD_ALIASES = {
    "headline": ("headline", "title"),
    "body": ("body", "text", "content"),
    "body_html": ("body_html", "html"),
    "url": ("url", "link"),
    "external_id": ("external_id", "id"),
    "outlet": ("outlet", "source", "publisher"),
    "byline": ("byline", "author", "authors"),
    "published_at": ("published_at", "date", "published"),
    "language": ("language", "lang"),
}
KNOWN_FIELDS = {alias for aliases in FIELD_ALIASES.values() for alias in aliases}
FORMATS_BY_SUFFIX = {".txt": "txt", ".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".zip": "zip"}


@dataclass
class ImportRecord:
    file: str
    row: int | None
    data: dict = field(default_factory=dict)  # canonical field names, raw (un-normalized) values


@dataclass
class RecordError:
    file: str
    row: int | None
    field: str
    message: str

    def as_dict(self) -> dict:
        # Whatever the input contained (lone surrogates, NUL), the report can be stored and rendered.
        return {"file": shown(self.file), "row": self.row, "field": shown(self.field), "message": shown(self.message)}


class FileTooLarge(Exception):
    pass


def _limits() -> dict:
    return settings.WORKBENCH


def detect_format(name: str) -> str | None:
    return FORMATS_BY_SUFFIX.get(PurePosixPath(name.lower()).suffix)


def canonical_fields(raw: dict) -> tuple[dict, list[str]]:
    """Map aliases to canonical names. Returns the data and the unknown field names."""
    data, unknown = {}, []
    for key, value in raw.items():
        key_norm = str(key).strip().lower()
        for canonical, aliases in FIELD_ALIASES.items():
            if key_norm in aliases:
                if canonical not in data or data[canonical] in (None, ""):
                    data[canonical] = value
                break
        else:
            unknown.append(shown(key, 100))
    return data, unknown


class _CappedReader(io.RawIOBase):
    """Wraps a binary stream and raises FileTooLarge once more than `limit` bytes were read
    (protects against ZIP bombs whose declared sizes lie)."""

    def __init__(self, stream: IO[bytes], limit: int):
        self._stream, self._left = stream, limit

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self._stream.read(min(len(buffer), self._left + 1))
        if len(data) > self._left:
            raise FileTooLarge
        self._left -= len(data)
        buffer[: len(data)] = data
        return len(data)


def read_stream(name: str, stream: IO[bytes], fmt: str | None = None) -> Iterator[ImportRecord | RecordError]:
    """Records from one binary stream whose display name is `name`."""
    fmt = fmt if fmt and fmt != "auto" else detect_format(name)
    if fmt is None:
        yield RecordError(name, None, "file", "unknown format: expected .txt, .csv, .jsonl or .zip")
        return
    limit = _limits()["IMPORT_MAX_FILE_BYTES"]
    capped = io.BufferedReader(_CappedReader(stream, limit))
    try:
        if fmt == "zip":
            yield from _read_zip(name, stream)
        elif fmt == "txt":
            yield from _read_txt(name, capped)
        elif fmt == "csv":
            yield from _read_csv(name, capped)
        elif fmt == "jsonl":
            yield from _read_jsonl(name, capped)
    except FileTooLarge:
        yield RecordError(name, None, "file", f"file is larger than the limit of {limit} bytes; the rest was not read")


def read_paths(paths: Iterable[str | os.PathLike], fmt: str | None = None) -> Iterator[ImportRecord | RecordError]:
    """Records from files and folders (folders are walked in name order; hidden files skipped)."""
    for path in map(Path, paths):
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield from read_paths([child], fmt)
        elif path.is_file():
            if path.stat().st_size > _limits()["IMPORT_MAX_FILE_BYTES"]:
                yield RecordError(
                    str(path),
                    None,
                    "file",
                    f"file is larger than the limit of {_limits()['IMPORT_MAX_FILE_BYTES']} bytes",
                )
                continue
            with path.open("rb") as stream:
                yield from read_stream(str(path), stream, fmt)
        else:
            yield RecordError(str(path), None, "file", "no such file or folder")


def _decode(name: str, row: int | None, raw: bytes) -> str | RecordError:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return RecordError(name, row, "encoding", f"not valid UTF-8 (byte {exc.start}): {exc.reason}")


def _read_txt(name: str, stream: IO[bytes]) -> Iterator[ImportRecord | RecordError]:
    text = _decode(name, None, stream.read())
    if isinstance(text, RecordError):
        yield text
        return
    lines = text.splitlines()
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        yield RecordError(name, None, "file", "the file is empty")
        return
    headline, body = lines[0].strip(), "\n".join(lines[1:]).strip()
    if not body:
        yield RecordError(name, None, "body", "no text after the headline (the first line is the headline)")
        return
    path = name.replace("\\", "/")
    archive, inside, member = path.rpartition(":")
    if inside and archive.lower().endswith(".zip"):  # "feed.zip:a.txt": the entry's own name
        path = member
    stem = PurePosixPath(path).stem
    yield ImportRecord(name, None, {"headline": headline, "body": body, "external_id": stem})


def _bad_bytes(value: str) -> bool:
    """True if `value` holds bytes that were not UTF-8 (decoded with surrogateescape)."""
    return any("\udc80" <= ch <= "\udcff" for ch in value)


def _read_csv(name: str, stream: IO[bytes]) -> Iterator[ImportRecord | RecordError]:
    # Bytes that are not UTF-8 are kept as lone surrogates (surrogateescape) so that only the row
    # holding them is refused. A field can be as long as the file (already capped); an article that
    # is too long is refused by the per-row validation, and the rows after it are still read.
    text_stream = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")
    csv.field_size_limit(max(_limits()["IMPORT_MAX_FILE_BYTES"], _limits()["IMPORT_MAX_ARTICLE_CHARS"] * 4))
    reader = csv.DictReader(text_stream)
    try:
        header = reader.fieldnames
    except csv.Error as exc:
        yield RecordError(name, 1, "file", f"not a valid CSV file: {exc}")
        return
    if not header:
        yield RecordError(name, None, "file", "the file is empty")
        return
    if any(_bad_bytes(h) for h in header if h):
        yield RecordError(name, 1, "encoding", "not valid UTF-8 in the header row; the file was not read")
        return
    mapped, _unknown = canonical_fields({h: h for h in header if h})
    missing = [f for f in ("headline", "body") if f not in mapped and not (f == "body" and "body_html" in mapped)]
    if missing:
        yield RecordError(
            name,
            1,
            ",".join(missing),
            f"missing column(s) {', '.join(missing)}; the header has: {', '.join(h for h in header if h)}",
        )
        return
    row_number = 1
    while True:
        try:
            raw = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # this record is malformed; the reader goes on with the next line
            row_number = reader.line_num
            yield RecordError(name, row_number, "file", f"malformed CSV: {exc}")
            continue
        row_number = reader.line_num
        if None in raw:
            yield RecordError(name, row_number, "file", "more values than columns in this row")
            continue
        if bad := next((k for k, v in raw.items() if isinstance(v, str) and _bad_bytes(v)), None):
            yield RecordError(
                name,
                row_number,
                bad,
                "not valid UTF-8 (a byte that is not part of a UTF-8 character); this row was not imported",
            )
            continue
        data, _unknown = canonical_fields(raw)
        yield ImportRecord(name, row_number, data)


def _read_jsonl(name: str, stream: IO[bytes]) -> Iterator[ImportRecord | RecordError]:
    seen_any = False
    for row_number, raw_line in enumerate(stream, start=1):
        if not raw_line.strip():
            continue
        seen_any = True
        line = _decode(name, row_number, raw_line)
        if isinstance(line, RecordError):
            yield line
            continue
        try:
            obj = jsonl_object(line)
        except ValueError as exc:
            yield RecordError(name, row_number, "json", str(exc))
            continue
        data, unknown = canonical_fields(obj)
        if unknown:
            yield RecordError(name, row_number, unknown[0], f"unknown field(s): {', '.join(sorted(unknown))}")
            continue
        yield ImportRecord(name, row_number, data)
    if not seen_any:
        yield RecordError(name, None, "file", "the file is empty")


def _unsafe_member(member: str) -> bool:
    path = PurePosixPath(member.replace("\\", "/"))
    return (
        member.startswith(("/", "\\"))
        or path.is_absolute()
        or ".." in path.parts
        or (len(member) > 1 and member[1] == ":")
    )


def _read_zip(name: str, stream: IO[bytes]) -> Iterator[ImportRecord | RecordError]:
    limits = _limits()
    try:
        archive = zipfile.ZipFile(stream if stream.seekable() else io.BytesIO(stream.read()))
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        yield RecordError(name, None, "file", f"not a valid ZIP archive: {exc}")
        return
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) > limits["IMPORT_MAX_ZIP_ENTRIES"]:
            yield RecordError(
                name, None, "file", f"{len(members)} entries; at most {limits['IMPORT_MAX_ZIP_ENTRIES']} are allowed"
            )
            return
        total = 0
        for member in members:
            display = f"{name}:{member.filename}"
            base = PurePosixPath(member.filename).name
            if base.startswith(".") or member.filename.startswith("__MACOSX/"):
                continue
            if _unsafe_member(member.filename):
                yield RecordError(
                    display, None, "path", "unsafe path in archive (absolute or containing '..'); entry skipped"
                )
                continue
            fmt = detect_format(member.filename)
            if fmt == "zip":
                yield RecordError(display, None, "file", "nested archives are not supported; entry skipped")
                continue
            if fmt is None:
                yield RecordError(display, None, "file", "unknown format: expected .txt, .csv or .jsonl; entry skipped")
                continue
            if member.file_size > limits["IMPORT_MAX_FILE_BYTES"]:
                yield RecordError(
                    display, None, "file", f"entry is larger than the limit of {limits['IMPORT_MAX_FILE_BYTES']} bytes"
                )
                continue
            total += member.file_size
            if total > limits["IMPORT_MAX_ZIP_TOTAL_BYTES"]:
                yield RecordError(
                    display,
                    None,
                    "file",
                    "the archive unpacks to more than the allowed total size; the rest was not read",
                )
                return
            try:
                with archive.open(member) as entry:
                    capped = io.BufferedReader(_CappedReader(entry, member.file_size))
                    yield from read_stream(display, capped, fmt)
            except FileTooLarge:
                yield RecordError(
                    display, None, "file", "entry unpacks to more than its declared size (a ZIP bomb?); skipped"
                )
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
                yield RecordError(display, None, "file", f"corrupt entry in archive: {exc}")
