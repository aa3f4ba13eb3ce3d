from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class Organization(models.Model):
    """A group's public profile. An individual signer's row holds their name only when they chose to be
    listed publicly (their name is on ``Endorsement.signer_name``, which is private)."""

    class Kind(models.TextChoices):
        NGO = "ngo", _("NGO or association")
        UNION = "union", _("Trade union")
        FAITH = "faith", _("Faith group")
        COLLECTIVE = "collective", _("Collective or grassroots group")
        PARTY = "party", _("Political party")
        NETWORK = "network", _("Network or coalition")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind of organization"), max_length=20, choices=Kind.choices, blank=True)
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    # The website's host, lowercase, without "www.": two endorsements with the same one are merged.
    website_domain = models.CharField(max_length=253, blank=True, db_index=True)
    # Private: never shown publicly.
    contact_email = models.EmailField(_("contact email"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self):
        return self.name


class Endorsement(models.Model):
    """An organization's (or a person's) signature under a campaign's call: verified by a link sent to
    the signer's email, then moderated. Links are HMACs of the id and ``link_nonce`` (``tokens.py``)."""

    class SignerKind(models.TextChoices):
        ORGANIZATION = "organization", _("An organization")
        INDIVIDUAL = "individual", _("An individual")

    class Status(models.TextChoices):
        UNVERIFIED = "unverified", _("Email not yet verified")
        PENDING = "pending", _("Waiting for moderation")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="endorsements")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="endorsements")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UNVERIFIED)
    signer_kind = models.CharField(max_length=20, choices=SignerKind.choices, default=SignerKind.ORGANIZATION)
    # Private: an individual's name (shown publicly only with ``list_publicly``, via the organization row).
    signer_name = models.CharField(_("signer's name"), max_length=200, blank=True)
    list_publicly = models.BooleanField(default=True)
    # Recognises the signer's email (HMAC of the normalized address) without comparing addresses in clear.
    email_key = models.CharField(max_length=64, blank=True)
    language = models.CharField(max_length=10, default=settings.LANGUAGE_CODE)
    link_nonce = models.CharField(max_length=32, blank=True)
    decision_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When we last asked the signer's inbox to verify: unverified endorsements are deleted
    # GROUNDSWELL_ENDORSEMENT_CONFIRM_DAYS after it (organizations/retention.py).
    requested_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organization"], name="endorsement_once_per_campaign"
            ),
            models.UniqueConstraint(
                fields=["campaign", "email_key"],
                condition=~Q(email_key=""),
                name="endorsement_once_per_email",
            ),
        ]
        indexes = [models.Index(fields=["campaign", "status"])]
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")

    def __str__(self):
        return f"{self.organization.name or self.get_signer_kind_display()} — {self.campaign}"

    @property
    def is_individual(self) -> bool:
        return self.signer_kind == self.SignerKind.INDIVIDUAL
