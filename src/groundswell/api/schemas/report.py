"""The public campaign report (the same data as /c/<slug>/report.json): see docs/reports-public.md."""

import datetime as dt

from ninja import Schema


class ReportCampaignOut(Schema):
    slug: str
    url: str
    start_date: dt.date
    end_date: dt.date


class ReportNumbersOut(Schema):
    """Counts as the report page shows them (every definition in reports.selectors.public)."""

    actions_registered: int
    actions_took_place: int
    countries: int
    attendance: int
    rsvp_people: int
    report_backs: int
    photos: int
    endorsements: int
    endorsements_organizations: int
    endorsements_individuals: int
    incidents: int
    people_affected: int


class ActionsPerDayOut(Schema):
    date: dt.date
    actions: int


class ActionsPerCountryOut(Schema):
    country: str
    name: str
    actions: int


class ActionsPerTypeOut(Schema):
    type: str
    label: str
    actions: int


class EndorsementsPerDayOut(Schema):
    date: dt.date
    new: int
    cumulative: int


class IncidentsPerCountryOut(Schema):
    country: str
    name: str
    incidents: int
    people_affected: int


class ReportSeriesOut(Schema):
    actions_per_day: list[ActionsPerDayOut]
    actions_per_country: list[ActionsPerCountryOut]  # the top 20
    actions_per_type: list[ActionsPerTypeOut]
    endorsements_over_time: list[EndorsementsPerDayOut]
    incidents_per_country: list[IncidentsPerCountryOut]


class IncidentsPerKindOut(Schema):
    kind: str
    label: str
    incidents: int
    people_affected: int


class PublicIncidentOut(Schema):
    """An incident the coalition made public in detail."""

    id: int
    kind: str
    kind_label: str
    date: dt.date
    city: str
    country: str
    country_name: str
    people_affected: int
    description: str
    action_url: str | None


class ReportIncidentsOut(Schema):
    total: int
    people_affected: int
    by_kind: list[IncidentsPerKindOut]
    public: list[PublicIncidentOut]


class CountryOut(Schema):
    country: str
    name: str


class ReportBackExcerptOut(Schema):
    action_id: int
    title: str
    city: str
    country: str
    attendance: int | None
    excerpt: str
    url: str


class ReportDayOut(Schema):
    date: dt.date
    actions: int
    countries: list[CountryOut]
    attendance: int
    report_backs: list[ReportBackExcerptOut]
    incidents: list[PublicIncidentOut]


class ReportPhotoOut(Schema):
    id: int
    url: str
    thumbnail_url: str
    width: int
    height: int
    thumbnail_width: int
    thumbnail_height: int
    caption: str
    action_id: int
    action_title: str
    action_city: str
    action_country: str
    action_url: str


class ReportPhotosOut(Schema):
    total: int
    items: list[ReportPhotoOut]


class ReportOut(Schema):
    format: int
    campaign: ReportCampaignOut
    generated_at: dt.datetime
    numbers: ReportNumbersOut
    series: ReportSeriesOut
    incidents: ReportIncidentsOut
    timeline: list[ReportDayOut]
    photos: ReportPhotosOut
