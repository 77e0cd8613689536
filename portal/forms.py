"""My Net+ forms: input shape only; the rules live in the services."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal.ime import ime_normalise
from portal.password_validation import MAX_LENGTH

EXPIRY = re.compile(r"^\s*(0[1-9]|1[0-2])\s*/\s*(\d{2})\s*$")
# The account's e-mail column (AbstractUser) holds 254 characters; addresses may be up to 320.
EMAIL_MAX_LENGTH = 254


class NormalisedCharField(forms.CharField):
    """Text folded by `ime_normalise` before the length checks (a spaced code fits 6 digits)."""

    def __init__(self, *, digits: bool = False, **kwargs: Any) -> None:
        self.digits = digits
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        return ime_normalise(text, digits=self.digits) if text else text


class DateOfBirthField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date", "autocomplete": "bday"})

    def to_python(self, value: Any) -> dt.date | None:
        # Without a date picker (or with one that takes typing), "１９８５/０６/１５" is typed.
        return super().to_python(ime_normalise(value) if isinstance(value, str) else value)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not dt.date(1900, 1, 1) <= value < dt.date.today():
            raise forms.ValidationError(_("Enter your date of birth."))


class CardProofForm(forms.Form):
    pan = NormalisedCharField(
        digits=True,
        label=_("Card number"),
        max_length=23,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "cc-number"}),
    )
    expiry = NormalisedCharField(
        label=_("Expiry (MM/YY)"),
        max_length=7,
        widget=forms.TextInput(attrs={"autocomplete": "cc-exp", "placeholder": "12/30"}),
    )
    date_of_birth = DateOfBirthField(label=_("Date of birth"))
    contact = NormalisedCharField(
        label=_("Mobile number or e-mail registered with us"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_pan(self) -> str:
        pan = self.cleaned_data["pan"]
        if not re.fullmatch(r"[0-9]{13,19}", pan):
            raise forms.ValidationError(_("Enter the card number (13 to 19 digits)."))
        return pan

    def clean_expiry(self) -> tuple[int, int]:
        match = EXPIRY.match(self.cleaned_data["expiry"])
        if not match:
            raise forms.ValidationError(_("Enter the expiry as MM/YY."))
        return int(match.group(1)), 2000 + int(match.group(2))


class PasswordInput(forms.CharField):
    def __init__(self, *, autocomplete: str = "new-password", **kwargs: Any) -> None:
        kwargs.setdefault("max_length", MAX_LENGTH + 1)
        kwargs.setdefault("strip", False)
        super().__init__(widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}), **kwargs)


class AccountForm(forms.Form):
    username = forms.CharField(
        label=_("My Net+ ID"),
        max_length=20,
        help_text=_("6 to 20 letters, digits, '-' or '_'."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = PasswordInput(
        label=_("Password"),
        help_text=_("At least 10 characters. A passphrase of several words is a good choice."),
    )
    email = forms.EmailField(
        label=_("E-mail for notices"),
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("My Net+ ID"),
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = PasswordInput(label=_("Password"), autocomplete="current-password")


class PasswordChangeForm(forms.Form):
    current = PasswordInput(label=_("Current password"), autocomplete="current-password")
    new = PasswordInput(label=_("New password"), help_text=_("At least 10 characters."))


class ForcedPasswordChangeForm(forms.Form):
    new = PasswordInput(label=_("New password"), help_text=_("At least 10 characters."))


class ForgottenPasswordForm(forms.Form):
    username = forms.CharField(label=_("My Net+ ID"), max_length=64)
    date_of_birth = DateOfBirthField(label=_("Date of birth"))
    email = forms.EmailField(label=_("E-mail for notices"), max_length=EMAIL_MAX_LENGTH)


class PhoneForm(forms.Form):
    mobile = NormalisedCharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel", "placeholder": "090-1234-5678"}
        ),
    )


class EnrolForm(PhoneForm):
    personal_message = forms.CharField(
        label=_("Personal message"),  # _form.html marks it "(optional)"
        required=False,
        max_length=settings.PERSONAL_MESSAGE_MAX_LENGTH,
        help_text=_("A phrase only you know, shown on every authentication page. Up to 20 characters."),
    )


class PhoneChangeForm(PhoneForm):
    """A new number for the codes (a change, or the switch from the legacy method): asks the password."""

    password = PasswordInput(label=_("Password"), autocomplete="current-password")


class CodeForm(forms.Form):
    code = NormalisedCharField(
        digits=True,
        label=_("Code from the SMS"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}
        ),
    )


class PersonalMessageForm(forms.Form):
    personal_message = forms.CharField(
        label=_("Personal message"),
        required=False,
        max_length=settings.PERSONAL_MESSAGE_MAX_LENGTH,
        help_text=_("Leave empty to clear it. Up to 20 characters."),
    )


class EmailChangeForm(forms.Form):
    email = forms.EmailField(label=_("New e-mail for notices"), max_length=EMAIL_MAX_LENGTH)
    password = PasswordInput(label=_("Password"), autocomplete="current-password")
