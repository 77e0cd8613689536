"""My Net+ records: the issuer's cards, the member accounts (one per card), 3-D Secure enrolment."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from portal import cards
from portal.fields import EncryptedTextField
from portal.otp_devices import HashedSmsDevice


class Card(models.Model):
    """The issuer's card record, as imported from its card file."""

    class Brand(models.TextChoices):
        VISA = cards.Brand.VISA.value, "Visa"
        JCB = cards.Brand.JCB.value, "JCB"
        MASTERCARD = cards.Brand.MASTERCARD.value, "Mastercard"
        AMEX = cards.Brand.AMEX.value, "American Express"

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        LOST = "lost", _("Lost or stolen")
        REPLACED = "replaced", _("Replaced")
        CLOSED = "closed", _("Closed")

    pan = EncryptedTextField(verbose_name=_("card number"), purpose="card.pan")
    pan_fingerprint = models.CharField(
        _("card number fingerprint"), max_length=64, unique=True, editable=False
    )
    # BIN kept to 6 digits: with the last 4 it is the PCI DSS display maximum.
    bin = models.CharField(_("BIN"), max_length=6)
    last4 = models.CharField(_("last 4 digits"), max_length=4, db_index=True)
    expiry_year = models.PositiveSmallIntegerField(_("expiry year"))
    expiry_month = models.PositiveSmallIntegerField(_("expiry month"))
    brand = models.CharField(_("brand"), max_length=12, choices=Brand.choices)
    status = models.CharField(_("card status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    customer_ref = models.CharField(
        _("customer number"), max_length=32, db_index=True, help_text=_("The issuer's customer number.")
    )
    cardholder_name = models.CharField(_("cardholder name"), max_length=45)
    date_of_birth = models.DateField(_("date of birth"))
    email = EncryptedTextField(verbose_name=_("e-mail address"), purpose="card.email", blank=True)
    mobile = EncryptedTextField(
        verbose_name=_("mobile number"), purpose="card.mobile", blank=True, help_text=_("E.164")
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Failed registration proofs (portal.services.registration), from any network; at the limit
    # the card's registration pauses until the given moment.
    registration_failures = models.PositiveSmallIntegerField(_("failed registration attempts"), default=0)
    registration_paused_until = models.DateTimeField(_("registration paused until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("card")
        verbose_name_plural = _("cards")

    def __str__(self) -> str:
        return f"{self.get_brand_display()} {self.masked_pan}"

    @property
    def masked_pan(self) -> str:
        return cards.mask(self.bin, self.last4)

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class MemberManager(UserManager["Member"]):
    def get_by_natural_key(self, username: str | None) -> Member:
        # My Net+ IDs are unique without regard to case; log-in must agree.
        return self.get(username__iexact=username)


class Member(AbstractUser):
    """A My Net+ account (the ID is the username), or a support-staff account without a card."""

    card = models.OneToOneField(
        Card, verbose_name=_("card"), null=True, blank=True, on_delete=models.PROTECT, related_name="account"
    )
    failed_login_count = models.PositiveSmallIntegerField(_("failed log-ins"), default=0)
    is_locked = models.BooleanField(_("locked"), default=False)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    must_change_password = models.BooleanField(_("must change password"), default=False)
    # A temporary password (forgotten-password flow) works once, until this moment.
    temporary_password_until = models.DateTimeField(
        _("temporary password valid until"), null=True, blank=True
    )
    language = models.CharField(
        _("language"), max_length=8, default="ja", help_text=_("Language of notices.")
    )

    objects = MemberManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("My Net+ account")
        verbose_name_plural = _("My Net+ accounts")
        constraints = [models.UniqueConstraint(Lower("username"), name="member_username_ci_unique")]

    @property
    def card_usable(self) -> bool:
        """A replaced, lost or closed card's account cannot be used."""
        return self.card_id is None or (self.card is not None and self.card.is_active)


class ThreeDSEnrolment(models.Model):
    """A member's enrolment in the 3-D Secure service."""

    class Method(models.TextChoices):
        SMS_OTP = "sms_otp", _("One-time password by SMS")
        PASSWORD = "password", _("My Net+ password (legacy)")

    member = models.OneToOneField(
        Member, verbose_name=_("My Net+ account"), on_delete=models.CASCADE, related_name="enrolment"
    )
    method = models.CharField(
        _("authentication method"), max_length=10, choices=Method.choices, default=Method.SMS_OTP
    )
    mobile = EncryptedTextField(
        verbose_name=_("mobile number"),
        purpose="enrolment.mobile",
        blank=True,
        help_text=_("Verified, E.164"),
    )
    personal_message = EncryptedTextField(
        verbose_name=_("personal message"), purpose="enrolment.personal_message", blank=True
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("3-D Secure enrolment")
        verbose_name_plural = _("3-D Secure enrolments")

    def __str__(self) -> str:
        return f"{self.member.username}: {self.get_method_display()}"


class PhoneVerificationDevice(HashedSmsDevice):
    """The SMS code that proves a member holds the mobile number being enrolled."""

    mobile = EncryptedTextField(verbose_name=_("mobile number"), purpose="verification.mobile")
    purpose = models.CharField(_("purpose"), max_length=16)  # "enrol", "change", "switch"
    personal_message = EncryptedTextField(
        verbose_name=_("personal message"), purpose="verification.personal_message", blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("phone verification")
        verbose_name_plural = _("phone verifications")

    def binding(self) -> str:
        return f"member:{self.user_id}:{self.pk}:{self.mobile}"


class FraudReport(models.Model):
    """A member's "this wasn't me" about one authentication."""

    member = models.ForeignKey(
        Member, verbose_name=_("My Net+ account"), on_delete=models.PROTECT, related_name="fraud_reports"
    )
    card = models.ForeignKey(
        Card, verbose_name=_("card"), on_delete=models.PROTECT, related_name="fraud_reports"
    )
    acs_trans_id = models.UUIDField(_("ACS transaction ID"), db_index=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    reported_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    handled = models.BooleanField(_("handled"), default=False)

    class Meta:
        verbose_name = _("fraud report")
        verbose_name_plural = _("fraud reports")
        constraints = [models.UniqueConstraint(fields=["member", "acs_trans_id"], name="fraud_report_once")]

    def __str__(self) -> str:
        return f"{self.member.username} {self.acs_trans_id}"


from portal.sms.models import SmsMessage  # noqa: E402,F401  (the SMS outbox lives in portal.sms)
