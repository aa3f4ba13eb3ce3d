"""``groundswell demo [--actions N] [--reset]``: loads the fictional demo campaign (see campaigns/demo/)."""

import argparse

from django.core.management.base import BaseCommand, CommandError

from groundswell.campaigns.demo import DEFAULT_ACTIONS, MAX_ACTIONS, demo_load


def action_count(value) -> int:
    """A whole number of actions from 0 to MAX_ACTIONS; raises ValueError with a message people can act on."""
    text = str(value).strip().replace("_", "").replace(",", "")
    if isinstance(value, bool) or not text.lstrip("-").isdigit():
        raise ValueError(f"--actions takes a whole number, like 2000, not {value!r}.")
    count = int(text)
    if not 0 <= count <= MAX_ACTIONS:
        raise ValueError(f"--actions must be between 0 and {MAX_ACTIONS:,}, not {count:,}.")
    return count


def _argument(value: str) -> int:
    try:
        return action_count(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


class Command(BaseCommand):
    help = (
        'Load the fictional demo campaign "Clean Water Weeks" (/c/clean-water/): its call in four languages, '
        "organizations and actions around the world. Does nothing if it exists already, unless --reset."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--actions", type=_argument, default=DEFAULT_ACTIONS, metavar="N",
            help=f"How many approved actions to create (default {DEFAULT_ACTIONS:,}).",
        )  # fmt: skip
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo campaign and its data first, then load it again.",
        )

    def handle(self, *args, actions, reset, **options):
        # call_command(actions=...) skips the parser's type check: check again here.
        try:
            count = action_count(actions)
        except ValueError as error:
            raise CommandError(str(error)) from None
        result = demo_load(actions=count, reset=reset)
        counts = (
            f"{result.approved:,} approved and {result.pending:,} pending actions in {result.countries} "
            f"countries, {result.organizations} organizations, {result.report_backs:,} report-backs with "
            f"{result.photos} photos, {result.incidents} incidents"
        )
        path = f"/c/{result.campaign.slug}/"
        if result.created:
            self.stdout.write(f"Demo campaign loaded at {path}: {counts} ({result.seconds:.1f} s).")
        else:
            self.stdout.write(
                f"The demo campaign exists already at {path}: {counts}; nothing changed "
                f"({result.seconds:.1f} s). Use --reset to load it again."
            )
