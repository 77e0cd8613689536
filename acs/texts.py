"""`cardholderInfo`: a short line the 3DS Requestor shows when the ACS answers without a page."""

from __future__ import annotations

from acs.presentation import language_for

_TEXTS = {
    "13": (
        "このカードは3Dセキュア未登録です。My Net+で登録してください。",
        "This card is not enrolled in 3-D Secure. Please register in My Net+.",
    ),
    "05": (
        "カードの有効期限が切れています。カード会社にお問い合わせください。",
        "The card has expired. Please contact your card issuer.",
    ),
    "08": (
        "カード情報を確認できませんでした。カード会社にお問い合わせください。",
        "The card could not be found. Please contact your card issuer.",
    ),
}
_DEFAULT_REJECT = (
    "本人認証ができませんでした。カード会社にお問い合わせください。",
    "Authentication was not possible. Please contact your card issuer.",
)


def cardholder_info_for(trans_status: str, reason: str, browser_language: str) -> str | None:
    """Return guidance for N, R and U answers, in the browser's language (Japanese when unknown)."""
    if trans_status not in ("N", "R", "U"):
        return None
    ja, en = _TEXTS.get(reason, _DEFAULT_REJECT)
    return ja if language_for(browser_language) == "ja" else en
