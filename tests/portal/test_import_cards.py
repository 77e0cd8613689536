"""`manage.py import_cards`: the issuer's card file as an upsert by PAN."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from pytest_django import DjangoAssertNumQueries

from portal import crypto
from portal.cards import random_pan
from portal.models import Card, Member
from portal.services import card_import
from portal.services.card_import import card_file_decode, cards_import

ALICE_PAN = "4111111111111111"
BOB_PAN = "3566002020360505"
MC_PAN = "5555555555554444"
AMEX_PAN = "378282246310005"
JCB_PAN = "3530111333300000"

COLUMNS = ["customer_ref", "pan", "expiry", "cardholder_name", "date_of_birth", "email", "mobile"]


def synthetic_pan(prefix: str, length: int = 16) -> str:
    """Return a Luhn-valid PAN: `prefix`, random digits, check digit (synthetic, never committed)."""
    return random_pan(prefix, random.Random(), length=length)


def row(pan: str, **overrides: str) -> dict[str, str]:
    values = {
        "customer_ref": f"C-{pan[-6:]}",
        "pan": pan,
        "expiry": "12/30",
        "cardholder_name": "HANAKO SATO",
        "date_of_birth": "1988-04-01",
        "email": f"holder{pan[-4:]}@example.jp",
        "mobile": "090-1234-5678",
    }
    values.update(overrides)
    return values


def write_csv(
    path: Path, rows: list[dict[str, str]], *, columns: list[str] = COLUMNS, encoding: str = "utf-8"
) -> Path:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def run(path: Path) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_cards", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def card(pan: str) -> Card:
    return Card.objects.get(pan_fingerprint=crypto.pan_fingerprint(pan))


@pytest.mark.django_db
def test_it_imports_a_good_file(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "cards.csv",
        [
            row("4111 1111 1111 1111", expiry="01/29", email="", mobile=""),
            row("3566-0020-2036-0505", expiry="3107", mobile="+81 80 1111 2222"),
            row(AMEX_PAN, cardholder_name="O'NEIL J.R-SMITH"),
        ],
    )

    out, err = run(path)

    assert "Encoding: UTF-8" in out
    assert out.strip().endswith("created 3, updated 0, unchanged 0, replaced 0, rejected 0")
    assert err == ""
    visa, jcb, amex = card(ALICE_PAN), card(BOB_PAN), card(AMEX_PAN)
    assert (visa.pan, visa.bin, visa.last4, visa.brand) == (ALICE_PAN, "411111", "1111", "visa")
    assert (visa.expiry_year, visa.expiry_month, visa.email, visa.mobile) == (2029, 1, "", "")
    assert (jcb.brand, jcb.expiry_year, jcb.expiry_month, jcb.mobile) == ("jcb", 2031, 7, "+818011112222")
    assert (amex.brand, amex.cardholder_name, amex.status) == ("amex", "O'NEIL J.R-SMITH", "active")
    assert amex.mobile == "+819012345678"
    assert amex.date_of_birth == dt.date(1988, 4, 1)
    assert amex.customer_ref == "C-310005"


@pytest.mark.django_db
def test_it_reports_bad_rows_with_line_numbers_and_imports_the_rest(tmp_path: Path) -> None:
    bad_luhn = ALICE_PAN[:-1] + "2"
    unknown_brand = synthetic_pan("601100")  # Discover: not a brand this issuer serves
    others = [synthetic_pan("411111") for _ in range(8)]
    rows = [
        row(bad_luhn),  # line 2
        row(others[0], expiry="13/30"),  # line 3
        row(others[1], expiry="2030-12"),  # line 4
        row(unknown_brand),  # line 5
        row(others[2], mobile="090-12"),  # line 6
        row(others[3], email="hanako@"),  # line 7
        row(others[4], date_of_birth="1988-02-30"),  # line 8
        row(others[5], date_of_birth="2999-01-01"),  # line 9
        row(others[6], cardholder_name="佐藤花子"),  # line 10
        row(others[7], cardholder_name="H" * 46, customer_ref="R" * 33),  # line 11
        row("4111-1111"),  # line 12
        row(BOB_PAN),  # line 13: good
    ]
    path = write_csv(tmp_path / "cards.csv", rows)

    out, err = run(path)

    assert "created 1, updated 0, unchanged 0, replaced 0, rejected 11" in out
    lines = err.splitlines()
    expected = [
        ("line 2 (4111 11** **** 1112)", "Luhn"),
        (f"line 3 ({others[0][:4]} {others[0][4:6]}** **** {others[0][-4:]})", "expiry month must be 01-12"),
        ("line 4 (", "expiry must be MM/YY or YYMM"),
        ("line 5 (6011 00** **** ", "BIN of no brand"),
        ("line 6 (", "mobile is not a valid phone number"),
        ("line 7 (", "email is not a valid e-mail address"),
        ("line 8 (", "date_of_birth must be a real date"),
        ("line 9 (", "date_of_birth must be in the past"),
        ("line 10 (", "cardholder_name must be Latin capitals"),
        ("line 11 (", "customer_ref must be 1-32 characters; cardholder_name must be 1-45 characters"),
        ("line 12:", "pan must be 13-19 digits"),
    ]
    assert len(lines) == len(expected)
    for line, (where, reason) in zip(lines, expected, strict=True):
        assert line.startswith(where), line
        assert reason in line, line
    assert Card.objects.count() == 1
    assert card(BOB_PAN).cardholder_name == "HANAKO SATO"
    for pan in [bad_luhn, unknown_brand, *others, BOB_PAN]:
        assert pan not in out + err


@pytest.mark.django_db
def test_it_rejects_a_row_whose_columns_are_shifted(tmp_path: Path) -> None:
    path = tmp_path / "cards.csv"
    good = write_csv(tmp_path / "good.csv", [row(BOB_PAN)]).read_text()
    path.write_text(good + f"C-1,{ALICE_PAN},12/30,SATO, HANAKO,1988-04-01,a@example.jp,\r\n")

    out, err = run(path)

    assert "created 1, updated 0, unchanged 0, replaced 0, rejected 1" in out
    assert err.strip() == "line 3: has 8 fields, the header has 7"
    assert ALICE_PAN not in out + err


@pytest.mark.django_db
def test_it_rejects_the_second_occurrence_of_a_pan(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "cards.csv",
        [row(ALICE_PAN), row(BOB_PAN), row("4111 1111 1111 1111", cardholder_name="SOMEONE ELSE")],
    )

    out, err = run(path)

    assert "created 2, updated 0, unchanged 0, replaced 0, rejected 1" in out
    assert err.strip() == "line 4 (4111 11** **** 1111): duplicate of line 2"
    assert card(ALICE_PAN).cardholder_name == "HANAKO SATO"


@pytest.mark.django_db
def test_it_changes_nothing_when_the_same_file_is_imported_twice(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cards.csv", [row(ALICE_PAN), row(BOB_PAN), row(MC_PAN)])
    run(path)
    before = {c.pk: (c.updated_at, c.pan, c.email, c.mobile) for c in Card.objects.all()}

    out, err = run(path)

    assert "created 0, updated 0, unchanged 3, replaced 0, rejected 0" in out
    assert err == ""
    assert {c.pk: (c.updated_at, c.pan, c.email, c.mobile) for c in Card.objects.all()} == before


@pytest.mark.django_db
def test_it_updates_only_the_cards_that_changed(tmp_path: Path) -> None:
    run(write_csv(tmp_path / "v1.csv", [row(ALICE_PAN), row(BOB_PAN)]))
    bob_before = card(BOB_PAN).updated_at
    changed = row(ALICE_PAN, email="new@example.jp", mobile="+819099998888", expiry="0612")

    out, _ = run(write_csv(tmp_path / "v2.csv", [changed, row(BOB_PAN)]))

    assert "created 0, updated 1, unchanged 1, replaced 0, rejected 0" in out
    alice = card(ALICE_PAN)
    assert (alice.email, alice.mobile, alice.expiry_year, alice.expiry_month) == (
        "new@example.jp",
        "+819099998888",
        2006,
        12,
    )
    assert alice.updated_at > alice.created_at
    assert card(BOB_PAN).updated_at == bob_before


@pytest.mark.django_db
def test_it_reads_a_shift_jis_file_and_ignores_unknown_columns(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "cards.csv",
        [row(ALICE_PAN, note="日本語のメモ：ゴールド会員"), row(JCB_PAN, note="﨑（はしごだか）")],
        columns=[*COLUMNS, "note"],
        encoding="cp932",
    )

    out, err = run(path)

    assert "Encoding: Shift_JIS (CP932)" in out
    assert "created 2, updated 0, unchanged 0, replaced 0, rejected 0" in out
    assert err == ""
    assert card(JCB_PAN).brand == "jcb"


@pytest.mark.django_db
def test_it_reads_utf8_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cards.csv", [row(ALICE_PAN, note="日本語")], columns=["note", *COLUMNS])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())

    out, err = run(path)

    assert "Encoding: UTF-8" in out
    assert "created 1, updated 0, unchanged 0, replaced 0, rejected 0" in out
    assert card(ALICE_PAN).customer_ref == "C-111111"


@pytest.mark.django_db
def test_it_refuses_a_file_without_a_required_column(tmp_path: Path) -> None:
    columns = [c for c in COLUMNS if c not in ("mobile", "expiry")]
    path = write_csv(tmp_path / "cards.csv", [row(ALICE_PAN)], columns=columns)

    with pytest.raises(CommandError, match="missing required column.*expiry, mobile.*Nothing was imported"):
        run(path)

    assert not Card.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content", [None, b"", b"customer_ref,pan\r\n\x81\x20\xff", "customer_ref,pan".encode("utf-16")]
)
def test_it_refuses_an_unreadable_file(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "cards.csv"
    if content is not None:
        path.write_bytes(content)

    with pytest.raises(CommandError, match="Nothing was imported"):
        run(path)

    assert not Card.objects.exists()


def test_it_detects_the_encoding_strictly() -> None:
    sjis = "customer_ref,note\r\nC-1,日本語\r\n".encode("cp932")
    assert card_file_decode(sjis).encoding == "Shift_JIS (CP932)"
    assert card_file_decode("note\r\n日本語".encode()).encoding == "UTF-8"
    assert card_file_decode(b"\xef\xbb\xbfnote").encoding == "UTF-8 (with BOM)"
    assert card_file_decode(b"\xef\xbb\xbfnote").text == "note"


@pytest.mark.django_db
def test_it_replaces_the_old_card_of_a_customer_who_gets_a_new_number(alice: Member, tmp_path: Path) -> None:
    assert alice.card is not None and alice.card_usable
    path = write_csv(tmp_path / "cards.csv", [row(MC_PAN, customer_ref=alice.card.customer_ref)])

    out, _ = run(path)

    assert "created 1, updated 0, unchanged 0, replaced 1, rejected 0" in out
    old, new = Card.objects.get(pk=alice.card.pk), card(MC_PAN)
    assert (old.status, old.replaced_by_id) == ("replaced", new.pk)
    assert new.is_active
    assert Member.objects.get(pk=alice.pk).card_usable is False


@pytest.mark.django_db
def test_it_keeps_the_replacement_when_a_file_without_status_is_imported_again(
    alice: Member, bob: Member, tmp_path: Path
) -> None:
    assert alice.card is not None and bob.card is not None
    ref = alice.card.customer_ref
    new_card = row(MC_PAN, customer_ref=ref)
    old = row(ALICE_PAN, customer_ref=ref, cardholder_name="ALICE SATO")

    first, _ = run(write_csv(tmp_path / "new.csv", [new_card]))
    second, _ = run(write_csv(tmp_path / "both.csv", [old, new_card]))

    assert "created 1, updated 0, unchanged 0, replaced 1, rejected 0" in first
    assert "created 0, updated 1, unchanged 1, replaced 0, rejected 0" in second  # the file's e-mail
    assert card(ALICE_PAN).status == "replaced"
    assert card(BOB_PAN).is_active  # another customer's card is untouched


@pytest.mark.django_db
def test_it_never_replaces_a_card_the_file_lists(alice: Member, tmp_path: Path) -> None:
    assert alice.card is not None
    ref = alice.card.customer_ref
    # Listed without a status, the old card keeps its own; only the issuer's status retires it.
    path = write_csv(
        tmp_path / "cards.csv", [row(ALICE_PAN, customer_ref=ref), row(MC_PAN, customer_ref=ref)]
    )

    out, _ = run(path)

    assert "created 1, updated 1, unchanged 0, replaced 0, rejected 0" in out
    assert card(ALICE_PAN).is_active and card(MC_PAN).is_active


@pytest.mark.django_db
def test_it_leaves_active_a_card_the_file_lists_as_active(alice: Member, tmp_path: Path) -> None:
    assert alice.card is not None
    ref = alice.card.customer_ref
    columns = [*COLUMNS, "status"]
    # The old card comes after the new one and in another batch: the order must not matter.
    rows = [row(MC_PAN, customer_ref=ref, status="active"), row(ALICE_PAN, customer_ref=ref, status="active")]
    text = write_csv(tmp_path / "cards.csv", rows, columns=columns).read_text()

    result = cards_import(text=text, batch_size=1)

    assert (result.created, result.replaced, result.rejected) == (1, 0, 0)
    assert card(ALICE_PAN).is_active and card(MC_PAN).is_active


def _two_new_cards_for(member: Member, tmp_path: Path) -> tuple[str, str, str]:
    """A file with two new cards for `member`'s customer, a third customer's card between them."""
    assert member.card is not None
    ref = member.card.customer_ref
    new1, new2 = synthetic_pan("356600"), synthetic_pan("411111")
    text = write_csv(
        tmp_path / "cards.csv", [row(new1, customer_ref=ref), row(BOB_PAN), row(new2, customer_ref=ref)]
    ).read_text()
    return text, new1, new2


@pytest.mark.django_db
def test_it_replaces_across_batches_and_only_cards_older_than_the_import(
    alice: Member, tmp_path: Path
) -> None:
    text, new1, new2 = _two_new_cards_for(alice, tmp_path)

    result = cards_import(text=text, batch_size=2)

    assert (result.created, result.replaced) == (3, 1)
    old = card(ALICE_PAN)
    assert (old.status, old.replaced_by_id) == ("replaced", card(new1).pk)  # the first new card in the file
    assert card(new1).is_active and card(new2).is_active


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs."""


