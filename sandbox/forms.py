"""The sandbox merchant's checkout form, with the browser data its script collects."""

from __future__ import annotations

from django import forms

from sandbox.demo_cards import DEMO_CARDS
from sandbox.models import DemoPurchase

CHALLENGE_CHOICES = [
    ("01", "01 · 指定なし No preference"),
    ("02", "02 · チャレンジ不要 No challenge requested"),
    ("03", "03 · チャレンジ希望 Challenge requested (preference)"),
    ("04", "04 · チャレンジ必須 Challenge requested (mandate)"),
]
VERSION_CHOICES = [("2.1.0", "2.1.0"), ("2.2.0", "2.2.0"), ("2.3.1", "2.3.1")]
CARD_CHOICES = [(card.key, f"{card.spaced} — {card.label}") for card in DEMO_CARDS]
LANGUAGE_CHOICES = [
    ("", "ブラウザの設定 Browser setting"),
    ("ja-JP", "ja-JP · 日本語"),
    ("en-US", "en-US · English"),
    ("en-GB", "en-GB · English (UK)"),
]


class CheckoutForm(forms.Form):
    card = forms.ChoiceField(
        label="カード Card", choices=CARD_CHOICES, initial=DEMO_CARDS[0].key, widget=forms.RadioSelect
    )
    amount = forms.IntegerField(label="金額 Amount (JPY)", min_value=1, max_value=99_999_999, initial=12800)
    merchant_name = forms.CharField(
        label="加盟店名 Merchant name", max_length=40, initial="サンドボックス電器 Sandbox Shop"
    )
    challenge_ind = forms.ChoiceField(
        label="チャレンジ指定 Challenge preference", choices=CHALLENGE_CHOICES, initial="01"
    )
    message_version = forms.ChoiceField(
        label="メッセージバージョン Message version", choices=VERSION_CHOICES, initial="2.2.0"
    )
    window_size = forms.ChoiceField(
        label="チャレンジ画面サイズ Challenge window size",
        choices=DemoPurchase.WindowSize.choices,
        initial="02",
    )
    browser_language = forms.ChoiceField(
        label="ブラウザ言語 Browser language", choices=LANGUAGE_CHOICES, required=False
    )
    run_method = forms.BooleanField(
        label="3DS Method を実行する Run the 3DS Method", required=False, initial=True
    )

    # Filled in by checkout.js; absent when JavaScript is off.
    js_enabled = forms.BooleanField(required=False, widget=forms.HiddenInput)
    js_language = forms.CharField(required=False, max_length=35, widget=forms.HiddenInput)
    color_depth = forms.IntegerField(required=False, min_value=1, max_value=99, widget=forms.HiddenInput)
    screen_width = forms.IntegerField(
        required=False, min_value=1, max_value=999_999, widget=forms.HiddenInput
    )
    screen_height = forms.IntegerField(
        required=False, min_value=1, max_value=999_999, widget=forms.HiddenInput
    )
    tz_offset = forms.IntegerField(required=False, min_value=-9999, max_value=9999, widget=forms.HiddenInput)
