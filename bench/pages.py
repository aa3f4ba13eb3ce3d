"""Benchmark (not a test): public pages and data served as shared documents, against their floors, with wrk.

    .venv/bin/python bench/pages.py [--actions 2000] [--duration 3] [--connections 32] [--json FILE]

A throwaway data folder (SQLite), migrated, ``demo_load(actions=N)``. Three servers on loopback, started by
this script and stopped at its end:

- the app: ``groundswell serve --no-worker --workers 3 --threads 4`` (gunicorn, every middleware);
- the floor: the same gunicorn, workers and threads, with settings that have no middleware and one view
  answering a body of the size asked for (``/floor/<bytes>``): what Django costs for a response of that size;
- nginx (Debian's), in front of the app with ``proxy_cache`` honouring our Cache-Control, and serving one
  static file itself: the floor of anything through nginx.

Each page is asked for once (it is then in our cache), then loaded by wrk (a separate process: ``-t2
-c<connections> -d<duration>s --latency``) directly and through nginx; its floors beside it: the trivial view
of the same byte size, and a static file of that size served by nginx itself. Reported: requests per second,
p50 and p99 latency, server CPU ms per request (gunicorn's processes, from /proc; nginx's for the nginx rows),
and the ratios to the floor (of the rates, and of the CPU costs). Then the memory
(RSS) of each gunicorn worker after all of it (well over 20,000 mixed requests).

Bounded: every wrk run lasts ``--duration`` seconds; the whole run a few minutes.
"""

import argparse
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-secret-key-not-for-production-0123456789abcdef"  # noqa: S105 -- a throwaway run
SLUG = "clean-water"
WORKERS, THREADS = 3, 4

