from ninja import Router

from groundswell.reports.selectors.report import campaign_report

from ..lookup import public_campaign
from ..schemas.common import ErrorOut
from ..schemas.report import ReportOut

router = Router(tags=["report"])


@router.get(
    "/campaigns/{slug}/report",
    response={200: ReportOut, 404: ErrorOut},
    summary="The campaign report: numbers, series, timeline, public incidents and photos",
)
def report(request, slug: str):
    """The same data as /c/{slug}/report.json. Incidents shown only as counts or to coordinators never
    appear in detail; RSVPs only as a sum of people."""
    return campaign_report(campaign=public_campaign(slug))
