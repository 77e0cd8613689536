"""Import the issuer's card file (CSV) as an upsert keyed by PAN fingerprint.

The file needs a header row with these exact column names, in any order; other columns (a
`note`, say) are ignored:

| column            | required | content                                                              |
| ----------------- | -------- | -------------------------------------------------------------------- |
| `customer_ref`    | yes      | the issuer's customer number, 1-32 characters                        |
| `pan`             | yes      | 13-19 digits passing Luhn, spaces and hyphens allowed (stripped); a  |
|                   |          | Visa, JCB, Mastercard or American Express BIN                        |
| `expiry`          | yes      | `MM/YY` as printed on the card (`12/30`), or `YYMM` (`3012`); the    |
|                   |          | year is 20YY; an expired card is still imported                      |
| `cardholder_name` | yes      | 1-45 Latin capitals as embossed: `A-Z`, space and `. , ' / -`        |
| `date_of_birth`   | yes      | `YYYY-MM-DD`, a real date in the past                                |
| `email`           | yes      | an e-mail address, or empty                                          |
| `mobile`          | yes      | a valid phone number, or empty; a national number is read as         |
|                   |          | Japanese (`090-1234-5678`); stored as E.164 (`+819012345678`)        |
| `status`          | no       | `active`, `lost`, `replaced` or `closed`; when empty or absent a new |
|                   |          | card is `active` and an existing card keeps its status               |

The file may be UTF-8 (with or without BOM) or Shift_JIS (CP932). A row that fails validation
is reported with its line number (the header is line 1) and skipped; the other rows import. A
PAN that appears twice is imported from its first line only; the later line is rejected.

A new active card replaces the active cards under the same `customer_ref` that the file does
not list: they become `replaced`, `replaced_by` the (first) new card, which makes their My Net+
accounts unusable. A card the file lists is never replaced: its status is the file's (or stays
as it is when the file gives none). To retire an old card, omit it or give it a status.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from portal import cards, crypto
from portal.card_records import pan_identity
from portal.ime import ime_normalise
from portal.models import Card
from portal.sms.numbers import e164

REQUIRED_COLUMNS = ("customer_ref", "pan", "expiry", "cardholder_name", "date_of_birth", "email", "mobile")
OPTIONAL_COLUMNS = ("status",)
BATCH_ROWS = 1000
# Fields an import may change on an existing card; the PAN-derived bin and last4 cannot change.
UPDATABLE_FIELDS = (
    "customer_ref",
    "expiry_year",
    "expiry_month",
    "brand",
    "cardholder_name",
    "date_of_birth",
    "email",
    "mobile",
    "status",
    "replaced_by_id",
)

_PAN = re.compile(r"[0-9]{13,19}")
_EXPIRY_MM_YY = re.compile(r"([0-9]{2})/([0-9]{2})")
_EXPIRY_YYMM = re.compile(r"([0-9]{2})([0-9]{2})")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_EMBOSSED_NAME = re.compile(r"[A-Z][A-Z .,'/-]*")


class CardFileError(Exception):
    """The file as a whole cannot be imported (unreadable, or a column is missing)."""


@dataclass(frozen=True)
class CardFile:
    text: str
    encoding: str


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str
    masked_pan: str = ""

    def __str__(self) -> str:
        where = f"line {self.line}" + (f" ({self.masked_pan})" if self.masked_pan else "")
        return f"{where}: {self.reason}"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    replaced: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len(self.errors)

    def summary(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
            f"replaced {self.replaced}, rejected {self.rejected}"
        )


@dataclass(frozen=True)
class CardRow:
    """One validated row: the values a Card gets (status None when the file leaves it open)."""

    line: int
    values: dict[str, Any]
    status: str | None


class _RowRejected(Exception):
    pass


@dataclass
class _Run:
    # The fingerprints of every PAN the file lists, wherever it appears: those cards are never
    # replaced. Not "the cards this run created": after a kill, the re-run finds those cards
    # already there, and would replace one with a later new card of the same customer.
    listed: set[str]
    result: ImportResult = field(default_factory=ImportResult)


def card_file_decode(data: bytes) -> CardFile:
    """Decode as UTF-8 (BOM optional) or else as Shift_JIS; both strictly, never guessing."""
    # CP932 maps almost every byte to something, so rule out UTF-16 and binary data first.
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        raise CardFileError("the file is not UTF-8 or Shift_JIS (CP932) text (UTF-16 or binary?)")
    try:
        text = data.decode("utf-8-sig")
        return CardFile(text, "UTF-8 (with BOM)" if data.startswith(b"\xef\xbb\xbf") else "UTF-8")
    except UnicodeDecodeError:
        pass
    try:
        return CardFile(data.decode("cp932"), "Shift_JIS (CP932)")
    except UnicodeDecodeError:
        raise CardFileError("the file is neither UTF-8 nor Shift_JIS (CP932) text") from None


def card_file_read(path: Path) -> CardFile:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CardFileError(f"cannot read the file ({exc.strerror or type(exc).__name__})") from None
    return card_file_decode(data)


def cards_import(*, text: str, batch_size: int = BATCH_ROWS) -> ImportResult:
    """Upsert every valid row of a decoded card file; check the header before writing anything.

    Each batch of rows is written in one transaction, together with the replacements its new
    cards cause, so that an interrupted import leaves no new card beside a still-active old one
    and can simply be run again.
    """
    records = _records(text)
    columns, width = _columns(next(records, (1, []))[1])
    run = _Run(listed=_listed(text, columns))
    first_line: dict[str, int] = {}  # fingerprint -> first line with that PAN
    batch: list[CardRow] = []
    for row in _rows(records, columns, width, run.result.errors, first_line):
        batch.append(row)
        if len(batch) >= batch_size:
            _upsert_batch(batch, run)
            batch = []
    if batch:
        _upsert_batch(batch, run)
    return run.result


def _listed(text: str, columns: dict[str, int]) -> set[str]:
    """Return the fingerprints of all the PANs the file lists, even on rejected rows (a pre-pass)."""
    pan_at = columns["pan"]
    found = set()
    for _, cells in itertools.islice(_records(text), 1, None):
        if isinstance(cells, csv.Error) or len(cells) <= pan_at:
            continue
        pan = ime_normalise(cells[pan_at], digits=True)
        if _PAN.fullmatch(pan):
            found.add(crypto.pan_fingerprint(pan))
    return found


def _records(text: str) -> Iterator[tuple[int, list[str] | csv.Error]]:
    """Yield each CSV record with the line it starts on (a quoted field may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    while True:
        line = reader.line_num + 1
        try:
            yield line, next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # e.g. a field over the size limit: the record is skipped
            yield line, exc


def _columns(header: list[str] | csv.Error) -> tuple[dict[str, int], int]:
    """Map each known column to its index, and count all; refuse a header missing a column."""
    if isinstance(header, csv.Error) or not header:
        raise CardFileError("the file is empty or its first line is not a CSV header")
    names = [name.strip() for name in header]
    duplicated = sorted({name for name in names if name and names.count(name) > 1})
    if duplicated:
        raise CardFileError(f"column(s) appear more than once in the header: {', '.join(duplicated)}")
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        raise CardFileError(f"missing required column(s): {', '.join(missing)}")
    known = {name: names.index(name) for name in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) if name in names}
    return known, len(names)


