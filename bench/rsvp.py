"""Benchmark (not a test): RSVPs per second through the public form over HTTP, and checks that none was lost
or doubled.

    .venv/bin/python bench/rsvp.py [--count 2000] [--concurrency 16] [--postgres URL [--database NAME]]
                                   [--keep]

A throwaway data folder (SQLite, or with --postgres a fresh database NAME, default groundswell_bench_rsvp, on
that server, dropped afterwards), migrated, ``demo_load(actions=200)``; 20 upcoming actions take the RSVPs.
``groundswell serve`` (SERVE's flags) runs on 127.0.0.1 with GROUNDSWELL_TASKS=database, no worker, no
EMAIL_HOST (each confirmation waits as a READY task row), rate limits raised (their counters still written).
--concurrency clients (own keep-alive connection and cookies) GET the RSVP form, take the CSRF token and
submission_id from the HTML and POST it; acknowledged = 302 to .../rsvp/sent/. ~10 % of the forms are a
person's second one (new submission_id, email in other letter case), ~10 % are POSTed twice (double click:
both at once; retry: after the answer). Half the forms go GET+POST, half are fetched first and only POSTed.
Baseline, same server and run: GET /healthz, POST of a one-row INSERT (a view only this benchmark's server
has: bench/rsvp_floor.py) and GET of the form page. Last, count/10 public action submissions (POST
/c/<slug>/actions/new/ with a city to geocode; the form fetched first, untimed). Then the database is read
directly; each check prints PASS or FAIL, and a FAIL makes the exit status 1. See docs/benchmarks-notes.md.
"""

import argparse
import dataclasses
import datetime as dt
import html
import http.client
import json
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

from rsvp_checks import _checks, _counts, _rows

ROOT = Path(__file__).resolve().parent.parent
BENCH_SECRET_KEY = "bench-secret-key-not-for-production-0123456789abcdef"  # noqa: S105 -- throwaway
SLUG = "clean-water"
DEMO_ACTIONS, PICKED_ACTIONS = 200, 20
PG_NAME = "groundswell_bench_rsvp"
FLOOR_PATH = "/bench-floor/insert/"  # only in this benchmark's server: bench/rsvp_floor.py
SERVE = ["serve", "--no-worker", "--workers", "2", "--threads", "4"]
LANGUAGES = ("en", "fr", "es", "de", "ar")
BACKENDS_SQL = (
    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
)


def child_setup() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from rsvp_floor import create_floor_table

    from groundswell.actions.models import Action
    from groundswell.campaigns import demo

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    create_floor_table()
    demo.demo_load(actions=DEMO_ACTIONS)
    soon = timezone.now() + dt.timedelta(hours=2)
    upcoming = Action.objects.filter(
        campaign__slug=SLUG, status=Action.Status.APPROVED, capacity=None, starts_at__gt=soon
    )
    ids = list(upcoming.order_by("starts_at", "pk").values_list("pk", flat=True)[:PICKED_ACTIONS])
    with connection.cursor() as cursor:
        cursor.execute("select sqlite_version()" if connection.vendor == "sqlite" else "show server_version")
        db = f"{connection.vendor} {cursor.fetchone()[0]}"
    day = upcoming.first().campaign.start_date + dt.timedelta(days=3)
    print(json.dumps({"actions": ids, "db": db, "day": day.isoformat()}))


# --- the visitors ---------------------------------------------------------------------------------------


