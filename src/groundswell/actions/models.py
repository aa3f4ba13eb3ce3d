from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

# An organizer's edit waits for a moderator (``Action.pending_changes``); a partial index holds these rows.
WITH_PENDING_CHANGES = ~models.Q(pending_changes={})


class Action(models.Model):
    class Type(models.TextChoices):
        DEMONSTRATION = "demonstration", _("Demonstration")
        RALLY = "rally", _("Rally")
        VIGIL = "vigil", _("Vigil")
        INFO_STAND = "info_stand", _("Info stand")
        PUBLIC_MEETING = "public_meeting", _("Public meeting")
        CULTURAL_EVENT = "cultural_event", _("Cultural event")
        ONLINE = "online", _("Online")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    class Precision(models.TextChoices):
        EXACT = "exact", _("Exact place")
        ABOUT_1KM = "km", _("About 1 km")
        CITY = "city", _("City only")

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="actions")
    action_type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    timezone = models.CharField(_("time zone"), max_length=64)
    # The start date in the action's own time zone: it decides the day of action the action belongs to.
    local_date = models.DateField(editable=False)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=120)
    country = CountryField(_("country"))
    geonameid = models.IntegerField(null=True, blank=True)
    # The exact point: private unless the precision is "exact".
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    location_precision = models.CharField(
        _("location shown publicly"), max_length=10, choices=Precision.choices, default=Precision.EXACT
    )
    # The point shown in public, derived once from the exact point and the precision (fixed per action).
    public_latitude = models.FloatField(editable=False)
    public_longitude = models.FloatField(editable=False)
    host_organization = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    host_name = models.CharField(_("host organization"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    # Private: reaches the organizer, never the public.
    contact_email = models.EmailField(_("contact email"))
    # Optional: at most this many people (the party sizes of confirmed RSVPs) can say they will come.
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    # The organizer's daily email with the RSVP count; they can turn it off from the email.
    rsvp_digest = models.BooleanField(default=True)
    # The organizer's language, for the emails we send them.
    language = models.CharField(max_length=10, default="en")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    moderation_note = models.TextField(blank=True)
    # What an organizer changed on an approved action, shown to moderators: {field: [before, after]}.
    pending_changes = models.JSONField(default=dict, blank=True)
    edit_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    submitted_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    # Set by ``groundswell import-actions``: the row's external_id, or a hash of what identifies it, so a
    # file imported twice adds nothing twice. Empty for actions submitted through the form.
    import_key = models.CharField(max_length=100, blank=True, db_index=True, editable=False)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")), name="action_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180
                ),
                name="action_coordinates_valid",
            ),
            models.UniqueConstraint(
                fields=["campaign", "import_key"],
                condition=~models.Q(import_key=""),
                name="action_import_key_unique_per_campaign",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "status", "starts_at"]),
            # The public actions in order of start (the API's pages): approved and cancelled ones together.
            models.Index(fields=["campaign", "starts_at", "id"]),
            # A country's actions in order of start (id too: the order is whole, no sort); with ends_at, the
            # campaign page's "upcoming" is read from the index alone.
            models.Index(fields=["campaign", "status", "country", "starts_at", "id", "ends_at"]),
            # Whether a country has upcoming actions (the campaign page), and how many: one seek, one range.
            models.Index(fields=["campaign", "status", "country", "ends_at"]),
            models.Index(fields=["campaign", "status", "local_date"]),
            models.Index(fields=["campaign", "city", "local_date"]),
            # The newest approved first (the Atom feed): read in index order, 50 rows, however many there are.
            models.Index(fields=["campaign", "approved_at", "id"]),
            # action_data_version(): count and latest change of the public actions, read from the index alone.
            models.Index(fields=["campaign", "status", "approved_at", "updated_at"]),
            # The statistics: actions per type, from the index alone.
            models.Index(fields=["campaign", "status", "action_type"]),
            # The moderation backlog's edits waiting for review: a few rows, not every action's changes.
            models.Index(
                fields=["campaign", "status", "updated_at"],
                condition=WITH_PENDING_CHANGES,
                name="action_with_pending_changes",
            ),
        ]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("public:action", kwargs={"slug": self.campaign.slug, "pk": self.pk})

    @property
    def is_public(self):
        # A cancelled action stays visible (marked cancelled) only if it had been approved.
        return self.status == self.Status.APPROVED or (
            self.status == self.Status.CANCELLED and self.approved_at is not None
        )

    @property
    def public_place(self):
        """The place as the public may read it: the venue only when the organizer chose an exact place."""
        return public_place_text(
            city=self.city,
            country_name=str(self.country.name),
            venue=self.venue,
            precision=self.location_precision,
        )

    @property
    def host_display(self):
        return self.host_organization.name if self.host_organization_id else self.host_name


def public_place_text(*, city: str, country_name: str, venue: str, precision: str) -> str:
    """``Action.public_place`` from its parts, for readers of narrow rows (the calendar feeds)."""
    parts = [city, country_name]
    if precision == Action.Precision.EXACT and venue:
        parts.insert(0, venue)
    return ", ".join(parts)
