"""``groundswell import-actions``: every rejected row reported with its line and reason, good rows imported
(pending unless --approve), a dry run that saves nothing, rows already imported recognised, organizers not
emailed unless asked."""

import csv
import datetime as dt
import io
import os
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.core.management.base import OutputWrapper

from groundswell.actions.management.commands.import_actions import ProgressBar
from groundswell.actions.models import Action
from groundswell.core.models import AuditEntry
from tests.factories import ActionFactory, CampaignFactory

pytestmark = pytest.mark.django_db

HEADER = ["title", "type", "start", "end", "city", "country", "contact_email"]


@pytest.fixture
def campaign():
    return CampaignFactory()


def day(campaign, n: int) -> str:
    return (campaign.start_date + dt.timedelta(days=n)).isoformat()


def write_csv(tmp_path, rows: list[dict], name: str = "actions.csv", header=None) -> str:
    header = header or list(dict.fromkeys(key for row in rows for key in row))
    path = tmp_path / name
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


def good_row(campaign, **changes) -> dict:
    row = {
        "title": "Water stand at the market",
        "type": "info_stand",
        "start": f"{day(campaign, 5)}T14:00",
        "end": f"{day(campaign, 5)}T16:00",
        "city": "Berlin",
        "country": "DE",
        "contact_email": "organizer@import.example.net",
        "timezone": "",
        "latitude": "",
        "longitude": "",
        "venue": "",
        "description": "",
        "location_precision": "",
        "host_name": "",
        "online_url": "",
        "external_id": "",
    }
    row.update(changes)
    return row


def run(path: str, campaign, *options) -> tuple[str, str, CommandError | None]:
    out, err = io.StringIO(), io.StringIO()
    error = None
    try:
        call_command("import_actions", path, "--campaign", campaign.slug, *options, stdout=out, stderr=err)
    except CommandError as raised:
        error = raised
    return out.getvalue(), err.getvalue(), error


def rejected_lines(output: str) -> dict[int, str]:
    found = {}
    for line in output.splitlines():
        if ": rejected: " in line:
            head, reason = line.split(": rejected: ", 1)
            found[int(head.removeprefix("line "))] = reason
    return found


def test_each_bad_row_is_rejected_with_its_line_and_reason_and_good_rows_wait_for_moderation(
    tmp_path, campaign, mailbox
):
    rows = [
        good_row(campaign, title="Berlin stand"),  # line 2
        good_row(campaign, title=""),  # 3
        good_row(campaign, title="Unknown country", country="XX"),  # 4
        good_row(campaign, title="Unknown town", city="Kleinwasserdorf"),  # 5
        good_row(campaign, title="Bad date", start="next tuesday"),  # 6
        good_row(
            campaign, title="Backwards", start=f"{day(campaign, 5)}T16:00", end=f"{day(campaign, 5)}T15:00"
        ),
        good_row(campaign, title="Parade", type="parade"),  # 8
        good_row(campaign, title="Bad email", contact_email="not-an-email"),  # 9
        good_row(
            campaign,
            title="Too early",
            start=f"{day(campaign, -10)}T14:00",
            end=f"{day(campaign, -10)}T16:00",
        ),  # 10
        good_row(
            campaign,
            title="Nairobi march",
            type="demonstration",
            city="Nairobi",
            country="KE",
            description="Multi-line\ndescription, with a comma",
            host_name="Water Justice Kenya",
        ),  # 11 and 12 (a quoted newline)
        good_row(campaign, title="Ambiguous", city="Springfield", country="US"),  # 13
    ]
    path = write_csv(tmp_path, rows)

    out, err, error = run(path, campaign)

    assert error is not None and "9 row(s) rejected" in str(error)
    reasons = rejected_lines(out)
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9, 10, 13]
    assert reasons[3] == "title: this column is required."
    assert "unknown country “XX”" in reasons[4]
    assert "could not find “Kleinwasserdorf”" in reasons[5] and "latitude and longitude" in reasons[5]
    assert reasons[6].startswith("start: “next tuesday” is not a date and time")
    assert reasons[7] == "end: The action must end after it starts."
    assert reasons[8].startswith("type: unknown type “parade”")
    assert reasons[9] == "contact_email: “not-an-email” is not an email address."
    assert reasons[10].startswith("start: The campaign runs from")
    assert "several places called “Springfield”" in reasons[13]
    assert "2 action(s) imported (waiting for moderation), 0 already imported, 9 rejected of 11 row(s)" in out
    assert err == ""  # no progress bar without a terminal

    imported = {action.title: action for action in Action.objects.filter(campaign=campaign)}
    assert set(imported) == {"Berlin stand", "Nairobi march"}
    berlin, nairobi = imported["Berlin stand"], imported["Nairobi march"]
    assert berlin.status == Action.Status.PENDING and berlin.approved_at is None
    assert berlin.timezone == "Europe/Berlin" and berlin.geonameid
    local_start = berlin.starts_at.astimezone(ZoneInfo("Europe/Berlin")).replace(tzinfo=None)
    assert local_start == dt.datetime.fromisoformat(f"{day(campaign, 5)}T14:00")
    assert (
        nairobi.timezone == "Africa/Nairobi"
        and nairobi.description == "Multi-line\ndescription, with a comma"
    )
    assert nairobi.host_name == "Water Justice Kenya"
    assert berlin.import_key and berlin.import_key != nairobi.import_key
    assert AuditEntry.objects.filter(verb="actions.action.imported", campaign=campaign).count() == 2
    assert mailbox.messages == []  # organizers are not emailed by default


