"""The API's bearer tokens: an organization's token for one campaign."""

from ninja.security import HttpBearer

from .selectors import api_token_get
from .services import api_token_touch


class OrganizationToken(HttpBearer):
    """``Authorization: Bearer <token>``; a missing, unknown or revoked token is answered 401."""

    openapi_scheme = "bearer"

    def authenticate(self, request, token):
        api_token = api_token_get(token=token)
        if api_token is not None:
            api_token_touch(api_token=api_token)
        return api_token
