class ApiError(Exception):
    """An answer other than 2xx with a message for the client (the message is English: the API's
    audience is developers, like the OpenAPI document's)."""

    def __init__(self, status: int, detail: str, *, errors: list[dict] | None = None, headers=None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or []
        self.headers = headers or {}


def invalid(field: str, message: str) -> ApiError:
    return ApiError(422, message, errors=[{"field": field, "message": message}])
