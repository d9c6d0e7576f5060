"""Reading a spreadsheet someone exports (CSV or XLSX), shared by the HR roster and the feedback import.

The file is read as a stream, line by line (CSV: UTF-8 with or without BOM, comma, semicolon or tab)
or row by row (openpyxl's read-only mode for XLSX), never whole into memory. Every problem is a
`LineError` with its line number, in the active language, so the operator sees them all at once;
a file that cannot be read at all raises `NotReadable` with the one reason.
"""

import codecs
import csv
import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import BinaryIO

from django.utils.translation import gettext as _

XLSX_MAGIC = b"PK\x03\x04"


@dataclass(slots=True)
class LineError:
    """A problem on a line of the file (line 0: the file as a whole)."""

    line: int
    message: str

    def __str__(self) -> str:
        if self.line == 0:
            return self.message
        return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


class NotReadable(Exception):
    """The file cannot be read at all: one error says why."""

    def __init__(self, error: LineError):
        super().__init__(error.message)
        self.error = error


def normalise(value: str) -> str:
    """Lower case, no accents, words joined by "_": "Code magasin" and "code-magasin" are both "code_magasin"."""
    text = unicodedata.normalize("NFKD", value.strip().casefold())
    text = "".join(char if char.isalnum() else " " for char in text if not unicodedata.combining(char))
    return "_".join(text.split())


def file_size(file: BinaryIO) -> int:
    position = file.tell()
    file.seek(0, io.SEEK_END)
    size = file.tell()
    file.seek(position)
    return size


def open_rows(
    file: BinaryIO, filename: str, errors: list[LineError], *, max_bytes: int, not_text: str
) -> Iterator[tuple[int, list[str]]]:
    """The file's rows with their line numbers, whatever its kind. NotReadable when it is too big or not a table.

    `not_text` is the message for a binary file (it names what to export). The file must be seekable.
    """
    if file_size(file) > max_bytes:
        raise NotReadable(
            LineError(
                0,
                _("The file is larger than %(size)d MB: split it, or ask for the limit to be raised.")
                % {"size": max_bytes // (1024 * 1024)},
            )
        )
    head = file.read(8192)
    file.seek(0)
    if head.startswith(XLSX_MAGIC):
        return xlsx_rows(file)
    if filename.lower().endswith(".xlsx"):
        raise NotReadable(LineError(0, _("This is not a readable XLSX file.")))
    if looks_binary(head):
        raise NotReadable(LineError(1, not_text))
    return csv_rows(file, errors)


def looks_binary(head: bytes) -> bool:
    """Many control bytes (NUL, escape...): a binary file. A stray one is a line's problem, told with its number."""
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 13))
    return controls > max(2, len(head) // 200)


def csv_rows(file: BinaryIO, errors: list[LineError]) -> Iterator[tuple[int, list[str]]]:
    """The CSV's rows with the line each starts on; undecodable lines are errors (and read with replacements)."""
    decoded = decoded_lines(file, errors)
    first = next(decoded, "")
    counts = {delimiter: first.count(delimiter) for delimiter in ";,\t"}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","

    def lines() -> Iterator[str]:
        yield first
        yield from decoded

    reader = csv.reader(lines(), delimiter=delimiter)
    start = 1
    try:
        for row in reader:
            yield start, row
            start = reader.line_num + 1
    except csv.Error as error:
        raise NotReadable(
            LineError(start, _("This line cannot be read as CSV (%(error)s).") % {"error": error})
        ) from error


def decoded_lines(file: BinaryIO, errors: list[LineError]) -> Iterator[str]:
    for number, raw in enumerate(file, start=1):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            errors.append(
                LineError(
                    number,
                    _("This line is not UTF-8 text (Latin-1 or Windows accents?): save the file as “CSV UTF-8”."),
                )
            )
            yield raw.decode("utf-8", errors="replace")


def xlsx_rows(file: BinaryIO) -> Iterator[tuple[int, list[str]]]:
    """The first sheet's rows, streamed (openpyxl read-only mode), each cell as text."""
    from openpyxl import load_workbook  # only imported when someone sends an XLSX

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise NotReadable(LineError(0, _("This is not a readable XLSX file."))) from error
    try:
        sheet = workbook.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [cell_text(value) for value in row]
    finally:
        workbook.close()


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # numbers typed as numbers
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def header_columns(header: list[str], aliases: dict[str, str], required: list[str]) -> dict[str, int]:
    """Which column of the file each known column is in (`aliases`: normalised name → column).

    Extra columns are ignored. NotReadable when one appears twice or a required one is missing.
    """
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        column = aliases.get(normalise(name))
        if column is None:
            continue
        if column in columns:
            raise NotReadable(LineError(1, _("The column “%(column)s” appears twice.") % {"column": name.strip()}))
        columns[column] = index
    missing = [column for column in required if column not in columns]
    if missing:
        raise NotReadable(
            LineError(
                1,
                _("Required columns are missing: %(columns)s (the first line must name the columns).")
                % {"columns": ", ".join(missing)},
            )
        )
    return columns


def has_control_character(value: str) -> bool:
    return any(unicodedata.category(char) == "Cc" for char in value)
