import datetime as dt

import pytest

from groundswell.participation.services import RSVPInput


@pytest.fixture
def submit_input():
    def make(email="river.walker@private.example.org", **overrides):
        values = {
            "email": email,
            "name": "River Walker",
            "party_size": 2,
            "language": "en",
            "submission_id": "",
        }
        values.update(overrides)
        return RSVPInput(**values)

    return make


def before_start(action, **delta) -> dt.datetime:
    """An instant before the action starts, for services that take ``now``."""
    return action.starts_at - dt.timedelta(**delta)
