"""Benchmark (not a test): the campaign map with 1,000, 10,000 and 100,000 actions.

    .venv/bin/python bench/map.py [--sizes 1000,10000,100000] [--runs 5] [--no-browser]

For each size: a throwaway ``GROUNDSWELL_DATA_DIR`` with a freshly migrated SQLite database, collected static
files and ``demo_load(actions=N)``; then, in a separate process with Django loaded,

  raw KB, gz KB     the body of ``/c/clean-water/map/data.json`` (all actions), and gzipped (what is sent to a
                    browser that accepts gzip, which every browser does)
  cold ms           the request with the cache empty: query, columns, JSON, gzip, cache write
  cached ms         the same request answered from the cache (median of --runs)
  304 ms            the same request with the ETag in If-None-Match (median of --runs)

through Django's test client (the whole middleware stack, no network), and finally, with
``groundswell serve --no-worker`` (gunicorn, 2 workers) on 127.0.0.1 and Debian's Chromium (headless,
1280x900, a new browser context each time so nothing is cached in the browser):

  ready ms          navigation start until map.js has drawn the first clusters (its data-ready-ms), with the
                    server's cache emptied first ("cold") and then the median of --runs with it warm
  data ms           when the data.json response had fully arrived (Resource Timing), same runs
  index ms          parsing the columns and building the supercluster index (map-data.js's performance marks)

The baseline, computed in the same run from the same rows: one GeoJSON Feature per action with the same
fields (id, type, day, cancelled) and the same rounding, as a FeatureCollection, raw and gzipped.
"""

import argparse
import gzip
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_SECRET_KEY = "bench-secret-key-not-for-production-0123456789abcdef"  # noqa: S105 -- throwaway
CHROMIUM = "/usr/bin/chromium"
SLUG = "clean-water"


# --- the child: Django loaded, one data folder ----------------------------------------------------------


def child(task: str, size: int, runs: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    if task == "setup":
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        from groundswell.campaigns import demo

        started = time.perf_counter()
        demo.demo_load(actions=size)
        print(json.dumps({"load_s": time.perf_counter() - started}))
        return
    print(json.dumps(_server_timings(runs)))


def _server_timings(runs: int) -> dict:
    from django.core.cache import cache
    from django.test import Client

    from groundswell.actions.filters import ActionFilters
    from groundswell.actions.map_data import map_points
    from groundswell.campaigns.models import Campaign

    client = Client(HTTP_HOST="127.0.0.1")
    url = f"/c/{SLUG}/map/data.json"

    def timed(**headers):
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        elapsed = (time.perf_counter() - started) * 1000
        return response, elapsed

    client.get(f"/c/{SLUG}/")  # imports, URL resolver, translations: not what we measure
    cache.clear()
    response, cold_ms = timed(**{"accept-encoding": "gzip"})
    assert response.status_code == 200 and response["Content-Encoding"] == "gzip", response
    compressed = response.content
    raw = gzip.decompress(compressed)
    cached = [timed(**{"accept-encoding": "gzip"})[1] for _ in range(runs)]
    etag = response["ETag"]
    not_modified = []
    for _ in range(runs):
        response, elapsed = timed(**{"if-none-match": etag, "accept-encoding": "gzip"})
        assert response.status_code == 304
        not_modified.append(elapsed)

    # The baseline: the same rows as one GeoJSON Feature per action.
    campaign = Campaign.objects.get(slug=SLUG)
    data = map_points(campaign=campaign, filters=ActionFilters())
    features, pk = [], 0
    cancelled = set(data["cancelled"])
    for i in range(data["n"]):
        pk += data["id"][i]
        features.append(
            {
                "type": "Feature",
                "id": pk,
                "geometry": {"type": "Point", "coordinates": [data["lon"][i], data["lat"][i]]},
                "properties": {
                    "type": data["types"][data["type"][i]],
                    "day": data["days"][data["day"][i]],
                    "cancelled": i in cancelled,
                },
            }
        )
    geojson = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")).encode()
    return {
        "n": data["n"],
        "raw": len(raw),
        "gz": len(compressed),
        "cold_ms": cold_ms,
        "cached_ms": statistics.median(cached),
        "not_modified_ms": statistics.median(not_modified),
        "geojson_raw": len(geojson),
        "geojson_gz": len(gzip.compress(geojson, compresslevel=6)),
    }


# --- the parent -----------------------------------------------------------------------------------------


def _env(data_dir: str) -> dict:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="groundswell.settings", GROUNDSWELL_DATA_DIR=data_dir)
    env["SECRET_KEY"] = BENCH_SECRET_KEY
    env["GROUNDSWELL_TASKS"] = "immediate"
    env["GROUNDSWELL_LOG_LEVEL"] = "WARNING"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    for name in ("DATABASE_URL", "REDIS_URL", "GROUNDSWELL_MAP_TILE_URL"):
        env.pop(name, None)
    return env


