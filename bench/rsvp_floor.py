"""The URLs of bench/rsvp.py's server (bench/rsvp_floor_settings.py): the app's own, plus one view that exists
only in the benchmark (never in the app): POST /bench-floor/insert/ writes one row into a table of its own
in one transaction, through every middleware: the floor a write request costs here."""

from django.db import connection, transaction
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from groundswell.urls import urlpatterns as app_urlpatterns

FLOOR_TABLE = "bench_floor_row"


def create_floor_table() -> None:
    key = "id bigserial PRIMARY KEY" if connection.vendor == "postgresql" else "id integer PRIMARY KEY"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {FLOOR_TABLE} ({key}, created_at varchar(40) NOT NULL)")


@csrf_exempt  # no form: the floor of a write, not of the CSRF check (which the RSVP POST pays)
@require_POST
def insert_one_row(request):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {FLOOR_TABLE} (created_at) VALUES (%s)", [request.POST.get("at", "")])  # noqa: S608 -- a constant
    return HttpResponse(status=204)


urlpatterns = [*app_urlpatterns, path("bench-floor/insert/", insert_one_row)]
