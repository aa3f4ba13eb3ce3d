"""Benchmark (not a test): how fast ``groundswell demo`` loads 1,000, 10,000 and 100,000 actions.

    .venv/bin/python bench/demo_load.py [--sizes 1000,10000,100000] [--postgres postgres://user@host:5432/db]

Each measurement runs in its own Python process (so its peak RSS is its own), with
``DJANGO_SETTINGS_MODULE=groundswell.settings`` and a throwaway ``GROUNDSWELL_DATA_DIR`` in a temporary folder
holding a freshly migrated SQLite database.  With ``--postgres URL`` the same runs again on a throwaway
database created on that server (and dropped afterwards); the database named in the URL is only used to
connect.

Columns:
  load s      ``demo_load(actions=N)`` with the geocoder already in memory: generating the actions and
              inserting them with ``bulk_create`` in one transaction, plus the campaign, call, organizations
  actions/s   N / load s
  reset s     deleting the previous demo first (what ``--reset`` adds)
  process s   the whole process, as ``groundswell demo --reset --actions N`` would take: start-up, Django,
              the geocoder's first load, reset and load
  peak RSS    the process's peak resident memory; "before" is after Django and the geocoder are loaded

The baseline rows insert 1,000 of the same actions one by one with ``Action.objects.create``, once with each
insert committed on its own (autocommit, as a naive loop would) and once inside one transaction.  Their
actions are generated before the clock starts, so they flatter the baseline a little.
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_SECRET_KEY = "bench-secret-key-not-for-production-0123456789abcdef"  # noqa: S105 -- throwaway


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the child: one measurement in a fresh process -------------------------------------------------------


def child(task: str, size: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    if task == "migrate":
        call_command("migrate", interactive=False, verbosity=0)
        from django.db import connection

        print(json.dumps({"vendor": connection.vendor, "server": _server_version(connection)}))
        return

    from groundswell.campaigns import demo
    from groundswell.core import geocoding

    geocoding.preload()
    before = _rss_mb()
    started = time.perf_counter()
    demo.demo_delete()
    reset_s = time.perf_counter() - started
    if task == "load":
        started = time.perf_counter()
        result = demo.demo_load(actions=size)
        load_s = time.perf_counter() - started
        assert result.created and result.approved == size, result
        print(json.dumps({"load_s": load_s, "reset_s": reset_s, "before_mb": before, "peak_mb": _peak_mb()}))
    else:
        print(json.dumps(_baseline(size) | {"before_mb": before, "peak_mb": _peak_mb()}))


def _server_version(connection) -> str:
    with connection.cursor() as cursor:
        cursor.execute("select sqlite_version()" if connection.vendor == "sqlite" else "show server_version")
        return cursor.fetchone()[0]


def _baseline(size: int) -> dict:
    import random

    from django.db import transaction

    from groundswell.actions.models import Action
    from groundswell.campaigns import demo
    from groundswell.organizations.models import Organization

    result = demo.demo_load(actions=0)
    campaign = result.campaign
    organizations = list(Organization.objects.filter(endorsements__campaign=campaign))
    days = [day.date for day in campaign.days_of_action.all()]
    fields = [f.attname for f in Action._meta.concrete_fields if not f.primary_key]

    def rows(seed: int) -> list[dict]:
        generated = demo._approved_actions(
            campaign, demo._world(), organizations, days, size, random.Random(seed)
        )
        return [{name: getattr(action, name) for name in fields} for action in generated]

    timings = {}
    for label, seed in (("autocommit", 1), ("one_transaction", 2)):
        batch = rows(seed)
        started = time.perf_counter()
        if label == "autocommit":
            for row in batch:
                Action.objects.create(**row)
        else:
            with transaction.atomic():
                for row in batch:
                    Action.objects.create(**row)
        timings[label] = time.perf_counter() - started
    assert Action.objects.filter(campaign=campaign, status=Action.Status.APPROVED).count() == 2 * size
    return timings


# --- the parent: runs the children and prints the table ---------------------------------------------------


def _run(env: dict, *args: str) -> tuple[dict, float]:
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 -- this same script, with fixed arguments
        [sys.executable, __file__, "--child", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"child {args} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1]), elapsed


def bench(label: str, database_url: str | None, sizes: list[int], baseline: int) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="groundswell-bench-") as data_dir:
        return _bench(label, database_url, sizes, baseline, data_dir)


def _bench(label: str, database_url: str | None, sizes: list[int], baseline: int, data_dir: str) -> list[str]:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="groundswell.settings", GROUNDSWELL_DATA_DIR=data_dir)
    env["SECRET_KEY"] = BENCH_SECRET_KEY
    env["GROUNDSWELL_TASKS"] = "immediate"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    info, _ = _run(env, "migrate", "0")
    lines = [f"{label} ({info['vendor']} {info['server']})"]
    head = (
        f"{'N':>9} {'load s':>8} {'actions/s':>10} {'reset s':>8} {'process s':>10} {'peak RSS MB':>12} "
        f"{'before MB':>10}"
    )
    lines += [head, "-" * len(head)]
    for size in sizes:
        row, elapsed = _run(env, "load", str(size))
        lines.append(
            f"{size:>9,} {row['load_s']:>8.2f} {size / row['load_s']:>10,.0f} {row['reset_s']:>8.2f} "
            f"{elapsed:>10.2f} {row['peak_mb']:>12.0f} {row['before_mb']:>10.0f}"
        )
    row, elapsed = _run(env, "baseline", str(baseline))
    for name in ("autocommit", "one_transaction"):
        title = f"create() x{baseline:,}, {name.replace('_', ' ')}"
        lines.append(f"{title:<40} {row[name]:>8.2f} s {baseline / row[name]:>10,.0f} actions/s")
    lines.append("")
    return lines


def _throwaway_postgres(url: str):
    """Creates an empty database next to the one in ``url``; returns its URL and a function dropping it."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = f"groundswell_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(parts._replace(path=f"/{name}")), drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated numbers of actions")
    parser.add_argument(
        "--baseline", type=int, default=1000, help="actions inserted one by one (default 1000)"
    )
    parser.add_argument("--postgres", metavar="URL", help="also run on a throwaway database on this server")
    parser.add_argument("--child", nargs=2, metavar=("TASK", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return
    sizes = [int(size.replace("_", "")) for size in args.sizes.split(",")]
    import django

    print(
        f"groundswell demo load benchmark, {time.strftime('%Y-%m-%d %H:%M')}, "
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"{os.cpu_count()} CPUs, {platform.machine()}"
    )
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}\n")
    print("\n".join(bench("SQLite", None, sizes, args.baseline)), flush=True)
    if args.postgres:
        url, drop = _throwaway_postgres(args.postgres)
        try:
            print("\n".join(bench("PostgreSQL", url, sizes, args.baseline)), flush=True)
        finally:
            drop()


if __name__ == "__main__":
    main()
