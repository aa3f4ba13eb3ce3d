"""Reads of endorsements: the public list of signatories (never any private field) and the moderation
queue."""

import dataclasses
import unicodedata

from django.db.models import QuerySet
from django_countries import countries

from .models import Endorsement


@dataclasses.dataclass(frozen=True)
class PublicSignatory:
    """What the public may see of one signature: nothing else is handed to the templates."""

    name: str
    kind: str  # the organization's kind, displayed ("" for individuals)
    website: str
    is_individual: bool


@dataclasses.dataclass
class SignatoryGroup:
    code: str
    name: str
    organizations: list[PublicSignatory] = dataclasses.field(default_factory=list)
    named_individuals: list[PublicSignatory] = dataclasses.field(default_factory=list)
    unnamed_individuals: int = 0

    @property
    def count(self) -> int:
        return len(self.organizations) + len(self.named_individuals) + self.unnamed_individuals


@dataclasses.dataclass(frozen=True)
class Signatories:
    groups: list[SignatoryGroup]
    organizations: int
    individuals: int

    @property
    def total(self) -> int:
        return self.organizations + self.individuals


def endorsement_public_queryset(*, campaign) -> QuerySet:
    """The campaign's approved endorsements with their public profile (one query)."""
    return (
        Endorsement.objects.filter(campaign=campaign, status=Endorsement.Status.APPROVED)
        .select_related("organization")
        .only(
            "signer_kind",
            "list_publicly",
            "organization__name",
            "organization__kind",
            "organization__country",
            "organization__website",
        )
    )


def endorsement_public_groups(*, campaign) -> Signatories:
    """Approved signatories grouped by country (countries by their name in the current language, a group
    without a country last), organizations by name. An individual is named only when they chose to be
    listed; otherwise only counted."""
    groups: dict[str, SignatoryGroup] = {}
    organizations = individuals = 0
    for endorsement in endorsement_public_queryset(campaign=campaign):
        organization = endorsement.organization
        code = str(organization.country or "")
        group = groups.get(code)
        if group is None:
            group = groups[code] = SignatoryGroup(code=code, name=countries.name(code) if code else "")
        if endorsement.signer_kind == Endorsement.SignerKind.INDIVIDUAL:
            individuals += 1
            if endorsement.list_publicly and organization.name:
                group.named_individuals.append(PublicSignatory(organization.name, "", "", True))
            else:
                group.unnamed_individuals += 1
        else:
            organizations += 1
            group.organizations.append(
                PublicSignatory(
                    organization.name, organization.get_kind_display(), organization.website, False
                )
            )
    for group in groups.values():
        group.organizations.sort(key=lambda signatory: signatory.name.casefold())
        group.named_individuals.sort(key=lambda signatory: signatory.name.casefold())
    ordered = sorted(groups.values(), key=lambda group: (not group.code, _collation_key(group.name)))
    return Signatories(groups=ordered, organizations=organizations, individuals=individuals)


def _collation_key(name: str) -> str:
    # Accents aside ("Équateur" among the E's in French) without a locale-dependent collation.
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(ch)
    )


def endorsement_moderation_queue(*, campaign) -> QuerySet:
    """Verified endorsements waiting for a moderator, oldest first (one query with their profile)."""
    return (
        Endorsement.objects.filter(campaign=campaign, status=Endorsement.Status.PENDING)
        .select_related("organization")
        .order_by("verified_at", "id")
    )


def endorsement_for_moderation(*, campaign, pk: int) -> Endorsement | None:
    return (
        Endorsement.objects.filter(campaign=campaign, pk=pk)
        .select_related("organization", "campaign")
        .first()
    )
