"""The JSON API at /api/v1/: django-ninja routers per domain, its OpenAPI document at /api/v1/openapi.json.

Every answer other than 2xx is ``{"detail": "<message>", "errors": [...]}`` with a 4xx status.
No interactive docs page: it would load scripts from a CDN (DESIGN.md, privacy principle 5).
"""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from .errors import ApiError
from .routers import actions, campaigns, endorsements, report, statistics

api = NinjaAPI(
    title="Groundswell API",
    version="1",
    description="Campaigns, their call, days of action, public actions, endorsements and statistics. "
    "An organization's token submits actions (into moderation) and reads its own.",
    urls_namespace="api",
    docs_url=None,
)


def _error(request, status: int, detail: str, errors=None, headers=None):
    response = api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


@api.exception_handler(ApiError)
def _api_error(request, exc: ApiError):
    return _error(request, exc.status, exc.detail, exc.errors, exc.headers)


@api.exception_handler(Http404)
def _not_found(request, exc: Http404):
    return _error(request, 404, str(exc) or "Not found.")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    message = "A valid API token is needed: Authorization: Bearer <token>."
    return _error(request, 401, message, headers={"WWW-Authenticate": "Bearer"})


def _field(loc) -> str:
    """A parameter's name as the client sent it: ("body", "payload", "type") -> "type"."""
    parts = [str(part) for part in loc]
    if parts[:2] == ["body", "payload"]:
        parts = parts[2:]
    elif parts:
        parts = parts[1:]
    return ".".join(parts) or "body"


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc: NinjaValidationError):
    errors = [
        {"field": _field(error.get("loc", ())), "message": str(error.get("msg", ""))} for error in exc.errors
    ]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or "Invalid input."
    return _error(request, 422, detail, errors)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return _error(request, exc.status_code, str(exc.message))


api.add_router("", campaigns.router)
api.add_router("", actions.router)
api.add_router("", endorsements.router)
api.add_router("", statistics.router)
api.add_router("", report.router)
