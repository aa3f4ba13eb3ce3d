from django.db import models
from django.utils.translation import gettext_lazy as _

# Party sizes beyond this go through the organizer, not the form.
MAX_PARTY_SIZE = 20


class RSVP(models.Model):
    """Someone who says they will come to an action. Never public: only counts leave this table."""

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Waiting for email confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")

    action = models.ForeignKey("actions.Action", on_delete=models.CASCADE, related_name="rsvps")
    # Personal data, erased RETENTION_DAYS after the action (see services.rsvp_purge); the row and its
    # party size stay so that counts remain.
    name = models.CharField(_("name"), max_length=100, blank=True)
    email = models.EmailField(_("email"), blank=True)
    # A keyed hash of the normalized email: one RSVP per person and action, and their private calendar.
    email_key = models.CharField(max_length=64, blank=True)
    calendar_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    party_size = models.PositiveSmallIntegerField(_("people coming"), default=1)
    language = models.CharField(_("language"), max_length=10, default="en")
    share_with_organizer = models.BooleanField(_("share my name and email with the organizer"), default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UNCONFIRMED)
    # Changes asked for by a second form with the same email, applied once confirmed from that inbox.
    pending_update = models.JSONField(default=dict, blank=True)
    # The form's idempotency token: a double click or a retried POST is recognised, not applied twice.
    submission_id = models.CharField(max_length=64, blank=True)
    # Random per RSVP: its links are an HMAC of the id and this nonce, so the database alone holds no link.
    link_nonce = models.CharField(max_length=32)
    emails_stopped = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When we last asked this inbox to confirm: an unconfirmed RSVP expires RSVP_CONFIRM_HOURS after it.
    requested_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["action", "email_key"], condition=~models.Q(email_key=""), name="rsvp_one_per_person"
            ),
            models.CheckConstraint(
                condition=models.Q(party_size__gte=1, party_size__lte=MAX_PARTY_SIZE), name="rsvp_party_size"
            ),
        ]
        indexes = [
            models.Index(fields=["action", "status"]),
            models.Index(fields=["status", "created_at"]),
        ]
        verbose_name = _("RSVP")
        verbose_name_plural = _("RSVPs")

    def __str__(self):
        return f"RSVP {self.pk} to action {self.action_id}"

    @property
    def is_erased(self):
        return self.erased_at is not None


class ScheduledEmail(models.Model):
    """An email to send at ``due_at``: the outbox of confirmations, reminders, notices and digests.

    Rows are written in the same transaction as the change that asks for them, and sent by the task
    worker; a restart loses none, and the unique ``dedupe_key`` plus the status make each one go once.
    The message is rendered when it is sent, so it holds no personal data of its own.
    """

    class Kind(models.TextChoices):
        CONFIRM = "confirm", _("RSVP confirmation")
        CONFIRM_UPDATE = "confirm_update", _("RSVP change confirmation")
        REMINDER_DAY = "reminder_day", _("Reminder the day before")
        REMINDER_2H = "reminder_2h", _("Reminder 2 hours before")
        CHANGED = "changed", _("Notice of a change of time or place")
        CANCELLED = "cancelled", _("Notice of cancellation")
        DIGEST = "digest", _("Daily digest to the organizer")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Not needed any more")
        FAILED = "failed", _("Failed")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    action = models.ForeignKey("actions.Action", on_delete=models.CASCADE, related_name="scheduled_emails")
    rsvp = models.ForeignKey(RSVP, null=True, blank=True, on_delete=models.CASCADE, related_name="emails")
    due_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    dedupe_key = models.CharField(max_length=120, unique=True)
    # What the message needs beyond the rows it points to (e.g. the fields that changed, without values
    # that were private).
    data = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["status", "due_at"])]
        verbose_name = _("scheduled email")
        verbose_name_plural = _("scheduled emails")

    def __str__(self):
        return f"{self.kind} for action {self.action_id} at {self.due_at:%Y-%m-%d %H:%M}"
