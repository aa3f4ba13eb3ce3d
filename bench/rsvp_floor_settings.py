"""bench/rsvp.py's server settings: the app's own, with the URLs of bench/rsvp_floor.py (the app's, plus the
benchmark's floor view)."""

from groundswell.settings import *  # noqa: F403 -- the app's settings, unchanged

ROOT_URLCONF = "rsvp_floor"
