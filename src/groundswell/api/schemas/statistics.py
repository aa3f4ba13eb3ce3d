from ninja import Schema


class StatisticsOut(Schema):
    """Approved actions and endorsements, counted; by_day is keyed by the actions' local start dates."""

    actions: int
    countries: int
    endorsements: int
    by_country: dict[str, int]
    by_type: dict[str, int]
    by_day: dict[str, int]
