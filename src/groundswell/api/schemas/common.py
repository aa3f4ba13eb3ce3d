from ninja import Field, Schema

from ..pagination import DEFAULT_LIMIT, MAX_LIMIT


class ErrorOut(Schema):
    """Every 4xx answer: a message in English, and for invalid input where it was wrong."""

    detail: str
    errors: list[dict] = []


class PageQuery(Schema):
    cursor: str | None = Field(None, max_length=500, description="The next_cursor of the previous page.")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Items per page, at most {MAX_LIMIT}.")
