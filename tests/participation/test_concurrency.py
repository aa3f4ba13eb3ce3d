"""Many RSVPs at once, duplicates included: one row per person, counts equal to the confirmed rows, and
no overbooking. Each thread has its own database connection, as each server thread does."""

import random
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from groundswell.participation.models import RSVP
from groundswell.participation.selectors import rsvp_counts
from groundswell.participation.services import RSVPInput, rsvp_confirm, rsvp_submit
from tests.factories import ActionFactory

THREADS = 8


def _run_in_threads(jobs):
    """Runs each job in one of THREADS threads, all released together; returns results and errors."""
    results, errors, lock = [], [], threading.Lock()
    queue = list(jobs)
    start = threading.Barrier(THREADS)

    def worker():
        start.wait()
        try:
            while True:
                with lock:
                    if not queue:
                        return
                    job = queue.pop()
                try:
                    outcome = job()
                except ValidationError as error:
                    outcome = error
                with lock:
                    results.append(outcome)
        except Exception as error:  # noqa: BLE001 -- reported by the test below, not swallowed
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_parallel_rsvps_with_duplicates_give_one_row_per_person_and_exact_counts():
    action = ActionFactory()
    people = [f"person{n}@private.example.org" for n in range(30)]
    jobs = []
    for n, email in enumerate(people):
        # Each person sends the form twice (a double click: same submission id) and once more later.
        for submission in (f"form-{n}", f"form-{n}", f"again-{n}"):
            data = RSVPInput(
                email=email.upper() if n % 3 == 0 else email, party_size=1 + n % 3, submission_id=submission
            )
            jobs.append(lambda data=data: rsvp_submit(action=action, data=data))
    random.Random(4).shuffle(jobs)

    results, errors = _run_in_threads(jobs)

    assert errors == []
    assert not [r for r in results if isinstance(r, ValidationError)]
    assert RSVP.objects.filter(action=action).count() == len(people)
    assert sorted(RSVP.objects.values_list("email", flat=True)) == sorted(people)

    # Everyone confirms, some twice at once.
    rsvps = list(RSVP.objects.filter(action=action))
    results, errors = _run_in_threads([lambda r=r: rsvp_confirm(rsvp=r) for r in rsvps + rsvps[:10]])
    assert errors == []
    confirmed = RSVP.objects.filter(action=action, status="confirmed")
    assert confirmed.count() == len(people)
    counts = rsvp_counts(action)
    assert counts["rsvps"] == confirmed.count()
    assert counts["people"] == sum(confirmed.values_list("party_size", flat=True))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_parallel_confirmations_never_overbook_the_capacity(round_):
    action = ActionFactory(capacity=10)
    rsvps = [
        rsvp_submit(
            action=action, data=RSVPInput(email=f"guest{n}@private.example.org", party_size=1 + n % 2)
        )
        for n in range(24)
    ]

    results, errors = _run_in_threads([lambda r=r: rsvp_confirm(rsvp=r) for r in rsvps])

    assert errors == []
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert refused and all("place" in " ".join(e.messages) or "full" in " ".join(e.messages) for e in refused)
    people = rsvp_counts(action)["people"]
    assert people <= 10
    # Full means full: the places left could not fit the smallest party that was refused.
    assert people >= 9