def test_dry_run_checks_every_row_and_saves_nothing(tmp_path, campaign):
    path = write_csv(tmp_path, [good_row(campaign), good_row(campaign, title="", city="Paris", country="FR")])

    out, _err, error = run(path, campaign, "--dry-run")

    assert error is not None
    assert rejected_lines(out) == {3: "title: this column is required."}
    assert "Dry run, nothing saved: 1 row(s) would be imported" in out
    assert not Action.objects.exists()
    assert not AuditEntry.objects.filter(verb="actions.action.imported").exists()


def test_a_second_import_recognises_the_rows_and_adds_nothing(tmp_path, campaign):
    rows = [
        good_row(campaign, title="Berlin stand"),
        good_row(campaign, title="Hamburg stand", city="Hamburg", external_id="partner-17"),
    ]
    path = write_csv(tmp_path, rows)
    _out, _err, error = run(path, campaign)
    assert error is None
    # The same file, with an edited title for the row that has an external_id: it is still the same row.
    rows[1]["title"] = "Hamburg stand (new title)"
    again = write_csv(tmp_path, rows, name="again.csv")

    out, _err, error = run(again, campaign)

    assert error is None  # skipped rows are not rejected
    assert "0 action(s) imported" in out and "2 already imported" in out
    assert out.count("already imported: Imported before as action") == 2
    assert Action.objects.filter(campaign=campaign).count() == 2
    assert Action.objects.get(import_key="partner-17").title == "Hamburg stand"


def test_a_row_repeated_in_the_same_file_is_imported_once(tmp_path, campaign):
    path = write_csv(tmp_path, [good_row(campaign), good_row(campaign)])

    out, _err, error = run(path, campaign)

    assert error is None
    assert "line 3: already imported: The same action as line 2." in out
    assert Action.objects.count() == 1


def test_same_row_in_another_campaign_is_not_a_duplicate(tmp_path, campaign):
    other = CampaignFactory(start_date=campaign.start_date, end_date=campaign.end_date)
    path = write_csv(tmp_path, [good_row(campaign)])
    run(path, campaign)

    _out, _err, error = run(path, other)

    assert error is None
    assert Action.objects.filter(campaign=other).count() == 1


def test_approve_publishes_the_imported_actions(tmp_path, campaign):
    path = write_csv(tmp_path, [good_row(campaign)])

    out, _err, error = run(path, campaign, "--approve")

    assert error is None and "1 action(s) imported (approved)" in out
    action = Action.objects.get()
    assert action.status == Action.Status.APPROVED and action.approved_at is not None and action.is_public
    entry = AuditEntry.objects.get(verb="actions.action.imported")
    assert entry.target_id == str(action.pk) and entry.data["approved"] is True


