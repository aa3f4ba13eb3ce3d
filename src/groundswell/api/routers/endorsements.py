from ninja import Query, Router

from ..lookup import public_campaign
from ..pagination import decode_cursor, encode_cursor, next_url
from ..schemas.common import ErrorOut, PageQuery
from ..schemas.endorsements import EndorsementPage
from ..selectors import endorsement_page

router = Router(tags=["endorsements"])


@router.get(
    "/campaigns/{slug}/endorsements",
    response={200: EndorsementPage, 404: ErrorOut, 422: ErrorOut},
    summary="Approved endorsements of the call (public fields only)",
)
def endorsement_list(request, slug: str, query: Query[PageQuery]):
    after_id = decode_cursor(query.cursor, order="id")[1] if query.cursor else None
    campaign = public_campaign(slug)
    rows, more = endorsement_page(campaign=campaign, after_id=after_id, limit=query.limit)
    next_cursor = encode_cursor(order="id", value=None, pk=rows[-1].pk) if more else None
    return {
        "items": [
            {
                "signer": e.signer_kind,
                "name": e.organization.name or None,
                "kind": e.organization.kind,
                "country": e.organization.country.code or "",
                "website": e.organization.website,
            }
            for e in rows
        ],
        "next_cursor": next_cursor,
        "next": next_url(request, cursor=next_cursor),
    }
