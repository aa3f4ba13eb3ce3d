from ninja import Router

from ..lookup import public_campaign
from ..schemas.common import ErrorOut
from ..schemas.statistics import StatisticsOut
from ..selectors import campaign_statistics

router = Router(tags=["statistics"])


@router.get(
    "/campaigns/{slug}/statistics",
    response={200: StatisticsOut, 404: ErrorOut},
    summary="Counts of approved actions and endorsements",
)
def statistics(request, slug: str):
    return campaign_statistics(campaign=public_campaign(slug))