def test_notify_organizers_sends_the_received_email_with_the_edit_link(
    tmp_path, campaign, mailbox, django_capture_on_commit_callbacks
):
    path = write_csv(tmp_path, [good_row(campaign, contact_email="wants.mail@import.example.net")])

    with django_capture_on_commit_callbacks(execute=True):
        _out, _err, error = run(path, campaign, "--notify-organizers")

    assert error is None
    [message] = mailbox.wait_for(1)
    assert message["To"] == "wants.mail@import.example.net"
    assert "/o/" in mailbox.text_of(message)


def test_coordinates_and_time_zone_columns_place_a_town_the_geocoder_does_not_know(tmp_path, campaign):
    row = good_row(
        campaign,
        city="Kleinwasserdorf",
        latitude="52.61",
        longitude="13.55",
        timezone="Europe/Berlin",
        location_precision="km",
        venue="Village pond",
    )
    path = write_csv(tmp_path, [row])

    _out, _err, error = run(path, campaign)

    assert error is None
    action = Action.objects.get()
    assert (action.city, action.latitude, action.longitude) == ("Kleinwasserdorf", 52.61, 13.55)
    assert action.timezone == "Europe/Berlin" and action.geonameid is None
    assert action.location_precision == "km" and action.venue == "Village pond"
    assert (action.public_latitude, action.public_longitude) != (52.61, 13.55)


def test_an_aware_start_is_converted_to_the_actions_zone(tmp_path, campaign):
    start = dt.datetime.fromisoformat(f"{day(campaign, 5)}T12:00+00:00")
    row = good_row(campaign, start=start.isoformat(), end=(start + dt.timedelta(hours=2)).isoformat())
    path = write_csv(tmp_path, [row])

    run(path, campaign)

    action = Action.objects.get()
    assert action.starts_at == start and action.timezone == "Europe/Berlin"


def test_missing_required_columns_refuse_the_whole_file(tmp_path, campaign):
    path = write_csv(tmp_path, [{"title": "Stand", "city": "Berlin"}])

    _out, _err, error = run(path, campaign)

    assert (
        error is not None
        and "lacks the required columns: type, start, end, country, contact_email" in str(error)
    )
    assert not Action.objects.exists()


def test_a_row_with_too_many_cells_is_rejected(tmp_path, campaign):
    path = tmp_path / "ragged.csv"
    good = good_row(campaign)
    path.write_text(
        ",".join(HEADER) + "\n" + ",".join(good[column] for column in HEADER) + ",extra\n", encoding="utf-8"
    )

    out, _err, error = run(str(path), campaign)

    assert error is not None
    assert rejected_lines(out) == {2: "The row does not have as many cells as the header."}


def test_unknown_campaign_or_file_is_a_clear_error(tmp_path, campaign):
    with pytest.raises(CommandError, match="no campaign with the slug 'nope'"):
        call_command("import_actions", str(tmp_path / "x.csv"), "--campaign", "nope", stdout=io.StringIO())
    with pytest.raises(CommandError, match="Cannot read"):
        call_command(
            "import_actions", str(tmp_path / "missing.csv"), "--campaign", campaign.slug, stdout=io.StringIO()
        )


def test_existing_actions_from_the_form_are_never_taken_for_imported_rows(tmp_path, campaign):
    ActionFactory(campaign=campaign, title="Water stand at the market")
    path = write_csv(tmp_path, [good_row(campaign)])

    _out, _err, error = run(path, campaign)

    assert error is None and Action.objects.filter(campaign=campaign).count() == 2


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_draws_on_a_terminal_and_stays_silent_elsewhere():
    terminal, log = FakeTerminal(), io.StringIO()
    for stream in (terminal, log):
        bar = ProgressBar(3, OutputWrapper(stream))
        for _ in range(3):
            bar.advance()
        bar.close()

    assert "100% 3/3 rows" in terminal.getvalue() and terminal.getvalue().endswith("\n")
    assert log.getvalue() == ""


def test_help_documents_the_columns_and_that_organizers_are_not_emailed():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    result = subprocess.run(
        [sys.executable, "-m", "groundswell", "import-actions", "--help"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    for word in ("contact_email", "external_id", "location_precision", "--dry-run", "--notify-organizers"):
        assert word in result.stdout
    assert "NOT emailed" in result.stdout
