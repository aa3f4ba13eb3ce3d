"""What happened on the day: the organizer's report-back with its photos, and incidents of repression."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

MAX_PHOTOS_PER_REPORT = 10
MAX_LINKS_PER_REPORT = 5


class Review(models.TextChoices):
    """Where a report-back, a photo or an incident stands with the moderators."""

    PENDING = "pending", _("Waiting for moderation")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ReportBack(models.Model):
    """The organizer's account of their action, one per action, sent through the secret link.

    A change by the organizer sends it back to the moderators; only an approved one is public.
    """

    action = models.OneToOneField("actions.Action", on_delete=models.CASCADE, related_name="report_back")
    took_place = models.BooleanField(_("the action took place"), default=True)
    attendance = models.PositiveIntegerField(_("how many people came (estimate)"), null=True, blank=True)
    text = models.TextField(_("what happened"), max_length=5000, blank=True)
    # Up to MAX_LINKS_PER_REPORT http(s) addresses: press, videos, the organizer's own post.
    links = models.JSONField(_("links"), default=list, blank=True)
    # Blur the faces found in photos before they are stored (the unblurred file is never kept).
    blur_faces = models.BooleanField(_("blur faces in photos"), default=False)
    status = models.CharField(max_length=20, choices=Review.choices, default=Review.PENDING, db_index=True)
    moderation_note = models.TextField(blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(attendance__isnull=True) | models.Q(attendance__lte=10_000_000),
                name="reportback_attendance_plausible",
            ),
        ]
        indexes = [models.Index(fields=["status", "approved_at"])]
        verbose_name = _("report-back")
        verbose_name_plural = _("report-backs")

    def __str__(self):
        return f"Report-back on action {self.action_id}"


class Photo(models.Model):
    """A photo of a report-back, stored re-encoded, without metadata, under a random name.

    ``image`` and ``thumbnail`` are names in the default storage; they are served only through views
    that check the photo may be seen (approved, or by its organizer or a moderator).
    """

    report_back = models.ForeignKey(ReportBack, on_delete=models.CASCADE, related_name="photos")
    image = models.CharField(max_length=200, unique=True, editable=False)
    thumbnail = models.CharField(max_length=200, unique=True, editable=False)
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    thumbnail_width = models.PositiveIntegerField(editable=False)
    thumbnail_height = models.PositiveIntegerField(editable=False)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    # How many faces were blurred; None when blurring was not asked for.
    faces_blurred = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    status = models.CharField(max_length=20, choices=Review.choices, default=Review.PENDING, db_index=True)
    moderation_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return f"Photo {self.pk} of report-back {self.report_back_id}"

    # The public addresses; the view behind them serves the file only while the photo is public.
    @property
    def image_url(self):
        return reverse("public:photo_file", kwargs={"name": self.image.rsplit("/", 1)[-1]})

    @property
    def thumbnail_url(self):
        return reverse("public:photo_file", kwargs={"name": self.thumbnail.rsplit("/", 1)[-1]})


class Incident(models.Model):
    """Repression met by an action or in a campaign: reported by an organizer or entered by a coordinator.

    What the public learns follows ``visibility`` and ``publish_after``; the follow-up is for coordinators.
    """

    class Kind(models.TextChoices):
        BAN = "ban", _("Ban or prohibition")
        POLICE = "police", _("Police interference")
        DETENTION = "detention", _("Detention or arrest")
        ATTACK = "attack", _("Attack by others")
        OTHER = "other", _("Other")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        COUNTS = "counts", _("Public only as counts")
        COORDINATORS = "coordinators", _("Coordinators only")

    class FollowUp(models.TextChoices):
        NONE = "none", _("No follow-up needed")
        OPEN = "open", _("Needs follow-up")
        LEGAL = "legal", _("Legal support contacted")
        SUPPORT = "support", _("Support under way")
        CLOSED = "closed", _("Closed")

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="incidents")
    action = models.ForeignKey(
        "actions.Action", null=True, blank=True, on_delete=models.SET_NULL, related_name="incidents"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"))
    city = models.CharField(_("city"), max_length=120)
    country = CountryField(_("country"))
    description = models.TextField(_("what happened"), max_length=5000)
    people_affected = models.PositiveIntegerField(_("people affected"), default=0)
    visibility = models.CharField(
        _("who may see it"), max_length=20, choices=Visibility.choices, default=Visibility.COUNTS
    )
    # Not public before this moment (e.g. until the people detained are released).
    publish_after = models.DateTimeField(_("not public before"), null=True, blank=True)
    status = models.CharField(max_length=20, choices=Review.choices, default=Review.PENDING, db_index=True)
    moderation_note = models.TextField(blank=True)
    follow_up = models.CharField(
        _("follow-up"), max_length=20, choices=FollowUp.choices, default=FollowUp.OPEN
    )
    # Who reported it: the action's organizer (through the secret link) or a coordinator. The organizer's page
    # lists only the first kind; ``created_by`` cannot tell them apart once a coordinator's account is gone.
    reported_by_organizer = models.BooleanField(default=False, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(people_affected__lte=10_000_000), name="incident_people_plausible"
            ),
        ]
        indexes = [models.Index(fields=["campaign", "status", "visibility", "date"])]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self):
        return f"{self.get_kind_display()} {self.city} {self.date:%Y-%m-%d}"


class IncidentNote(models.Model):
    """A coordinator's note on an incident's follow-up (who was contacted, what was done). Never public."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("note"), max_length=5000)
    # The follow-up state set with this note, if it changed.
    follow_up = models.CharField(max_length=20, choices=Incident.FollowUp.choices, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("follow-up note")
        verbose_name_plural = _("follow-up notes")

    def __str__(self):
        return f"Note on incident {self.incident_id}"
