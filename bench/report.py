"""Benchmark (not a test): the public campaign report at 2,000 and 20,000 actions.

    .venv/bin/python bench/report.py [--sizes 2000,20000] [--runs 5]

For each size, a throwaway ``GROUNDSWELL_DATA_DIR`` with a freshly migrated SQLite database and
``demo_load(actions=N)`` (which adds report-backs on the actions already past, photos and incidents); then,
in a separate process with Django loaded, through Django's test client (the whole middleware stack, no
network), the median of --runs:

  build ms      ``campaign_report`` read afresh from the database (every query, no cache)
  cold ms       GET /c/clean-water/report/ with the cache emptied first (build + render)
  warm ms       the same page with the report's data in the cache (render only)
  json ms       GET /c/clean-water/report.json, cache emptied first
  csv ms        GET /c/clean-water/report/actions.csv (streamed, every action that took place)

The baseline, in the same run on the same database: the campaign page /c/clean-water/ (the call, counts and
the first upcoming actions) cold and warm, and the export of all public actions /c/clean-water/export/
actions.csv, which the report's CSV resembles.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_SECRET_KEY = "bench-secret-key-not-for-production-0123456789abcdef"  # noqa: S105 -- throwaway
SLUG = "clean-water"


def child(task: str, size: int, runs: int) -> None:
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    from groundswell.core.page_cache import MEMO

    if task == "setup":
        call_command("migrate", interactive=False, verbosity=0)
        from groundswell.campaigns import demo

        demo.demo_load(actions=size)
        return

    from django.test import Client
    from django.utils import timezone

    from groundswell.campaigns.models import Campaign
    from groundswell.reports.selectors.report import campaign_report

    campaign = Campaign.objects.get(slug=SLUG)
    client = Client()

    def timed(function, *, clear: bool) -> float:
        samples = []
        for _ in range(runs):
            if clear:
                cache.clear()
                MEMO.clear()  # the documents this process keeps decoded too
            started = time.perf_counter()
            function()
            samples.append((time.perf_counter() - started) * 1000)
        return statistics.median(samples)

    def get(path):
        def run():
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            if response.streaming:
                b"".join(response.streaming_content)

        return run

    get(f"/c/{SLUG}/report/?lang=en")()  # warm: imports, templates
    result = {
        "build": timed(lambda: campaign_report(campaign=campaign, now=timezone.now()), clear=False),
        "cold": timed(get(f"/c/{SLUG}/report/?lang=en"), clear=True),
        "warm": timed(get(f"/c/{SLUG}/report/?lang=en"), clear=False),
        "json": timed(get(f"/c/{SLUG}/report.json"), clear=True),
        "csv": timed(get(f"/c/{SLUG}/report/actions.csv"), clear=False),
        "base_cold": timed(get(f"/c/{SLUG}/?lang=en"), clear=True),
        "base_warm": timed(get(f"/c/{SLUG}/?lang=en"), clear=False),
        "base_csv": timed(get(f"/c/{SLUG}/export/actions.csv"), clear=False),
    }
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="2000,20000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", nargs=2)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]), args.runs)
        return
    print(f"report: median of {args.runs} runs, SQLite, Django's test client ({os.cpu_count()} cores)")
    print(
        f"{'actions':>8}{'build ms':>10}{'cold ms':>9}{'warm ms':>9}{'json ms':>9}{'csv ms':>8}"
        f" | baseline: {'campaign cold':>13}{'warm':>7}{'export csv':>11}"
    )
    for size in [int(value) for value in args.sizes.split(",")]:
        data_dir = tempfile.mkdtemp(prefix="groundswell-bench-report-")
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "groundswell.settings",
            "SECRET_KEY": BENCH_SECRET_KEY,
            "GROUNDSWELL_DATA_DIR": data_dir,
            "GROUNDSWELL_TASKS": "immediate",
            "ALLOWED_HOSTS": "testserver",
            "GROUNDSWELL_STATIC_MANIFEST": "0",
        }
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        for task in ("setup", "measure"):
            command = [sys.executable, __file__, "--runs", str(args.runs), "--child", task, str(size)]
            out = subprocess.run(command, env=env, check=True, capture_output=True, text=True, cwd=ROOT)  # noqa: S603
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{size:>8}{r['build']:>10.0f}{r['cold']:>9.0f}{r['warm']:>9.1f}{r['json']:>9.0f}{r['csv']:>8.0f}"
            f" | {'':>10}{r['base_cold']:>13.0f}{r['base_warm']:>7.1f}{r['base_csv']:>11.0f}"
        )


if __name__ == "__main__":
    main()
