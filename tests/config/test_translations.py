"""The Japanese catalogue is complete, and support staff read the admin in Japanese."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.contrib import admin
from django.db.models import Model
from django.test import Client
from django.utils.functional import Promise

from acs.models import Transaction
from tests.acs.transactions import unsaved_transaction

PO_PATH = Path(__file__).resolve().parents[2] / "locale/ja/LC_MESSAGES/django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
OUR_APPS = {"acs", "portal", "riskanalysis", "sandbox"}


def _entries() -> list[polib.POEntry]:
    return [entry for entry in polib.pofile(str(PO_PATH)) if not entry.obsolete]


def test_it_has_a_japanese_text_for_every_message() -> None:
    entries = _entries()
    assert len(entries) > 300
    untranslated = [entry.msgid for entry in entries if not entry.translated() and not entry.fuzzy]
    fuzzy = [entry.msgid for entry in entries if entry.fuzzy]
    assert untranslated == [], "msgids without a Japanese text (scripts/translations_ja.py)"
    assert fuzzy == [], "fuzzy msgids: check their Japanese text in scripts/translations_ja.py"


def test_it_keeps_every_placeholder_in_the_japanese_text() -> None:
    for entry in _entries():
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in texts:
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(entry.msgid)), entry.msgid


def _admin_models() -> list[type[Model]]:
    return [model for model in admin.site._registry if model._meta.app_label in OUR_APPS]


def test_it_labels_every_admin_model_and_field_for_translation() -> None:
    assert _admin_models()
    for model in _admin_models():
        meta = model._meta
        # Without its own plural, Django would show the Japanese name with an English "s".
        assert "verbose_name" in meta.original_attrs, model
        assert "verbose_name_plural" in meta.original_attrs, model
        for field in meta.get_fields():
            if not getattr(field, "concrete", False) or field.auto_created:
                continue
            assert isinstance(field.verbose_name, Promise), f"{meta.label}.{field.name}"


# Brand names stay as the brands write them.
PROPER_NOUNS = {"Visa", "JCB", "Mastercard", "American Express"}


def test_it_labels_every_choice_and_help_text_for_translation() -> None:
    for model in _admin_models():
        for field in model._meta.get_fields():
            if not getattr(field, "concrete", False) or field.auto_created:
                continue
            name = f"{model._meta.label}.{field.name}"
            assert not field.help_text or isinstance(field.help_text, Promise), name
            for value, label in field.flatchoices or []:
                has_words = re.search("[A-Za-z]", str(label))
                assert not has_words or label in PROPER_NOUNS or isinstance(label, Promise), (name, value)


@pytest.fixture
def transaction(db: None) -> Transaction:
    txn = unsaved_transaction()
    txn.save(force_insert=True)
    return txn


def test_it_shows_the_transaction_list_in_japanese(staff_client: Client, transaction: Transaction) -> None:
    response = staff_client.get("/admin/acs/transaction/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "さくら商店" in page
    for japanese in (
        "作成日時",
        "カード番号",
        "加盟店名",
        "金額",
        "取引ステータス",
        "処理状況",
        "リスクスコア",
    ):
        assert japanese in page, japanese
    for english in (
        "Created at",
        "Masked pan",
        "Merchant name",
        "Trans status",
        "Transaction status",
        "Risk score",
        "Transactions",
        "Card ranges",
        "Directory Servers",
    ):
        assert english not in page, english


def test_it_shows_the_transaction_page_in_japanese(staff_client: Client, transaction: Transaction) -> None:
    response = staff_client.get(f"/admin/acs/transaction/{transaction.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert str(transaction.three_ds_server_trans_id) in page
    for japanese in (
        "3DSサーバー取引ID",
        "DS取引ID",
        "3DSリクエスターID",
        "加盟店名",
        "ブラウザのネットワーク",
        "リスク評価",
    ):
        assert japanese in page, japanese
    for english in (
        "3DS Server transaction ID",
        "Three ds server trans id",
        "ACS transaction ID",
        "Acs trans id",
        "Ds trans id",
        "Requestor id",
        "Merchant name",
        "Browser network",
        "Risk assessment",
    ):
        assert english not in page, english


def test_it_names_the_applications_in_japanese(staff_client: Client) -> None:
    page = staff_client.get("/admin/").content.decode()
    for japanese in ("ACS（3-Dセキュア本人認証）", "リスク分析"):
        assert japanese in page, japanese
    assert "Risk analysis" not in page


# Ours on purpose: Django's catalogue says 英語(米国) for "English", but our "en" is any English.
DJANGO_OVERRIDES_ALLOWED = {"English"}


def _django_japanese() -> dict[str, str]:
    """Every Japanese text that Django and its installed contrib apps ship, keyed by msgid."""
    import django
    from django.apps import apps

    catalogues = [Path(django.__file__).parent / "conf"] + [
        Path(app.path) for app in apps.get_app_configs() if app.name.startswith("django.")
    ]
    texts: dict[str, str] = {}
    for catalogue in catalogues:
        path = catalogue / "locale/ja/LC_MESSAGES/django.po"
        if not path.exists():
            continue
        for entry in polib.pofile(str(path)):
            if not entry.msgctxt and not entry.msgid_plural and entry.msgstr:
                texts.setdefault(entry.msgid, entry.msgstr)
    return texts


def test_it_leaves_djangos_own_japanese_to_django() -> None:
    # One catalogue serves every app: a context-free msgid of ours that Django also has would
    # change the admin's wording too (its Save button, say). Such uses of ours take a context.
    django_texts = _django_japanese()
    assert django_texts["Save"] == "保存"
    overridden = {
        entry.msgid
        for entry in _entries()
        if not entry.msgctxt
        and entry.msgid in django_texts
        and entry.msgstr != django_texts[entry.msgid]
        and entry.msgid not in DJANGO_OVERRIDES_ALLOWED
    }
    assert overridden == set()