def _run(env: dict, *args: str) -> dict:
    done = subprocess.run(  # noqa: S603 -- this same script, with fixed arguments
        [sys.executable, __file__, "--child", *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"child {args} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("groundswell serve stopped")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 -- our own server on loopback
                return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"groundswell serve did not answer at {url}")


def _browser_timings(env: dict, data_dir: str, runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 -- our own command, fixed arguments
        [str(Path(sys.executable).with_name("groundswell")), "serve", "--no-worker", "--port", str(port),
         "--workers", "2", "--threads", "4"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _wait_until_up(f"{base}/healthz", server)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
            )
            try:
                results = []
                for run in range(runs + 2):  # run 0: cold server cache; run 1: warm-up, not counted
                    if run == 0:
                        shutil.rmtree(Path(data_dir) / "cache", ignore_errors=True)
                    results.append(_one_page(browser, f"{base}/c/{SLUG}/map/"))
            finally:
                browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    warm = results[2:]
    return {
        "cold_ready_ms": results[0]["ready_ms"],
        "cold_data_ms": results[0]["data_ms"],
        "ready_ms": statistics.median(r["ready_ms"] for r in warm),
        "data_ms": statistics.median(r["data_ms"] for r in warm),
        "index_ms": statistics.median(r["index_ms"] for r in warm),
        "foreign": sorted({url for r in results for url in r["foreign"]}),
    }


def _one_page(browser, url: str) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(url)
    page.wait_for_selector(".gs-map[data-ready]", timeout=60_000)
    ready_ms = float(page.get_attribute(".gs-map", "data-ready-ms"))
    data_ms = page.evaluate(
        "performance.getEntriesByType('resource').filter(e => e.name.includes('/map/data.json'))"
        ".map(e => e.responseEnd)[0]"
    )
    marks = dict(page.evaluate("performance.getEntriesByType('mark').map(m => [m.name, m.startTime])"))
    clusters = page.locator(".gs-cluster").count()
    context.close()
    assert clusters > 0, "no clusters drawn"
    foreign = [u for u in requested if not u.startswith("http://127.0.0.1:") and not u.startswith("data:")]
    index_ms = marks["gs-map-index"] - marks["gs-map-data"]
    return {"ready_ms": ready_ms, "data_ms": data_ms, "index_ms": index_ms, "foreign": foreign}


def bench(sizes: list[int], runs: int, browser: bool) -> list[str]:
    head = (
        f"{'N':>9} {'raw KB':>8} {'gz KB':>7} {'cold ms':>8} {'cached ms':>10} {'304 ms':>7} "
        f"{'ready ms cold':>14} {'ready ms':>9} {'data ms':>8} {'index ms':>9} {'GeoJSON raw KB':>15} "
        f"{'GeoJSON gz KB':>14}"
    )
    lines = [head, "-" * len(head)]
    foreign = set()
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="groundswell-bench-map-") as data_dir:
            env = _env(data_dir)
            _run(env, "setup", str(size), str(runs))
            row = _run(env, "server", str(size), str(runs))
            timings = _browser_timings(env, data_dir, runs) if browser else {}
        foreign.update(timings.get("foreign", []))

        def ms(name, row=timings):
            return f"{row[name]:.0f}" if name in row else "-"

        lines.append(
            f"{row['n']:>9,} {row['raw'] / 1000:>8,.0f} {row['gz'] / 1000:>7,.0f} {row['cold_ms']:>8.0f} "
            f"{row['cached_ms']:>10.1f} {row['not_modified_ms']:>7.1f} {ms('cold_ready_ms'):>14} "
            f"{ms('ready_ms'):>9} {ms('data_ms'):>8} {ms('index_ms'):>9} {row['geojson_raw'] / 1000:>15,.0f} "
            f"{row['geojson_gz'] / 1000:>14,.0f}"
        )
        print(lines[-1], file=sys.stderr, flush=True)
    if browser:
        lines.append("")
        lines.append(
            f"requests to hosts other than 127.0.0.1: {len(foreign)}"
            + (f" {sorted(foreign)}" if foreign else "")
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated numbers of actions")
    parser.add_argument("--runs", type=int, default=5, help="repetitions for the medians (default 5)")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium measurements")
    parser.add_argument("--child", nargs=3, metavar=("TASK", "N", "RUNS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]), int(args.child[2]))
        return
    browser = not args.no_browser
    if browser and not os.path.exists(CHROMIUM):
        sys.exit(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium), or pass --no-browser")
    sizes = [int(size.replace("_", "")) for size in args.sizes.split(",")]
    import django

    print(
        f"groundswell map benchmark, {time.strftime('%Y-%m-%d %H:%M')}, Python {platform.python_version()}, "
        f"Django {django.get_version()}, SQLite, {os.cpu_count()} CPUs, {platform.machine()}"
    )
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}\n", flush=True)
    print("\n".join(bench(sizes, args.runs, browser)))


if __name__ == "__main__":
    main()
