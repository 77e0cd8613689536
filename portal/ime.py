"""What a Japanese IME types, folded to what our checks expect: one place for every form and the
challenge's code field."""

from __future__ import annotations

import re
import unicodedata

# Spaces and dashes typed between groups of digits, the IME's too ("ー", "−", ideographic space).
DIGIT_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212\u30fc]")


def ime_normalise(value: str, *, digits: bool = False) -> str:
    """Fold what a Japanese IME types to ASCII (NFKC: "１２／３０" is "12/30"), so that a right
    value typed in full-width is not refused or, worse, told "no match". With `digits`, drop
    the separators too: what is left should be 0-9 only, and anything else stays to be refused.
    """
    value = unicodedata.normalize("NFKC", value).strip()
    return DIGIT_SEPARATORS.sub("", value) if digits else value
