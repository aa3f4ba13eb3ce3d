"""The production profile end to end: two app servers (`groundswell serve --no-worker`, separate processes)
sharing PostgreSQL, Redis and an object-storage bucket, behind nginx with the repository's
deploy/nginx/groundswell-proxy.conf.

A write through one app server is seen through the other at once (a session made on one is valid on the
other); a change invalidates a page on both app servers at once and in nginx's cache once its max-age is
over; a photo uploaded through one is stored in the bucket and served through the other only while public.

Runs in the production pass (`make test-production`, which sets REDIS_URL and the bucket and requires it
with GROUNDSWELL_REQUIRE_PRODUCTION_PROFILE=1); elsewhere it is skipped with the reason.
"""

import http.client
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from groundswell.actions.models import Action
from groundswell.actions.services import action_approve
from groundswell.core.privacy import hash_token
from groundswell.reports.models import Photo
from groundswell.reports.services.photos import photo_approve, photo_reject
from groundswell.reports.services.report_backs import report_back_approve
from tests.conftest import free_port
from tests.factories import ActionFactory, CampaignFactory, actor
from tests.factories.reports import past_action
from tests.reports import photo_samples as samples

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
PROXY_CONF = ROOT / "deploy" / "nginx" / "groundswell-proxy.conf"
PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's
START_TIMEOUT = 90


def _unavailable(reason: str):
    if os.environ.get("GROUNDSWELL_REQUIRE_PRODUCTION_PROFILE"):
        pytest.fail(reason + " (required by GROUNDSWELL_REQUIRE_PRODUCTION_PROFILE)")
    pytest.skip(reason)


