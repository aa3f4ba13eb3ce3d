from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    slug = models.SlugField(max_length=60, unique=True)
    # Internal name for the dashboard; the public title comes from the call in the visitor's language.
    name = models.CharField(_("name"), max_length=200)
    start_date = models.DateField(_("campaign starts"))
    end_date = models.DateField(_("campaign ends"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    original_language = models.CharField(_("original language"), max_length=10, default="en")
    high_risk = models.BooleanField(
        _("high risk"), default=False, help_text=_("Participants face repression: safer defaults apply.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="campaign_window_ordered"
            ),
        ]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("public:campaign", kwargs={"slug": self.slug})

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED


class CallTranslation(models.Model):
    """The call in one language. Exactly one per campaign is the original."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=10)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text (Markdown)"), max_length=50_000)
    demands = models.JSONField(_("demands"), default=list, blank=True)
    is_original = models.BooleanField(default=False)
    # When the original was last changed as this translation was made: newer means outdated.
    source_updated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_original", "language"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "language"], name="calltranslation_one_per_language"),
            models.UniqueConstraint(
                fields=["campaign"], condition=models.Q(is_original=True), name="calltranslation_one_original"
            ),
        ]
        verbose_name = _("call translation")
        verbose_name_plural = _("call translations")

    def __str__(self):
        return f"{self.campaign.slug} [{self.language}] {self.title}"


class CallVersion(models.Model):
    """The original call as it was saved once. A translation follows the newest version saved at or before
    its ``source_updated_at``, so a translator can see what changed in the original since."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="call_versions")
    language = models.CharField(_("language"), max_length=10)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text (Markdown)"), max_length=50_000)
    demands = models.JSONField(_("demands"), default=list, blank=True)
    # Equal to the original's ``source_updated_at`` after this save.
    saved_at = models.DateTimeField(_("saved at"))
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["campaign", "-saved_at"]
        indexes = [models.Index(fields=["campaign", "saved_at"], name="callversion_campaign_saved")]
        verbose_name = _("version of the call")
        verbose_name_plural = _("versions of the call")

    def __str__(self):
        return f"{self.campaign_id} [{self.language}] {self.saved_at:%Y-%m-%d %H:%M}"


class DayOfAction(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="days_of_action")
    date = models.DateField(_("date"))
    label = models.CharField(_("label"), max_length=120, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["campaign", "date"], name="dayofaction_unique_date")]
        verbose_name = _("day of action")
        verbose_name_plural = _("days of action")

    def __str__(self):
        return f"{self.campaign.slug} {self.date:%Y-%m-%d}"