class Client:
    """A browser, roughly: one keep-alive connection, its own cookies."""

    def __init__(self, port: int):
        self.port, self.cookies, self.conn, self.reconnects = port, {}, None, 0

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)

    def request(self, method: str, path: str, body: str | None = None, conn=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if conn is None:  # this client's own connection, else another one (a double click)
            conn = self.conn = self.conn or self.connection()
        try:
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
            except (http.client.RemoteDisconnected, ConnectionError):
                # The server closed an idle keep-alive connection: once more on a new one (counted, printed).
                conn.close()
                self.reconnects += 1
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
            data = response.read()
        except OSError as error:  # the "status" is then the exception's name
            conn.close()
            return type(error).__name__, "", b""
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location") or "", data

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()  # a closed HTTPConnection opens again on its next request


@dataclasses.dataclass
class Form:
    action: int
    email: str  # as typed
    second: bool  # the same person's second form to this action
    repost: str  # "", "double" (two POSTs at once) or "retry" (again after the answer)
    fields: dict
    csrf: str = ""
    submission_id: str = ""


class Tally:
    """What the clients of one phase saw (list.append is thread-safe)."""

    def __init__(self):
        self.get_ms, self.post_ms, self.errors, self.samples = [], [], [], []
        self.acks = []  # (action, email in lower case, submission_id)


def _form_path(action: int) -> str:
    return f"/c/{SLUG}/actions/{action}/rsvp/"


def _input(page: str, name: str) -> str:
    tag = next((tag for tag in re.findall(r"<input\b[^>]*>", page) if f'name="{name}"' in tag), "")
    value = re.search(r'value="([^"]*)"', tag)
    return html.unescape(value.group(1)) if value else ""


def _plan(count: int, clients: int, actions: list[int], phase: str, rng: random.Random) -> list[list[Form]]:
    plans = [[] for _ in range(clients)]
    for i in range(count):
        mine = plans[i % clients]
        firsts = [form for form in mine if not form.second]
        if firsts and rng.random() < 0.1:
            first = rng.choice(firsts)
            action, email, second = first.action, first.email.swapcase(), True
        else:
            email = "".join(rng.choice((c, c.upper())) for c in f"person-{phase}-{i}@bench.example.org")
            action, second = rng.choice(actions), False
        fields = {"name": f"Person {i}", "email": email, "party_size": rng.randint(1, 3), "homepage": ""}
        fields |= {"language": rng.choice(LANGUAGES)} | ({"share_with_organizer": "on"} if i % 2 else {})
        repost = rng.choices(["", "double", "retry"], weights=[90, 5, 5])[0]
        mine.append(Form(action, email, second, repost, fields))
    return plans


def _get_form(client: Client, form: Form, tally: Tally) -> bool:
    started = time.perf_counter()
    status, _, body = client.request("GET", _form_path(form.action))
    tally.get_ms.append((time.perf_counter() - started) * 1000)
    page = body.decode()
    # Public forms carry no CSRF token (the Origin is checked: core/csrf.py); an older one still might.
    form.csrf, form.submission_id = _input(page, "csrfmiddlewaretoken"), _input(page, "submission_id")
    if status != 200 or not form.submission_id:
        tally.errors.append(f"GET {status}" + (" without a form" if status == 200 else ""))
        return False
    return True


def _post(client: Client, form: Form, tally: Tally, conn=None) -> bool:
    body = urlencode({"csrfmiddlewaretoken": form.csrf, "submission_id": form.submission_id, **form.fields})
    started = time.perf_counter()
    status, location, answer = client.request("POST", _form_path(form.action), body, conn=conn)
    tally.post_ms.append((time.perf_counter() - started) * 1000)
    if status == 302 and location.endswith(f"{_form_path(form.action)}sent/"):
        return True
    tally.errors.append(f"POST {status}" + (f" to {location}" if status == 302 else ""))
    tally.samples.append(f"POST {status} {form.fields['email']}: {answer[:300]!r}")
    return False


def _submit(client: Client, form: Form, tally: Tally) -> None:
    answers = [False]
    if form.repost == "double":  # the second POST on a second connection, at the same time
        conn = client.connection()
        thread = threading.Thread(target=lambda: answers.append(_post(client, form, tally, conn)))
        thread.start()
        answers.append(_post(client, form, tally))
        thread.join()
        conn.close()
    else:
        answers += [_post(client, form, tally) for _ in range(2 if form.repost == "retry" else 1)]
    if any(answers):
        tally.acks.append((form.action, form.email.lower(), form.submission_id))


def _in_threads(target, items: list) -> float:
    started = time.perf_counter()
    with ThreadPoolExecutor(len(items)) as pool:
        list(pool.map(lambda args: target(*args), items))  # list(): raise what a thread raised
    return time.perf_counter() - started


def _write_phase(port: int, plans: list[list[Form]], prefetch: bool, cpu) -> tuple:
    clients, tally = [Client(port) for _ in plans], Tally()
    if prefetch:  # untimed: every form fetched first, the connections then closed
        fetched = Tally()

        def fetch(client, plan):
            plan[:] = [form for form in plan if _get_form(client, form, fetched)]
            client.close()

        _in_threads(fetch, list(zip(clients, plans, strict=True)))
        tally.errors += fetched.errors

    def run(client, plan):
        for form in plan:
            if prefetch or _get_form(client, form, tally):
                _submit(client, form, tally)
        client.close()

    before = cpu()
    wall = _in_threads(run, list(zip(clients, plans, strict=True)))
    return wall, tally, sum(client.reconnects for client in clients), _cpu_since(before, cpu())


def _read_phase(port: int, clients: int, paths: list[str], total: int, cpu, method: str = "GET") -> tuple:
    """``total`` requests (GETs, or empty POSTs) to ``paths`` in turn; any answer but 200/204 is an error."""
    times, errors = [], []

    def run(offset):
        client = Client(port)
        for i in range(offset, total, clients):
            started = time.perf_counter()
            status = client.request(method, paths[i % len(paths)], "" if method == "POST" else None)[0]
            times.append((time.perf_counter() - started) * 1000)
            if status not in (200, 204):
                errors.append(f"{method} {status}")
        client.close()

    before = cpu()
    wall = _in_threads(run, [(i,) for i in range(clients)])
    return wall, times, errors, _cpu_since(before, cpu())


# Unambiguous places for the submitted actions (geocoded by the form, as a person's would be).
PLACES = (
    ("Zürich", "CH"),
    ("Lyon", "FR"),
    ("Porto", "PT"),
    ("Graz", "AT"),
    ("Leeds", "GB"),
    ("Utrecht", "NL"),
)
ACTION_TITLE = "Bench vigil"


def _action_phase(port: int, clients: int, total: int, day: str, cpu) -> tuple:
    """``total`` public action submissions: each client thread first GETs the form (untimed, one keep-alive
    connection, its own cookies) once per submission it will make, then POSTs them all, timed."""
    new_path, sent_path = f"/c/{SLUG}/actions/new/", f"/c/{SLUG}/actions/new/thanks/"
    plans, times, errors = [], [], []

    def fetch(offset):
        client, tokens = Client(port), []
        for i in range(offset, total, clients):
            status, _, body = client.request("GET", new_path + "?lang=en")
            token = _input(body.decode(), "csrfmiddlewaretoken") if status == 200 else ""
            (tokens.append((i, token)) if status == 200 else errors.append(f"GET {status}"))
        client.close()
        plans.append((client, tokens))

    def post(client, tokens):
        for i, token in tokens:
            city, country = PLACES[i % len(PLACES)]
            fields = {
                "action_type": "vigil", "title": f"{ACTION_TITLE} {i}", "description": "Bring a candle.",
                "starts_local": f"{day}T18:00", "ends_local": f"{day}T20:00", "city": city,
                "country": country, "venue": "", "latitude": "", "longitude": "",
                "location_precision": "city", "host_name": "", "online_url": "", "homepage": "",
                "contact_email": f"organizer-{i}@bench.example.org", "csrfmiddlewaretoken": token,
            }  # fmt: skip
            started = time.perf_counter()
            status, location, _ = client.request("POST", new_path, urlencode(fields))
            times.append((time.perf_counter() - started) * 1000)
            if status != 302 or not location.endswith(sent_path):
                errors.append(f"POST {status}" + (f" to {location}" if status == 302 else ""))
        client.close()

    _in_threads(fetch, [(i,) for i in range(clients)])
    before = cpu()
    wall = _in_threads(post, plans)
    return wall, times, errors, _cpu_since(before, cpu())


def _cpu(server_pid: int, database_url: str | None) -> dict:
    """CPU seconds so far: the server's processes, the database's backends (PostgreSQL), this process (the
    clients), and the whole machine (from /proc/stat, all its CPUs: other work too)."""
    stats, children = {}, defaultdict(list)
    for path in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = path.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[int(path.parent.name)] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        children[int(fields[1])].append(int(path.parent.name))
    server, todo = [], [server_pid]
    while todo:
        server.append(todo.pop())
        todo += children[server[-1]]
    backends = []
    if database_url:
        backends = [pid for (pid,) in _rows(database_url, "", BACKENDS_SQL)]
    with open("/proc/stat") as handle:  # user nice system idle iowait irq softirq steal, in ticks
        ticks = [int(x) for x in handle.readline().split()[1:9]]
    return {
        "server": {pid: stats.get(pid, 0) for pid in server},
        "db": {pid: stats.get(pid, 0) for pid in backends},
        "client": {0: time.process_time()},
        "machine": {0: (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")},
    }


def _cpu_since(before: dict, after: dict) -> dict:
    return {name: sum(v - before[name].get(pid, 0) for pid, v in after[name].items()) for name in after}


def _row(label: str, n: int, wall: float, times: list, cpu: dict, errors: list, database_url) -> str:
    ms = {name: f"{seconds / n * 1000:.1f}" if n else "-" for name, seconds in cpu.items()}
    capacity = wall * (os.cpu_count() or 1)
    share = f"{(sum(cpu.values()) - cpu['machine']) / capacity:.0%}/{cpu['machine'] / capacity:.0%}"
    return (
        f"{label:<22} {n:>5} {n / wall:>6.1f} {_pct(times)} {ms['server']:>7} "
        f"{ms['db'] if database_url else '-':>6} {ms['client']:>7} {share:>9}  {_counts(errors)}"
    )


def _pct(values: list) -> str:
    if len(values) < 2:
        return f"{'-':>7} {'-':>7} {'-':>7}"
    q = statistics.quantiles(values, n=100, method="inclusive")
    return f"{q[49]:>7.1f} {q[94]:>7.1f} {q[98]:>7.1f}"


# --- the run ----------------------------------------------------------------------------------------------


def _env(data_dir: str, database_url: str | None) -> dict:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="rsvp_floor_settings", GROUNDSWELL_DATA_DIR=data_dir)
    for name in ("DATABASE_URL", "REDIS_URL", "EMAIL_HOST", "GROUNDSWELL_HTTPS", "GROUNDSWELL_DEBUG"):
        env.pop(name, None)
    env.update(SECRET_KEY=BENCH_SECRET_KEY, GROUNDSWELL_TASKS="database", GROUNDSWELL_LOG_LEVEL="WARNING")
    for name in ("GROUNDSWELL_SUBMISSIONS_PER_HOUR", "GROUNDSWELL_SUBMISSIONS_PER_EMAIL_PER_DAY"):
        env[name] = str(10**9)
    paths = [str(ROOT / "src"), str(ROOT / "bench"), env.get("PYTHONPATH")]
    env["PYTHONPATH"] = os.pathsep.join(filter(None, paths))
    return env | ({"DATABASE_URL": database_url} if database_url else {})


def _wait_until_up(port: int, server: subprocess.Popen) -> None:
    for _ in range(300):
        if server.poll() is not None:
            sys.exit("groundswell serve stopped")
        if Client(port).request("GET", "/healthz")[0] == 200:
            return
        time.sleep(0.2)
    sys.exit("groundswell serve did not answer /healthz")


def _measure(args, port: int, actions: list[int], day: str, cpu) -> tuple[list, list]:
    paths = [_form_path(action) for action in actions]
    # Warm-up, untimed: also a search near a city in each of the 16 clients' requests, so that every worker
    # has built its geocoding index (~1 s of CPU, once per process) before the action submissions.
    near = f"/c/{SLUG}/actions/?near_city=Lyon&near_country=FR&lang=en"
    _read_phase(port, args.concurrency, ["/healthz", near, *paths], 4 * args.concurrency, cpu)
    half = args.count // 2
    reads = [
        (label, _read_phase(port, args.concurrency, p, half, cpu, method))
        for label, p, method in (
            ("GET /healthz", ["/healthz"], "GET"),
            ("POST one-row INSERT", [FLOOR_PATH], "POST"),
            ("GET RSVP form page", paths, "GET"),
        )
    ]
    rng, writes = random.Random(1), []
    for label, count, prefetch in (("RSVP: GET form + POST", half, False), ("RSVP: POST alone", half, True)):
        plan = _plan(count, args.concurrency, actions, "b" if prefetch else "a", rng)
        writes.append((label, _write_phase(port, plan, prefetch, cpu), [f for forms in plan for f in forms]))
    submissions = ("Action: POST alone", _action_phase(port, args.concurrency, args.count // 10, day, cpu))
    return [*reads, submissions], writes


def bench(args, data_dir: str, database_url: str | None) -> bool:
    env = _env(data_dir, database_url)
    done = subprocess.run(  # noqa: S603 -- this same script, fixed arguments
        [sys.executable, __file__, "--child"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"setup failed:\n{done.stderr}")
    setup = json.loads(done.stdout.strip().splitlines()[-1])
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    print(f"{setup['db']}: demo with {DEMO_ACTIONS} actions, RSVPs to {len(setup['actions'])} upcoming ones")
    print(f"server: groundswell {' '.join(SERVE)} on 127.0.0.1; clients: {args.concurrency} threads\n")
    log_path = Path(data_dir) / "serve.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(  # noqa: S603 -- our own command
            [sys.executable, "-m", "groundswell", *SERVE, "--host", "127.0.0.1", "--port", str(port)],
            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            _wait_until_up(port, server)
            reads, writes = _measure(
                args, port, setup["actions"], setup["day"], lambda: _cpu(server.pid, database_url)
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
    head = (
        f"{'':<22} {'n':>5} {'per s':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'srv ms':>7} "
        f"{'db ms':>6} {'cli ms':>7} {'ours/all':>9}  errors"
    )
    lines = [head, "-" * len(head)]
    for label, (wall, times, errors, cpu) in reads:
        lines.append(_row(label, len(times), wall, times, cpu, errors, database_url))
    acks, reposted, ok = [], 0, True
    for label, (wall, tally, reconnects, cpu), forms in writes:
        acks += tally.acks
        reposted += sum(1 for form in forms if form.repost)
        lines.append(_row(label, len(tally.acks), wall, tally.post_ms, cpu, tally.errors, database_url))
        extra = f", GET p50 {statistics.median(tally.get_ms):.1f} ms" if tally.get_ms else ""
        repost = Counter(form.repost for form in forms)
        lines.append(
            f"  {len(forms)} forms: {sum(f.second for f in forms)} second forms of a person, "
            f"{repost['double']} double clicks, {repost['retry']} retries; {len(tally.post_ms)} POSTs in "
            f"{wall:.1f} s, POST mean {statistics.fmean(tally.post_ms or [0]):.1f} ms{extra}"
            + (f", {reconnects} reconnects" if reconnects else "")
        )
        lines += [f"  sample: {sample}" for sample in tally.samples[:3]]
        ok = ok and not tally.errors
    lines += [
        "n: requests, or acknowledged RSVPs; per s: n per second; p50-p99: latency of the request, or of",
        "the RSVP's POSTs; srv/db/cli ms: CPU time per n of the gunicorn processes, the PostgreSQL backends",
        f"and the client threads; ours/all: share of the {os.cpu_count()} CPUs these used / all work used.\n",
    ]
    print("\n".join([*lines, f"{'PASS' if ok else 'FAIL'}  every POST answered 302 to the sent page"]))
    log_text = log_path.read_text(errors="replace")
    if "Traceback" in log_text:
        start = log_text.index("Traceback")
        print(f"server log, first of {log_text.count('Traceback')} tracebacks:\n{log_text[start:][:4000]}")
    _, times, errors, _ = dict(reads)["Action: POST alone"]
    sql = f"SELECT COUNT(*) FROM actions_action WHERE title LIKE '{ACTION_TITLE} %' AND status = 'pending'"  # noqa: S608 -- constants
    pending = _rows(database_url, data_dir, sql)[0][0]
    checks = [(not errors and pending == len(times), f"every action submission answered 302 to the submitted "
               f"page and waits for moderation: {len(times)} POSTs, {pending} pending actions")]  # fmt: skip
    for passed, text in [*checks, *_checks(database_url, data_dir, acks, reposted)]:
        print(f"{'PASS' if passed else 'FAIL'}  {text}")
        ok = ok and passed
    return ok


def _pg(url: str, name: str, create: bool) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=2000, help="forms in all, half per phase (default 2000)")
    parser.add_argument("--concurrency", type=int, default=16, help="client threads (default 16)")
    parser.add_argument("--postgres", metavar="URL", help=f"use a fresh database {PG_NAME} on this server")
    parser.add_argument(
        "--database", default=PG_NAME, metavar="NAME", help=f"with --postgres: its name (default {PG_NAME})"
    )
    parser.add_argument("--keep", action="store_true", help="keep the data folder (and the database)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_setup()
        return
    if urlsplit(args.postgres or "").path.strip("/") == args.database:
        sys.exit(f"--postgres must name a database other than {args.database} (only to connect to)")
    import django

    print(
        f"groundswell RSVP benchmark, {time.strftime('%Y-%m-%d %H:%M')}, Python {platform.python_version()}, "
        f"Django {django.get_version()}, {os.cpu_count()} CPUs, {platform.machine()}, {platform.platform()}"
    )
    print("load average before: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}\n", flush=True)
    data_dir = tempfile.mkdtemp(prefix="groundswell-bench-rsvp-")
    database_url = _pg(args.postgres, args.database, create=True) if args.postgres else None
    try:
        ok = bench(args, data_dir, database_url)
    finally:
        print("load average after: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
        if args.keep:
            print(f"kept: {data_dir}" + (f" and the database {args.database}" if database_url else ""))
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
            if database_url:
                _pg(args.postgres, args.database, create=False)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