def request(port: int, path: str, *, method="GET", headers=None, body=None):
    """One HTTP request to 127.0.0.1:``port``, no redirect followed: (status, headers, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers={"Host": "127.0.0.1", **(headers or {})})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def cookies_of(headers) -> dict[str, str]:
    found = {}
    for value in headers.get_all("Set-Cookie") or []:
        name, _, rest = value.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def multipart(fields: dict[str, str], files: list[tuple[str, str, bytes]]) -> tuple[str, bytes]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, filename, data in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: image/jpeg\r\n\r\n".encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(parts)


def wait_until_up(port: int, processes: list[subprocess.Popen], what: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if any(process.poll() is not None for process in processes):
            raise RuntimeError(f"{what} exited")
        try:
            if request(port, "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{what} does not answer on 127.0.0.1:{port}")


def stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    """Stops ``process`` and its children (its own process group, which it leads)."""
    if process.poll() is None:
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def nginx_config(folder: Path, port: int, upstreams: list[int]) -> str:
    """A loopback server around the repository's proxy rules: everything site-specific (addresses, cache
    and log folders) is this run's own; how requests are passed on and cached is the file operators use."""
    servers = "".join(f"        server 127.0.0.1:{upstream};\n" for upstream in upstreams)
    temp = "".join(
        f"    {kind}_temp_path {folder}/{kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 256; }}
http {{
    access_log {folder}/access.log;
{temp}
    proxy_cache_path {folder}/cache levels=1:2 keys_zone=groundswell:1m max_size=64m inactive=10m
                     use_temp_path=off;
    upstream groundswell {{
{servers}        keepalive 8;
    }}
    server {{
        listen 127.0.0.1:{port};
        server_name 127.0.0.1;
        include {PROXY_CONF};
    }}
}}
"""


class Stack:
    def __init__(self, app_ports, nginx_port):
        self.a, self.b = app_ports
        self.nginx = nginx_port


@pytest.fixture(scope="module")
def stack(django_db_setup, django_db_blocker, mail_server):
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if nginx is None:
        _unavailable("needs nginx (Debian's package)")
    if connection.vendor != "postgresql":
        _unavailable("needs PostgreSQL (DATABASE_URL): several app servers share one database")
    if not settings.REDIS_URL:
        _unavailable("needs REDIS_URL: several app servers share the cache, sessions and rate limits")
    if not settings.S3_BUCKET:
        _unavailable("needs object storage (GROUNDSWELL_S3_BUCKET): several app servers share the photos")

    db = connection.settings_dict
    database_url = (
        f"postgres://{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}@{db['HOST'] or '127.0.0.1'}"
        f":{db['PORT'] or 5432}/{db['NAME']}"
    )
    folder = Path(tempfile.mkdtemp(prefix="groundswell-production-"))
    folder.chmod(0o755)  # started by root, nginx's workers run as another user and keep the cache here
    app_ports = [free_port(), free_port()]
    nginx_port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "groundswell.settings",  # the real settings, as an operator runs them
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL,
        "GROUNDSWELL_S3_PREFIX": settings.STORAGES["default"]["OPTIONS"]["location"],
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "GROUNDSWELL_BASE_URL": f"http://127.0.0.1:{nginx_port}",
        "GROUNDSWELL_BEHIND_PROXY": "1",
        "GROUNDSWELL_TASKS": "immediate",  # emails go out inside the request, to the tests' SMTP server
        "GROUNDSWELL_STATIC_MANIFEST": "0",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(mail_server.port),
    }
    processes = []
    try:
        for index, port in enumerate(app_ports):
            data_dir = folder / f"app{index}"  # nothing shared through the file system
            data_dir.mkdir()
            log = open(folder / f"app{index}.log", "wb")  # noqa: SIM115 -- closed with the process
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "groundswell", "serve", "--no-worker", "--host", "127.0.0.1",
                     "--port", str(port), "--workers", "1", "--threads", "4"],
                    env={**env, "GROUNDSWELL_DATA_DIR": str(data_dir)},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )  # fmt: skip
        (folder / "nginx.conf").write_text(nginx_config(folder, nginx_port, app_ports))
        processes.append(
            subprocess.Popen(
                [nginx, "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(folder / "nginx.conf")],
                stdout=subprocess.DEVNULL,
                stderr=open(folder / "nginx.out", "wb"),  # noqa: SIM115 -- closed with the process
                start_new_session=True,
            )
        )
        for port, what in zip(
            [*app_ports, nginx_port], ["app server A", "app server B", "nginx"], strict=True
        ):
            wait_until_up(port, processes, what)
        yield Stack(app_ports, nginx_port)
    except RuntimeError as error:
        logs = "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in sorted(folder.glob("*.log")))
        raise AssertionError(f"{error}\n{logs}") from None
    finally:
        for process in reversed(processes):
            stop(process, signal.SIGQUIT if process is processes[-1] else signal.SIGTERM)
        if not os.environ.get("GROUNDSWELL_KEEP_DEPLOY_LOGS"):
            shutil.rmtree(folder, ignore_errors=True)


def page(port: int, path: str, **kwargs) -> tuple[int, object, str]:
    status, headers, body = request(port, path, **kwargs)
    return status, headers, body.decode(errors="replace")


def log_in(port: int, user) -> dict[str, str]:
    """Logs ``user`` in through the app server at ``port``; the cookies it set (session, CSRF)."""
    # The app servers run the real settings, whose hashers the tests' fast one is not among.
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "groundswellsalt", iterations=1000)
    user.save(update_fields=["password"])
    username = user.username
    status, headers, body = page(port, "/dashboard/login/")
    assert status == 200
    cookies = cookies_of(headers)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    form = f"username={quote(username)}&password={quote(PASSWORD)}&csrfmiddlewaretoken={token}"
    status, headers, _body = request(
        port,
        "/dashboard/login/",
        method="POST",
        body=form.encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie_header(cookies)},
    )
    assert status == 302, "the login was refused"
    return {**cookies, **cookies_of(headers)}


def test_a_write_through_one_app_server_is_seen_through_the_other_at_once(stack):
    campaign = CampaignFactory()
    shown = ActionFactory(campaign=campaign, title="Well-water tasting at the old pump")
    pending = ActionFactory(
        campaign=campaign, status=Action.Status.PENDING, title="Fountain vigil by the river"
    )
    moderator = actor("moderator", campaign)
    campaign_page = f"/c/{campaign.slug}/?lang=en"
    action_page = f"/c/{campaign.slug}/actions/{pending.pk}/?lang=en"
    # Both have the campaign page in the shared cache, without the pending action.
    for port in (stack.a, stack.b):
        status, _headers, body = page(port, campaign_page)
        assert status == 200 and shown.title in body and pending.title not in body
        assert page(port, action_page)[0] == 404

    # The moderator logs in through A and approves through B, with the session A made.
    cookies = log_in(stack.a, moderator)
    assert page(stack.b, "/dashboard/", headers={"Cookie": cookie_header(cookies)})[0] == 200
    status, _headers, _body = request(
        stack.b,
        f"/dashboard/c/{campaign.slug}/actions/{pending.pk}/approve/",
        method="POST",
        body=b"",
        headers={
            "Cookie": cookie_header(cookies),
            "X-CSRFToken": cookies["csrftoken"],
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    assert status == 302
    pending.refresh_from_db()
    assert pending.status == Action.Status.APPROVED

    # At once, through A as through B: the page B's write made public, and the campaign page renewed.
    for port in (stack.a, stack.b):
        status, _headers, body = page(port, action_page)
        assert status == 200 and pending.title in body
        status, _headers, body = page(port, campaign_page)
        assert status == 200 and pending.title in body


def test_a_change_renews_the_page_on_both_app_servers_at_once_and_in_nginx_after_its_max_age(stack):
    campaign = CampaignFactory()
    shown = ActionFactory(campaign=campaign, title="Water samples on the market square")
    later = ActionFactory(campaign=campaign, status=Action.Status.PENDING, title="Pump repair workshop")
    path = f"/c/{campaign.slug}/?lang=en"

    status, headers, body = page(stack.nginx, path)
    assert status == 200 and shown.title in body
    assert headers["X-Cache-Status"] == "MISS"
    max_age = int(re.search(r"max-age=(\d+)", headers["Cache-Control"]).group(1))
    cached_at = time.monotonic()
    status, headers, body = page(stack.nginx, path)
    assert headers["X-Cache-Status"] == "HIT" and later.title not in body
    for port in (stack.a, stack.b):
        assert later.title not in page(port, path)[2]

    action_approve(actor=actor("moderator", campaign), action=later)

    # Our cache: renewed on both app servers at once.
    for port in (stack.a, stack.b):
        assert later.title in page(port, path)[2]
    # nginx keeps its copy while it is fresh...
    status, headers, body = page(stack.nginx, path)
    assert headers["X-Cache-Status"] == "HIT" and later.title not in body
    # ...and takes the new page once its max-age is over (stale once, while it renews in the background).
    time.sleep(max(0.0, max_age + 1 - (time.monotonic() - cached_at)))
    seen = []
    for _ in range(10):
        status, headers, body = page(stack.nginx, path)
        seen.append(headers["X-Cache-Status"])
        if later.title in body:
            break
        time.sleep(0.5)
    assert later.title in body, seen
    assert set(seen) <= {"EXPIRED", "STALE", "UPDATING", "REVALIDATED", "HIT", "MISS"}

    # Never a shared copy of what sets a cookie or is asked for with credentials.
    for _ in range(2):
        _status, headers, _body = page(stack.nginx, "/dashboard/login/")
        assert "Set-Cookie" in headers and headers["X-Cache-Status"] != "HIT"
    assert page(stack.nginx, path, headers={"Authorization": "Bearer x"})[1]["X-Cache-Status"] == "BYPASS"


def test_a_photo_uploaded_through_one_app_server_is_in_the_bucket_and_served_by_the_other_while_public(stack):
    token = secrets.token_urlsafe(16)
    action = past_action(edit_token_hash=hash_token(token))
    data = samples.plain("JPEG", size=(320, 240))
    content_type, body = multipart(
        {"took_place": "yes", "attendance": "40", "text": "Forty people tasted the well water."},
        [("photos", "well.jpg", data)],
    )
    status, _headers, _body = request(
        stack.a,
        f"/o/{token}/report/",
        method="POST",
        body=body,
        headers={"Content-Type": content_type},
    )
    assert status == 302, _body[-2000:]
    photo = Photo.objects.get(report_back__action=action)

    # In the bucket, under this run's prefix, as the JPEG the server made.
    from django.core.files.storage import default_storage

    client = default_storage.connection.meta.client
    location = settings.STORAGES["default"]["OPTIONS"]["location"]
    stored = client.get_object(Bucket=settings.S3_BUCKET, Key=f"{location}/{photo.image}")["Body"].read()
    assert stored[:3] == b"\xff\xd8\xff"
    samples.assert_no_metadata(stored)

    # Not public until moderated: B refuses it, directly and through nginx.
    assert request(stack.b, photo.image_url)[0] == 404
    moderator = actor("moderator", action.campaign)
    report_back_approve(actor=moderator, report_back=photo.report_back)
    photo_approve(actor=moderator, photo=photo)
    status, headers, served = request(stack.b, photo.image_url)
    assert status == 200 and headers["Content-Type"] == "image/jpeg"
    assert served == stored
    status, headers, served = request(stack.nginx, photo.image_url)
    assert status == 200 and served == stored
    assert request(stack.nginx, photo.image_url)[0] == 200

    # Rejected: gone from B at once, and nginx asks again before every use, so from it too.
    photo_reject(actor=moderator, photo=photo, reason="A face is recognisable.")
    assert request(stack.b, photo.image_url)[0] == 404
    assert request(stack.nginx, photo.image_url)[0] == 404
