"""``groundswell api-token create --campaign SLUG --organization "Name"`` prints a new token once;
``groundswell api-token list --campaign SLUG``; ``groundswell api-token revoke ID``."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from groundswell.campaigns.models import Campaign
from groundswell.organizations.models import Organization

from ...models import ApiToken
from ...services import api_token_create, api_token_revoke


class Command(BaseCommand):
    help = "Create, list and revoke organizations' API tokens."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True)
        create = commands.add_parser("create", help="A new token, printed once.")
        create.add_argument("--campaign", required=True, help="The campaign's slug.")
        create.add_argument("--organization", required=True, help="The organization's exact name.")
        create.add_argument("--by", help="Username of the coordinator creating it (checked).")
        listing = commands.add_parser("list", help="Tokens of a campaign (never the tokens themselves).")
        listing.add_argument("--campaign", required=True)
        revoke = commands.add_parser("revoke", help="Stop a token from working.")
        revoke.add_argument("id", type=int, help="The token's id, from `list`.")
        revoke.add_argument("--by", help="Username of the coordinator revoking it (checked).")

    def _actor(self, username):
        if not username:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user {username!r}.") from None

    def _campaign(self, slug):
        try:
            return Campaign.objects.get(slug=slug)
        except Campaign.DoesNotExist:
            raise CommandError(f"No campaign {slug!r}.") from None

    def handle(self, *args, command, **options):
        try:
            getattr(self, f"_{command}")(**options)
        except PermissionDenied:
            raise CommandError("That user does not coordinate this campaign.") from None

    def _create(self, *, campaign, organization, by=None, **options):
        campaign = self._campaign(campaign)
        matches = list(Organization.objects.filter(name=organization)[:2])
        if len(matches) != 1:
            raise CommandError(
                f"No organization is named {organization!r}."
                if not matches
                else f"Several organizations are named {organization!r}: rename one in the admin first."
            )
        api_token, token = api_token_create(actor=self._actor(by), campaign=campaign, organization=matches[0])
        self.stdout.write(f"Token {api_token.pk} for {matches[0].name} in {campaign.slug} (shown once):")
        self.stdout.write(token)

    def _list(self, *, campaign, **options):
        campaign = self._campaign(campaign)
        for api_token in ApiToken.objects.filter(campaign=campaign).select_related("organization"):
            state = f"revoked {api_token.revoked_at:%Y-%m-%d}" if api_token.revoked_at else "active"
            self.stdout.write(
                f"{api_token.pk}\t{api_token.prefix}…\t{api_token.organization.name}\t"
                f"created {api_token.created_at:%Y-%m-%d}\t{state}"
            )

    def _revoke(self, *, id, by=None, **options):  # noqa: A002 -- the argument's name on the command line
        try:
            api_token = ApiToken.objects.select_related("campaign").get(pk=id)
        except ApiToken.DoesNotExist:
            raise CommandError(f"No token {id}.") from None
        api_token_revoke(actor=self._actor(by), api_token=api_token)
        self.stdout.write(f"Token {id} revoked.")
