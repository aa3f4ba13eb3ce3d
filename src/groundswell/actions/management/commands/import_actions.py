"""``groundswell import-actions FILE.csv --campaign SLUG [--dry-run] [--approve] [--notify-organizers]``."""

import argparse

from django.core.management.base import BaseCommand, CommandError

from groundswell.actions.imports import ImportFileError, action_import_rows, read_csv
from groundswell.campaigns.models import Campaign

COLUMNS_HELP = """\
The file is CSV in UTF-8 with a header row naming the columns (in any order):

required
  title           up to 160 characters
  type            demonstration, rally, vigil, info_stand, public_meeting, cultural_event, online, other
  start, end      local date and time where the action takes place, ISO 8601: 2026-10-12T14:00
                  (an offset such as +02:00 is allowed; the time is then converted to the action's zone)
  city            a city or town; found offline with its time zone (GeoNames cities of 15,000+ people)
  country         two-letter ISO 3166 code (DE, KE) or the country's English name
  contact_email   the organizer's email: private, never shown in public
optional
  timezone        IANA name (Europe/Berlin); default: the city's
  latitude, longitude
                  the exact point; needed for a town the geocoder does not know or a name several places
                  share; must lie within 60 km of the named city
  venue           shown in public only with location_precision exact
  description     plain text or Markdown, up to 5,000 characters
  location_precision
                  exact (default), km (about 1 km) or city
  host_name       the host organization's name
  online_url      the link of an online action (required for type online)
  external_id     your own identifier of the row, up to 100 characters

Each row is checked like a submission from the action form and must start within the campaign's window.
Rows already imported into the campaign are recognised and skipped: by external_id when given, otherwise
by title, start, city and country. Every rejected row is reported with its line number and the reason;
the other rows are imported. The exit status is 1 when any row was rejected.

Imported actions wait for moderation unless --approve. Organizers are NOT emailed unless
--notify-organizers: then each gets the usual "action received" email with the secret link to edit or
cancel their action (without it, that link is never sent to anyone).
"""


class ProgressBar:
    """A one-line progress bar on a terminal; nothing at all when the output is not one (a log, a pipe).
    ``stream`` is a command's ``OutputWrapper``."""

    WIDTH = 30

    def __init__(self, total: int, stream):
        self.total, self.done, self.stream = total, 0, stream
        self.shown = -1
        isatty = getattr(stream, "isatty", None)
        self.enabled = bool(total) and callable(isatty) and isatty()

    def advance(self) -> None:
        self.done += 1
        if not self.enabled:
            return
        percent = self.done * 100 // self.total
        if percent == self.shown and self.done != self.total:
            return
        self.shown = percent
        filled = self.WIDTH * self.done // self.total
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.stream.write(
            f"\r[{bar}] {percent:3d}% {self.done:,}/{self.total:,} rows", style_func=str, ending=""
        )
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("", style_func=str)
            self.stream.flush()


class Command(BaseCommand):
    help = (
        "Import actions into a campaign from a CSV file, with a dry run and a report of every rejected row."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        parser.epilog = COLUMNS_HELP
        return parser

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.csv", help="The CSV file (see the columns below).")
        parser.add_argument("--campaign", required=True, metavar="SLUG", help="The campaign's slug.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and report; save nothing."
        )
        parser.add_argument(
            "--approve",
            action="store_true",
            help="Publish the imported actions at once instead of sending them to moderation.",
        )
        parser.add_argument(
            "--notify-organizers",
            action="store_true",
            help='Email each contact_email the "action received" message with its secret edit link.',
        )

    def handle(self, *args, file, campaign, dry_run, approve, notify_organizers, **options):
        found = Campaign.objects.filter(slug=campaign).first()
        if found is None:
            raise CommandError(f"There is no campaign with the slug {campaign!r}.")
        try:
            with open(file, encoding="utf-8-sig", newline="") as stream:
                rows, unknown = read_csv(stream)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror or error}.") from None
        except ImportFileError as error:
            raise CommandError(f"{file}: {error}") from None
        if unknown:
            self.stderr.write(f"Ignoring unknown columns: {', '.join(unknown)}.")
        # On standard error, so the report on standard output stays clean when redirected to a file.
        progress = ProgressBar(len(rows), self.stderr)
        try:
            report = action_import_rows(
                campaign=found,
                rows=rows,
                dry_run=dry_run,
                approve=approve,
                notify_organizers=notify_organizers,
                on_row=progress.advance,
            )
        finally:
            progress.close()
        for row in report.rows:
            if row.outcome in {"rejected", "already imported"}:
                self.stdout.write(f"line {row.line}: {row.outcome}: {row.reason}")
        state = "approved" if approve else "waiting for moderation"
        if dry_run:
            summary = (
                f"Dry run, nothing saved: {report.count('would import')} row(s) would be imported ({state})"
            )
        else:
            summary = f"{report.count('imported')} action(s) imported ({state})"
        summary += (
            f", {report.count('already imported')} already imported, {len(report.rejected)} rejected"
            f" of {len(report.rows)} row(s) in {file}."
        )
        self.stdout.write(summary)
        if report.rejected:
            raise CommandError(f"{len(report.rejected)} row(s) rejected; see the lines above.")