@pytest.mark.django_db
@pytest.mark.parametrize("killed_in_batch", [None, 2, 3])
def test_an_import_killed_and_run_again_ends_as_if_never_killed(
    alice: Member, tmp_path: Path, killed_in_batch: int | None
) -> None:
    text, new1, new2 = _two_new_cards_for(alice, tmp_path)
    real, batches = card_import._upsert_batch, iter(range(1, 100))

    def dying(*args: object) -> None:
        if next(batches) == killed_in_batch:
            raise Killed
        real(*args)  # type: ignore[arg-type]

    if killed_in_batch:
        with mock.patch.object(card_import, "_upsert_batch", dying), pytest.raises(Killed):
            cards_import(text=text, batch_size=1)
    cards_import(text=text, batch_size=1)

    old = card(ALICE_PAN)
    assert (old.status, old.replaced_by_id) == ("replaced", card(new1).pk)
    assert card(new1).is_active and card(new2).is_active


@pytest.mark.django_db
def test_it_applies_a_status_only_when_the_file_gives_one(alice: Member, bob: Member, tmp_path: Path) -> None:
    assert bob.card is not None
    Card.objects.filter(pk=bob.card.pk).update(status=Card.Status.LOST)
    columns = [*COLUMNS, "status"]
    rows = [
        row(ALICE_PAN, customer_ref="C-1", status="lost"),
        row(BOB_PAN, customer_ref="C-2", status=""),
        row(MC_PAN, status="closed"),
        row(AMEX_PAN, status="stolen"),
    ]

    out, err = run(write_csv(tmp_path / "cards.csv", rows, columns=columns))

    assert "created 1, updated 2, unchanged 0, replaced 0, rejected 1" in out
    assert "line 5 (3782 82** **** 0005): status must be one of active, lost, replaced, closed" in err
    assert card(ALICE_PAN).status == "lost"
    assert card(BOB_PAN).status == "lost"  # an empty status never reinstates a card
    assert card(MC_PAN).status == "closed"


@pytest.mark.django_db
def test_it_numbers_physical_lines_when_a_quoted_field_spans_lines(tmp_path: Path) -> None:
    rows = [
        row(ALICE_PAN, note="first line\nsecond line"),
        row(BOB_PAN, note="x" * 200_000),
        row(MC_PAN, email="@"),
    ]
    path = write_csv(tmp_path / "cards.csv", rows, columns=[*COLUMNS, "note"])

    out, err = run(path)

    assert "created 1, updated 0, unchanged 0, replaced 0, rejected 2" in out
    assert err.splitlines() == [
        "line 4: malformed CSV: field larger than field limit (131072)",
        "line 5 (5555 55** **** 4444): email is not a valid e-mail address",
    ]


@pytest.mark.django_db
def test_it_does_not_query_per_row(
    tmp_path: Path, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    rows = [row(synthetic_pan(random.choice(["411111", "356600"]))) for _ in range(200)]
    path = write_csv(tmp_path / "cards.csv", rows)

    with django_assert_max_num_queries(10):
        out, _ = run(path)
    with django_assert_max_num_queries(10):
        run(path)

    assert "created 200, updated 0, unchanged 0, replaced 0, rejected 0" in out
