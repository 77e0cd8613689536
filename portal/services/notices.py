"""Notice e-mails to members, in their language (Japanese first, English variants)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

from portal.masking import mask_email
from portal.models import Member

log = logging.getLogger(__name__)

SUBJECTS = {
    "registered": ("【My Net+】ご登録ありがとうございます", "[My Net+] Welcome to My Net+"),
    "enrolled": ("【My Net+】3Dセキュアのご登録が完了しました", "[My Net+] You are enrolled in 3-D Secure"),
    "password_changed": ("【My Net+】パスワードが変更されました", "[My Net+] Your password was changed"),
    "phone_changed": ("【My Net+】携帯電話番号が変更されました", "[My Net+] Your mobile number was changed"),
    "email_changed": (
        "【My Net+】メールアドレスが変更されました",
        "[My Net+] Your e-mail address was changed",
    ),
    "temporary_password": ("【My Net+】仮パスワードのお知らせ", "[My Net+] Your temporary password"),
    "fraud_reported": (
        "【My Net+】不正利用のご連絡を受け付けました",
        "[My Net+] We received your fraud report",
    ),
}


def notice_send(*, member: Member, kind: str, to: str | None = None, **context: object) -> bool:
    """Send one notice; `to` overrides the member's address (a notice to the old address)."""
    address = to or member.email
    if not address:
        return False
    language = "en" if member.language == "en" else "ja"
    subject_ja, subject_en = SUBJECTS[kind]
    with translation.override(language):
        body = render_to_string(
            f"portal/email/{kind}.{language}.txt",
            {
                "member": member,
                "now": timezone.localtime(),
                "support_phone": settings.SUPPORT_PHONE,
                **context,
            },
        )
    try:
        send_mail(subject_ja if language == "ja" else subject_en, body, None, [address])
    except OSError:
        # An SMTP outage must not undo the change the notice is about; it is logged for support.
        log.exception("notice %s to %s could not be sent", kind, mask_email(address))
        return False
    return True
