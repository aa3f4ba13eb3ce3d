"""``groundswell purge``: erase personal data whose retention has ended, now."""

from django.conf import settings
from django.core.management.base import BaseCommand

from groundswell.organizations.retention import endorsement_purge_unverified
from groundswell.participation.retention import rsvp_purge
from groundswell.reports.retention import photo_files_orphaned_delete


class Command(BaseCommand):
    help = (
        "Erase the names and emails of RSVPs to actions that ended more than GROUNDSWELL_RETENTION_DAYS ago "
        "and delete RSVPs and endorsements never confirmed, and photo files no photo names any more. "
        "Counts remain."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only say how many would be erased.")

    def handle(self, *args, dry_run, **options):
        result = rsvp_purge(dry_run=dry_run)
        verb = "Would erase" if dry_run else "Erased"
        self.stdout.write(
            f"{verb} the personal data of {result['erased']} RSVP(s) to actions that ended more than "
            f"{settings.RETENTION_DAYS} days ago; {'would delete' if dry_run else 'deleted'} "
            f"{result['expired']} RSVP(s) never confirmed within {settings.RSVP_CONFIRM_HOURS} hours."
        )
        endorsements = endorsement_purge_unverified(dry_run=dry_run)
        self.stdout.write(
            f"{'Would delete' if dry_run else 'Deleted'} {endorsements} endorsement(s) never verified within "
            f"{settings.ENDORSEMENT_CONFIRM_DAYS} days."
        )
        files = photo_files_orphaned_delete(dry_run=dry_run)
        self.stdout.write(
            f"{'Would delete' if dry_run else 'Deleted'} {files} photo file(s) that no photo names any more."
        )