def _rows(
    records: Iterator[tuple[int, list[str] | csv.Error]],
    columns: dict[str, int],
    width: int,
    errors: list[RowError],
    first_line: dict[str, int],
) -> Iterator[CardRow]:
    """Yield the valid rows; record the others in `errors`."""
    for line, cells in records:
        if isinstance(cells, csv.Error):
            errors.append(RowError(line, f"malformed CSV: {cells}"))
            continue
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != width:
            # An unquoted comma shifts every later column: never guess which cell is which.
            errors.append(RowError(line, f"has {len(cells)} fields, the header has {width}"))
            continue
        raw = {name: cells[index].strip() for name, index in columns.items()}
        pan = ime_normalise(raw["pan"], digits=True)
        try:
            _check_pan(pan)
        except _RowRejected as exc:
            # Mask only a PAN-shaped value; any other value is not echoed at all.
            errors.append(RowError(line, str(exc), cards.mask_pan(pan) if _PAN.fullmatch(pan) else ""))
            continue
        identity = pan_identity(pan)
        masked = cards.mask_pan(pan)
        problems = []
        earlier = first_line.setdefault(identity["pan_fingerprint"], line)
        if earlier != line:
            problems.append(f"duplicate of line {earlier}")
        try:
            values = _values(raw, problems)
        except _RowRejected:
            errors.append(RowError(line, "; ".join(problems), masked))
            continue
        values.update(identity)
        yield CardRow(line, values, raw.get("status") or None)


def _check_pan(pan: str) -> None:
    if not _PAN.fullmatch(pan):
        raise _RowRejected("pan must be 13-19 digits (spaces and hyphens allowed)")
    if not cards.luhn_valid(pan):
        raise _RowRejected("pan fails the Luhn check")
    if cards.brand_for(pan) is None:
        raise _RowRejected("pan has a BIN of no brand this issuer serves")


def _values(raw: dict[str, str], problems: list[str]) -> dict[str, Any]:
    """Validate every column but the PAN; collect all problems, then reject if there were any.

    Messages name the rule, never the value: a shifted column could put a PAN or personal data
    into any cell, and these messages end up in logs.
    """
    values: dict[str, Any] = {}
    checks = (
        ("customer_ref", _customer_ref),
        ("expiry", _expiry),
        ("cardholder_name", _cardholder_name),
        ("date_of_birth", _date_of_birth),
        ("email", _email),
        ("mobile", _mobile),
        ("status", _status),
    )
    for column, check in checks:
        try:
            values.update(check(raw.get(column, "")))
        except _RowRejected as exc:
            problems.append(str(exc))
    if problems:
        raise _RowRejected
    return values


