"""Benchmark (not a test): how the uncached cost of each public read grows with the campaign.

    PYTHONPATH=src .venv/bin/python bench/growth.py [--sizes 1000,10000,100000] [--runs 3]
        [--postgres postgres://postgres@127.0.0.1:5432/test [--no-sqlite]] [--only campaign,list,...]
        [--budget 900]

For each size, a throwaway ``GROUNDSWELL_DATA_DIR`` holding a freshly migrated SQLite database (with
``--postgres URL``, also a throwaway database created next to the one in URL and dropped afterwards)
loaded with ``demo_load(actions=N)`` (on PostgreSQL followed by VACUUM ANALYZE, as autovacuum would do
shortly after such a load; SQLite keeps no statistics unless told to, and gets none). Then, in a separate
process with Django loaded, each page is fetched through Django's test client (the whole middleware
stack, no network) with every cache emptied before each request, after one request of each page that is
not counted (a process's first request of a kind imports modules, compiles templates and fills
per-process caches), and the median of --runs is printed in milliseconds:

  campaign   /c/clean-water/                    the call, counts and the first upcoming actions by country
  list       /c/clean-water/actions/            every public action by country, first page
  map        /c/clean-water/map/data.json       every public action's point (gzipped columns)
  day        /c/clean-water/calendar/?day=D     the first day of action, first page, by local time
  stats      /dashboard/c/clean-water/statistics/   a coordinator's statistics (logged in)
  report     /c/clean-water/report/             the public campaign report
  atom       /feeds/c/clean-water/actions.atom  the newest 50 approved actions
  ics        /feeds/c/clean-water/actions.ics   every public action as iCalendar (built, then gzipped)
  api        /api/v1/campaigns/clean-water/actions   the API's first page

The process's own caches stay warm across runs (the iCalendar VTIMEZONEs, computed once per zone and
process, and the geocoder); "ics 1st" is the uncounted first build, which also computes them.
Pages are measured one after the other within --budget seconds per size; a page that would not fit is
left out and marked "-". The table ends with each page's ratio of its time at the largest size to its
time at the smallest.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_SECRET_KEY = "bench-secret-key-not-for-production-0123456789abcdef"  # noqa: S105 -- throwaway
SLUG = "clean-water"
PAGES = ("campaign", "list", "map", "day", "stats", "report", "atom", "ics", "api")


def _urls(campaign) -> dict[str, str]:
    first_day = min(day.date for day in campaign.days_of_action.all())
    return {
        # Public pages carry their language in the URL (without it they redirect there).
        "campaign": f"/c/{SLUG}/?lang=en",
        "list": f"/c/{SLUG}/actions/?lang=en",
        "map": f"/c/{SLUG}/map/data.json",
        "day": f"/c/{SLUG}/calendar/?day={first_day.isoformat()}&lang=en",
        "stats": f"/dashboard/c/{SLUG}/statistics/",
        "report": f"/c/{SLUG}/report/?lang=en",
        "atom": f"/feeds/c/{SLUG}/actions.atom",
        "ics": f"/feeds/c/{SLUG}/actions.ics",
        "api": f"/api/v1/campaigns/{SLUG}/actions",
    }


# --- the child: one task in a fresh process --------------------------------------------------------------


def child(task: str, size: int, runs: int, pages: list[str], budget: float) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    if task == "setup":
        call_command("migrate", interactive=False, verbosity=0)
        from groundswell.campaigns import demo

        started = time.perf_counter()
        demo.demo_load(actions=size)
        loaded = time.perf_counter() - started
        from django.db import connection

        if connection.vendor == "postgresql":
            # What autovacuum does within a minute of a bulk load. Without statistics the planner takes
            # campaign = ? AND status = ? for a handful of rows and picks any index that starts with them.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        print(json.dumps({"load_s": loaded}))
        return

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.cache import caches
    from django.test import Client

    from groundswell.campaigns.models import Campaign
    from groundswell.core.page_cache import MEMO

    settings.ALLOWED_HOSTS = ["*"]
    campaign = Campaign.objects.get(slug=SLUG)
    urls = _urls(campaign)
    coordinator = get_user_model().objects.create_superuser(
        "bench-coordinator", "coordinator@example.org", uuid.uuid4().hex
    )
    deadline = time.monotonic() + budget
    results: dict[str, float | None] = {}

    def fetch(url: str, client: Client) -> float:
        for alias in caches:
            caches[alias].clear()
        MEMO.clear()  # and the documents this process keeps decoded: every request renders
        started = time.perf_counter()
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (url, response.status_code)
        return elapsed

    for page in pages:
        client = Client()
        if page == "stats":
            client.force_login(coordinator)
        if time.monotonic() > deadline:
            results[page] = None
            continue
        # One request first, not counted: the process's first one of a kind imports, compiles templates
        # and fills per-process caches (for the iCalendar feed, "ics 1st").
        first = fetch(urls[page], client)
        if page == "ics":
            results["ics 1st"] = first
        samples = []
        for _ in range(runs):
            if time.monotonic() > deadline:
                break
            samples.append(fetch(urls[page], client))
        results[page] = statistics.median(samples) if samples else None
    print(json.dumps(results))


# --- the parent: builds the databases, runs the children, prints the table ------------------------------


def _run(env: dict, task: str, size: int, args, *, timeout: float) -> dict:
    options = ["--runs", str(args.runs), "--only", args.only, "--budget", str(args.budget)]
    done = subprocess.run(  # noqa: S603 -- this same script, with fixed arguments
        [sys.executable, __file__, "--child", task, str(size), *options],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )
    if done.returncode:
        sys.exit(f"child {task} {size} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench(label: str, database_url: str | None, args) -> dict[int, dict]:
    results = {}
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="groundswell-growth-") as data_dir:
            env = dict(
                os.environ, DJANGO_SETTINGS_MODULE="groundswell.settings", GROUNDSWELL_DATA_DIR=data_dir
            )
            env.update(
                SECRET_KEY=BENCH_SECRET_KEY, GROUNDSWELL_TASKS="immediate", GROUNDSWELL_STATIC_MANIFEST="0"
            )
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
            env.pop("DATABASE_URL", None)
            url, drop = (database_url, None)
            if database_url:
                url, drop = _throwaway_postgres(database_url)
                env["DATABASE_URL"] = url
            try:
                Path(data_dir, "static").mkdir()
                loaded = _run(env, "setup", size, args, timeout=1800)
                row = _run(env, "measure", size, args, timeout=args.budget + 600)
            finally:
                if drop:
                    drop()
        row["load s"] = loaded["load_s"]
        results[size] = row
        print(f"  {label} {size:,} actions: loaded in {loaded['load_s']:.1f} s", file=sys.stderr, flush=True)
    return results


def table(label: str, results: dict[int, dict], pages: list[str]) -> list[str]:
    columns = [page for page in pages if page != "ics"] + (["ics 1st", "ics"] if "ics" in pages else [])
    head = f"{label:<12}" + "".join(f"{column:>10}" for column in columns)
    lines = [head, "-" * len(head)]

    def cell(value) -> str:
        return f"{value:>10.1f}" if value is not None else f"{'-':>10}"

    for size, row in results.items():
        lines.append(f"{size:>12,}" + "".join(cell(row.get(column)) for column in columns))
    if len(results) > 1:
        small, large = results[min(results)], results[max(results)]
        ratios = [
            f"{large[c] / small[c]:>9.1f}x" if large.get(c) and small.get(c) else f"{'-':>10}"
            for c in columns
        ]
        lines.append(f"{'ratio':>12}" + "".join(ratios))
    return lines


def _throwaway_postgres(url: str):
    """Creates an empty database next to the one in ``url``; returns its URL and a function dropping it."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = f"groundswell_bench_growth_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(parts._replace(path=f"/{name}")), drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated numbers of actions")
    parser.add_argument("--runs", type=int, default=3, help="requests per page; the median is shown")
    parser.add_argument(
        "--only", default=",".join(PAGES), help=f"comma-separated pages of {', '.join(PAGES)}"
    )
    parser.add_argument("--budget", type=float, default=900, help="seconds of measuring per size")
    parser.add_argument("--postgres", metavar="URL", help="also run on throwaway databases on this server")
    parser.add_argument("--no-sqlite", action="store_true", help="only PostgreSQL (with --postgres)")
    parser.add_argument("--child", nargs=2, metavar=("TASK", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    pages = [page for page in args.only.split(",") if page]
    if args.child:
        child(args.child[0], int(args.child[1]), args.runs, pages, args.budget)
        return
    args.sizes = [int(size.replace("_", "")) for size in args.sizes.split(",")]
    import django

    print(
        f"groundswell growth benchmark, {time.strftime('%Y-%m-%d %H:%M')}, "
        f"Python {platform.python_version()}, Django {django.get_version()}, {os.cpu_count()} CPUs, "
        f"{platform.machine()}, load average {os.getloadavg()[0]:.1f}"
    )
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"uncached latency in ms, median of {args.runs}\n", flush=True)
    if not args.no_sqlite:
        print("\n".join(table("SQLite", bench("SQLite", None, args), pages)), flush=True)
    if args.postgres:
        print()
        print("\n".join(table("PostgreSQL", bench("PostgreSQL", args.postgres, args), pages)), flush=True)


if __name__ == "__main__":
    main()