NGINX_CONF = """
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    proxy_cache_path {dir}/nginx-cache levels=1:2 keys_zone=pages:10m max_size=200m inactive=10m;
    proxy_temp_path {dir}/nginx-temp;
    client_body_temp_path {dir}/nginx-body;
    fastcgi_temp_path {dir}/nginx-fastcgi;
    uwsgi_temp_path {dir}/nginx-uwsgi;
    scgi_temp_path {dir}/nginx-scgi;
    upstream app {{ server 127.0.0.1:{app_port}; keepalive 32; }}
    server {{
        listen 127.0.0.1:{port};
        location = /nginx-static.css {{ alias {static_file}; }}
        location /nginx-floor/ {{ alias {dir}/nginx-floor/; default_type text/html; }}
        location / {{
            proxy_pass http://app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_cache pages;
            proxy_cache_key $scheme$host$request_uri;
            proxy_cache_lock on;
            proxy_cache_use_stale updating error timeout;
            proxy_cache_background_update on;
            add_header X-Cache-Status $upstream_cache_status;
        }}
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def child_setup() -> None:
    """In the throwaway data folder: migrate, static files, the demo; prints what the run needs."""
    import django

    django.setup()
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.management import call_command

    from groundswell.actions.models import Action
    from groundswell.campaigns import demo

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    demo.demo_load(actions=int(os.environ["BENCH_ACTIONS"]))
    action = Action.objects.filter(campaign__slug=SLUG, status="approved").order_by("starts_at").first()
    print(
        json.dumps(
            {
                "action": action.pk,
                "country": str(action.country),
                "day": action.local_date.isoformat(),
                "static": staticfiles_storage.url("groundswell/css/site.css"),
            }
        )
    )


def pages(setup: dict) -> list[tuple[str, str]]:
    c, a = f"/c/{SLUG}", setup["action"]
    return [
        ("campaign page", f"{c}/?lang=en"),
        ("campaign page (fr)", f"{c}/?lang=fr"),
        ("action page", f"{c}/actions/{a}/?lang=en"),
        ("actions list", f"{c}/actions/?lang=en"),
        ("list, one country", f"{c}/actions/?country={setup['country']}&lang=en"),
        ("map page", f"{c}/map/?lang=en"),
        ("map data", f"{c}/map/data.json"),
        ("calendar", f"{c}/calendar/?lang=en"),
        ("calendar day", f"{c}/calendar/?day={setup['day']}&lang=en"),
        ("happening now", f"{c}/calendar/now/?lang=en"),
        ("signatories", f"{c}/signatories/?lang=en"),
        ("report", f"{c}/report/?lang=en"),
        ("report.json", f"{c}/report.json"),
        ("embed data", f"{c}/embed/data.json?lang=en"),
        ("Atom feed", f"/feeds/c/{SLUG}/actions.atom"),
        ("iCal feed", f"/feeds/c/{SLUG}/actions.ics"),
        ("API actions list", f"/api/v1/campaigns/{SLUG}/actions"),
        ("API campaign", f"/api/v1/campaigns/{SLUG}"),
    ]


def process_tree_cpu(pid: int) -> float:
    """CPU seconds used so far by ``pid`` and its descendants."""
    stats, children = {}, {}
    for path in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = path.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        child = int(path.parent.name)
        stats[child] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        children.setdefault(int(fields[1]), []).append(child)
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        total += stats.get(current, 0.0)
        todo += children.get(current, [])
    return total


def worker_rss_mb(pid: int) -> list[float]:
    """RSS of each gunicorn worker under ``pid`` (the processes below it with no children), in MB."""
    status, children = {}, {}
    for path in Path("/proc").glob("[0-9]*/status"):
        try:
            text = path.read_text()
        except OSError:
            continue
        status[int(path.parent.name)] = text
        parent = int(re.search(r"^PPid:\s+(\d+)", text, re.M).group(1))
        children.setdefault(parent, []).append(int(path.parent.name))
    workers, todo = [], list(children.get(pid, []))
    while todo:
        current = todo.pop()
        if current in children:
            todo.extend(children[current])
        else:
            workers.append(current)
    return sorted(int(re.search(r"^VmRSS:\s+(\d+)", status[w], re.M).group(1)) / 1024 for w in workers)


def wrk(url: str, *, duration: int, connections: int) -> dict:
    done = subprocess.run(  # noqa: S603 -- wrk on loopback, bounded by its duration
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-H", "Accept-Encoding: gzip", url],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=duration + 30,
    )
    out = done.stdout

    def latency(label: str) -> float:
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "requests": requests,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def measure(label: str, url: str, pid: int, args) -> dict:
    before = process_tree_cpu(pid)
    result = wrk(url, duration=args.duration, connections=args.connections)
    result["cpu_ms"] = (process_tree_cpu(pid) - before) * 1000 / max(result["requests"], 1)
    result["label"] = label
    return result


def body_size(url: str) -> int:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})  # noqa: S310 -- loopback
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 -- loopback
        return len(response.read())


def wait_until_up(url: str, process: subprocess.Popen) -> None:
    for _ in range(300):
        if process.poll() is not None:
            sys.exit(f"a server stopped: {url}")
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 -- loopback
                return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"nothing answers at {url}")


def row(result: dict, floor: dict | None = None) -> str:
    """One line: rates, latencies, CPU per request; against ``floor``, the ratio of the rates and of the CPU
    cost (the floor's CPU ms over this one's: the steadier figure on a shared machine)."""
    ratio = f"{result['rps'] / floor['rps']:.0%}" if floor else "-"
    cpu_ratio = f"{floor['cpu_ms'] / result['cpu_ms']:.0%}" if floor and result["cpu_ms"] else "-"
    return (
        f"{result['label']:<34} {result['rps']:>8.0f} {result['p50_ms']:>7.1f} {result['p99_ms']:>7.1f} "
        f"{result['cpu_ms']:>7.2f} {ratio:>7} {cpu_ratio:>7} {result['non_2xx']:>5}"
    )


def run(args, data_dir: str) -> dict:
    env = dict(os.environ, GROUNDSWELL_DATA_DIR=data_dir, SECRET_KEY=SECRET, GROUNDSWELL_LOG_LEVEL="WARNING")
    for name in ("DATABASE_URL", "REDIS_URL", "EMAIL_HOST", "GROUNDSWELL_DEBUG", "GROUNDSWELL_HTTPS"):
        env.pop(name, None)
    env.update(DJANGO_SETTINGS_MODULE="groundswell.settings", BENCH_ACTIONS=str(args.actions))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), str(ROOT / "bench")]))
    done = subprocess.run(  # noqa: S603 -- this script
        [sys.executable, __file__, "--child"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"setup failed:\n{done.stderr}")
    setup = json.loads(done.stdout.strip().splitlines()[-1])
    groundswell = str(Path(sys.executable).with_name("groundswell"))
    app_port, floor_port, nginx_port = free_port(), free_port(), free_port()
    serve = ["--workers", str(WORKERS), "--threads", str(THREADS)]
    app = subprocess.Popen(  # noqa: S603 -- our own command
        [groundswell, "serve", "--no-worker", "--host", "127.0.0.1", "--port", str(app_port), *serve],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    floor = subprocess.Popen(  # noqa: S603 -- gunicorn from our venv
        [
            gunicorn,
            "pages_floor:application",
            "--bind",
            f"127.0.0.1:{floor_port}",
            "--workers",
            str(WORKERS),
            "--threads",
            str(THREADS),
            "--worker-class",
            "gthread",
            # The same server as the app's (groundswell serve), its access log included.
            "--logger-class",
            "groundswell.core.gunicorn_logging.RedactingLogger",
            "--access-logfile",
            "-",
        ],  # fmt: skip
        env=env,
        cwd=ROOT / "bench",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    static_file = Path(data_dir) / "static" / setup["static"].removeprefix("/static/")
    (Path(data_dir) / "nginx-floor").mkdir()
    conf = Path(data_dir) / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(dir=data_dir, app_port=app_port, port=nginx_port, static_file=static_file)
    )
    nginx = subprocess.Popen(  # noqa: S603 -- Debian's nginx on loopback, in a throwaway prefix
        ["nginx", "-p", data_dir, "-c", str(conf), "-g", "daemon off;"],  # noqa: S607
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    results = {"pages": [], "floors": {}}
    try:
        app_url, floor_url, nginx_url = (f"http://127.0.0.1:{p}" for p in (app_port, floor_port, nginx_port))
        wait_until_up(f"{app_url}/healthz", app)
        wait_until_up(f"{floor_url}/floor/10", floor)
        wait_until_up(f"{nginx_url}/nginx-static.css", nginx)
        print(
            f"{'':<34} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'CPU ms':>7} {'/floor':>7} {'CPU/fl':>7} "
            f"{'!2xx':>5}"
        )
        static = measure("static file (whitenoise)", f"{app_url}{setup['static']}", app.pid, args)
        nginx_static = measure("static file (nginx)", f"{nginx_url}/nginx-static.css", nginx.pid, args)
        results["floors"] = {"whitenoise": static, "nginx_static": nginx_static}
        print(row(static))
        print(row(nginx_static))
        for label, path in pages(setup):
            size = body_size(app_url + path)  # also puts the page in our cache
            body_size(nginx_url + path)  # and in nginx's
            page_floor = measure(
                f"  floor: trivial view, {size:,} B", f"{floor_url}/floor/{size}", floor.pid, args
            )
            direct = measure(label, app_url + path, app.pid, args)
            # nginx's floor for this page: a static file of the same size, served by nginx itself.
            (Path(data_dir) / "nginx-floor" / f"{size}.html").write_bytes(b"x" * size)
            nginx_floor = measure(
                f"  floor: nginx static, {size:,} B", f"{nginx_url}/nginx-floor/{size}.html", nginx.pid, args
            )
            through = measure(f"{label}, through nginx", nginx_url + path, nginx.pid, args)
            print(row(page_floor))
            print(row(direct, page_floor))
            print(row(nginx_floor))
            print(row(through, nginx_floor))
            results["pages"].append(
                {
                    "path": path,
                    "bytes": size,
                    "floor": page_floor,
                    "app": direct,
                    "nginx_floor": nginx_floor,
                    "nginx": through,
                }  # fmt: skip
            )
        rss = worker_rss_mb(app.pid)
        total = sum(p["app"]["requests"] + p["nginx"]["requests"] for p in results["pages"])
        results["memory"] = {"requests_served": total, "worker_rss_mb": rss}
        shown = ", ".join(f"{size:.0f}" for size in rss)
        print(f"\nafter {total:,} requests (and nginx's share): gunicorn workers' RSS {shown} MB")
    finally:
        for process in (app, floor, nginx):
            process.terminate()
        for process in (app, floor, nginx):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actions", type=int, default=2000)
    parser.add_argument("--duration", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--json", help="also write the figures to this file (bench/results.json's 'pages')")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_setup()
        return
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed (apt-get install {tool})")
    print(
        f"groundswell pages benchmark, {time.strftime('%Y-%m-%d %H:%M')}, "
        f"Python {platform.python_version()}, "
    )
    print(
        f"{os.cpu_count()} CPUs; demo with {args.actions:,} actions on SQLite; gunicorn {WORKERS}x{THREADS}"
    )
    print(f"command: python bench/pages.py {' '.join(sys.argv[1:])}\n")
    data_dir = tempfile.mkdtemp(prefix="groundswell-bench-pages-")
    # nginx's workers (another user when started as root) read the static file.
    os.chmod(data_dir, 0o755)  # noqa: S103 -- a throwaway folder of public static files and a demo
    try:
        results = run(args, data_dir)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    if args.json:
        path = Path(args.json)
        existing = json.loads(path.read_text()) if path.exists() else {}
        existing["pages"] = {"when": time.strftime("%Y-%m-%d %H:%M"), "actions": args.actions, **results}
        path.write_text(json.dumps(existing, indent=1))


if __name__ == "__main__":
    main()