def _customer_ref(value: str) -> dict[str, Any]:
    if not 1 <= len(value) <= 32:
        raise _RowRejected("customer_ref must be 1-32 characters")
    return {"customer_ref": value}


def _expiry(value: str) -> dict[str, Any]:
    if match := _EXPIRY_MM_YY.fullmatch(value):
        month, year = int(match[1]), int(match[2])
    elif match := _EXPIRY_YYMM.fullmatch(value):
        year, month = int(match[1]), int(match[2])
    else:
        raise _RowRejected("expiry must be MM/YY or YYMM")
    if not 1 <= month <= 12:
        raise _RowRejected("expiry month must be 01-12")
    return {"expiry_year": 2000 + year, "expiry_month": month}


def _cardholder_name(value: str) -> dict[str, Any]:
    if not value or len(value) > 45:
        raise _RowRejected("cardholder_name must be 1-45 characters")
    if not _EMBOSSED_NAME.fullmatch(value):
        raise _RowRejected("cardholder_name must be Latin capitals (A-Z, space . , ' / -) as embossed")
    return {"cardholder_name": value}


def _date_of_birth(value: str) -> dict[str, Any]:
    try:
        if not _ISO_DATE.fullmatch(value):
            raise ValueError
        born = dt.date.fromisoformat(value)
    except ValueError:
        raise _RowRejected("date_of_birth must be a real date, YYYY-MM-DD") from None
    if not dt.date(1900, 1, 1) <= born < timezone.localdate():
        raise _RowRejected("date_of_birth must be in the past (and after 1900)")
    return {"date_of_birth": born}


def _email(value: str) -> dict[str, Any]:
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise _RowRejected("email is not a valid e-mail address") from None
    return {"email": value}


def _mobile(value: str) -> dict[str, Any]:
    if not value:
        return {"mobile": ""}
    number = e164(value)
    if number is None:
        raise _RowRejected("mobile is not a valid phone number")
    return {"mobile": number}


def _status(value: str) -> dict[str, Any]:
    if value and value not in Card.Status.values:
        raise _RowRejected(f"status must be one of {', '.join(Card.Status.values)}, or empty")
    return {}


def _upsert_batch(batch: list[CardRow], run: _Run) -> None:
    fingerprints = [row.values["pan_fingerprint"] for row in batch]
    with transaction.atomic():
        existing = {
            card.pan_fingerprint: card
            for card in Card.objects.select_for_update().filter(pan_fingerprint__in=fingerprints)
        }
        to_create: list[Card] = []
        to_update: list[Card] = []
        changed_fields: set[str] = set()
        for row in batch:
            card = existing.get(row.values["pan_fingerprint"])
            if card is None:
                to_create.append(Card(**row.values, status=row.status or Card.Status.ACTIVE))
                continue
            changed = _apply(card, row)
            if changed:
                to_update.append(card)
                changed_fields.update(name.removesuffix("_id") for name in changed)
        created = Card.objects.bulk_create(to_create)
        if to_update:
            now = timezone.now()
            for card in to_update:
                card.updated_at = now  # bulk_update skips auto_now
            Card.objects.bulk_update(to_update, [*sorted(changed_fields), "updated_at"])
        run.result.replaced += _replace_old_cards(created, run)
    run.result.created += len(created)
    run.result.updated += len(to_update)
    run.result.unchanged += len(batch) - len(created) - len(to_update)


def _apply(card: Card, row: CardRow) -> list[str]:
    """Set the row's values on an existing card; return the names of the fields that changed."""
    wanted = {name: value for name, value in row.values.items() if name in UPDATABLE_FIELDS}
    if row.status is not None:
        wanted["status"] = row.status
        if row.status == Card.Status.ACTIVE:
            wanted["replaced_by_id"] = None  # the issuer reinstated the card
    changed = [name for name, value in wanted.items() if getattr(card, name) != value]
    for name in changed:
        setattr(card, name, wanted[name])
    return changed


def _replace_old_cards(created: list[Card], run: _Run) -> int:
    """Mark `replaced` the active cards the file does not list under the ref of a new active card."""
    successor: dict[str, Card] = {}
    for card in created:
        if card.status == Card.Status.ACTIVE:
            successor.setdefault(card.customer_ref, card)  # the first new card in file order
    if not successor:
        return 0
    olds = [
        card
        for card in Card.objects.select_for_update()
        .filter(customer_ref__in=successor, status=Card.Status.ACTIVE)
        .only("pk", "customer_ref", "pan_fingerprint", "status", "replaced_by", "updated_at")
        if card.pan_fingerprint not in run.listed
    ]
    now = timezone.now()
    for card in olds:
        card.status = Card.Status.REPLACED
        card.replaced_by = successor[card.customer_ref]
        card.updated_at = now
    Card.objects.bulk_update(olds, ["status", "replaced_by", "updated_at"])
    return len(olds)
