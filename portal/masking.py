"""Masked display of contact data for pages and the admin."""

from __future__ import annotations


def mask_phone(e164: str | None) -> str:
    """Show only the last four digits of a phone number: `+81 ** **** 0001`."""
    if not e164:
        return "-"
    digits = e164.lstrip("+")
    return f"+{digits[:2]} ** **** {digits[-4:]}" if len(digits) > 6 else "****"


def mask_email(email: str | None) -> str:
    if not email or "@" not in email:
        return "-"
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"
