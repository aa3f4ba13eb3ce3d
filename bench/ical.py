"""Benchmark (not a test): building the campaign's iCalendar feed with the `icalendar` package.

    .venv/bin/python bench/ical.py [--sizes 1000,10000]

For each size: a throwaway data folder with a migrated SQLite database and ``demo_load(actions=N)``; then the
campaign feed (every public action) and the largest country's feed are built as the view builds them
(``feeds._build_feed``), and timed; raw and gzipped sizes and the process's peak memory are printed. Then the
view itself through Django's test client: the first request (builds and caches), a cached one, and a 304.

The baseline, in the same run from the same rows: the same fields (uid, title, start and end in the zone,
place, public point, status, URL) written as JSON with ``json.dumps``: what serializing those rows costs
without iCalendar's object model.
"""

import argparse
import gzip
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_SECRET_KEY = "bench-secret-key-not-for-production-0123456789abcdef"  # noqa: S105 -- throwaway


def child(size: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Count
    from django.test import Client
    from django.utils import translation

    call_command("migrate", interactive=False, verbosity=0)
    from groundswell.actions.models import Action
    from groundswell.campaigns import demo
    from groundswell.campaigns.models import Campaign
    from groundswell.public.views import feeds

    started = time.perf_counter()
    demo.demo_load(actions=size)
    print(f"  demo_load({size:,}): {time.perf_counter() - started:.1f} s")
    campaign = Campaign.objects.get(slug=demo.DEMO_SLUG)
    top = (
        Action.objects.filter(campaign=campaign)
        .values("country")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )

    def peak_mb() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    with translation.override("en"):
        for country, label in (
            ("", "campaign feed"),
            (top["country"], f"{top['country']} feed ({top['n']:,})"),
        ):
            started = time.perf_counter()
            body = feeds._build_feed(campaign=campaign, country=country, name="Bench", uid="bench@example")
            built = time.perf_counter() - started
            packed = gzip.compress(body, compresslevel=6, mtime=0)
            per_event = built / max(1, body.count(b"BEGIN:VEVENT")) * 1e6
            print(
                f"  {label:<22} build {built:7.2f} s ({per_event:6.0f} µs"
                f" per event)  {len(body) / 2**20:6.1f} MB raw  {len(packed) / 2**20:5.2f} MB gz  "
                f"peak {peak_mb():.0f} MB"
            )
        rows = Action.objects.filter(campaign=campaign, status="approved").select_related("campaign")
        started = time.perf_counter()
        data = json.dumps(
            [
                {
                    "uid": f"action-{a.pk}@bench",
                    "title": a.title,
                    "start": a.starts_at.isoformat(),
                    "end": a.ends_at.isoformat(),
                    "zone": a.timezone,
                    "place": a.public_place,
                    "geo": [a.public_latitude, a.public_longitude],
                    "status": a.status,
                    "url": a.get_absolute_url(),
                }
                for a in rows
            ]
        ).encode()
        took = time.perf_counter() - started
        print(f"  {'baseline: JSON':<22} build {took:7.2f} s  {len(data) / 2**20:6.1f} MB raw")
    client = Client(HTTP_ACCEPT_ENCODING="gzip")
    url = f"/feeds/c/{campaign.slug}/actions.ics?lang=en"
    for label in ("first request (builds)", "cached request"):
        started = time.perf_counter()
        response = client.get(url)
        print(f"  {label:<22} {response.status_code} in {time.perf_counter() - started:.3f} s")
    started = time.perf_counter()
    response = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    print(f"  {'If-None-Match':<22} {response.status_code} in {time.perf_counter() - started:.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    print(
        f"groundswell iCalendar benchmark, {time.strftime('%Y-%m-%d %H:%M')}, "
        f"Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; command: {' '.join(sys.argv)}"
    )
    for size in [int(s) for s in args.sizes.split(",")]:
        print(f"{size:,} actions (SQLite):")
        with tempfile.TemporaryDirectory(prefix="groundswell-bench-ical-") as data_dir:
            env = {
                **os.environ,
                "GROUNDSWELL_DATA_DIR": data_dir,
                "SECRET_KEY": BENCH_SECRET_KEY,
                "DJANGO_SETTINGS_MODULE": "groundswell.settings",
                "ALLOWED_HOSTS": "testserver",
                "GROUNDSWELL_STATIC_MANIFEST": "0",
            }
            env.pop("DATABASE_URL", None)
            subprocess.run(  # noqa: S603 -- our own interpreter and script
                [sys.executable, __file__, "--child", str(size)], env=env, check=True, cwd=ROOT
            )


if __name__ == "__main__":
    main()
