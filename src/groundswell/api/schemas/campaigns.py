import datetime as dt

from ninja import Schema


class DayOfActionOut(Schema):
    date: dt.date
    label: str


class CallTranslationOut(Schema):
    language: str
    title: str
    body: str  # Markdown
    demands: list[str]
    is_original: bool
    is_outdated: bool
    updated_at: dt.datetime


class CampaignOut(Schema):
    slug: str
    url: str
    status: str
    title: str  # the call's title in the original language
    start_date: dt.date
    end_date: dt.date
    original_language: str
    languages: list[str]
    days_of_action: list[DayOfActionOut]
