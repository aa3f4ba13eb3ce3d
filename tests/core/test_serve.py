"""``groundswell serve`` for real: gunicorn, the task worker and the scheduler start, answer, run the
periodic tasks, log no secrets, and stop."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import free_port


@pytest.fixture
def served(tmp_path):
    port = free_port()
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DATABASE_URL", "DJANGO_SETTINGS_MODULE"))
        },
        "DJANGO_SETTINGS_MODULE": "groundswell.settings",
        "GROUNDSWELL_DATA_DIR": str(tmp_path),
        "GROUNDSWELL_STATIC_MANIFEST": "0",
        # The worker needs the database backend; tests/settings.py puts "immediate" in this process's
        # environment, with which db_worker exits at once and the test raced against it.
        "GROUNDSWELL_TASKS": "database",
    }
    subprocess.run([sys.executable, "-m", "groundswell", "migrate", "-v0"], env=env, check=True, timeout=120)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "groundswell",
            "serve",
            "--port",
            str(port),
            "--workers",
            "1",
            "--threads",
            "2",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310 -- loopback
                assert response.status == 200
                break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("groundswell serve did not answer on /healthz:\n" + process.stdout.read())
            time.sleep(0.2)
    yield base, process, tmp_path
    if process.poll() is None:
        process.kill()


def children_of(pid: int) -> list[int]:
    result = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(line) for line in result.stdout.split()]


def _periodic_task_results(data_dir: Path) -> list[str]:
    """The periodic tasks the worker finished, read from the served database."""
    with sqlite3.connect(data_dir / "groundswell.sqlite3") as db:
        rows = db.execute(
            "SELECT task_path FROM django_tasks_database_dbtaskresult WHERE status = 'SUCCESSFUL'"
        ).fetchall()
    return sorted({path for (path,) in rows})


def test_serve_runs_web_worker_and_scheduler_answers_and_stops_on_interrupt(served):
    base, process, data_dir = served
    deadline = time.monotonic() + 15
    while len(kids := children_of(process.pid)) < 3 and time.monotonic() < deadline:
        time.sleep(0.2)
    if len(kids) != 3:  # gunicorn, the task worker and the scheduler
        process.kill()
        pytest.fail(
            f"expected gunicorn, the worker and the scheduler, found {kids}:\n{process.communicate()[0]}"
        )
    # The scheduler enqueues the email dispatch and the erasure at once; the worker runs them.
    expected = [
        "groundswell.participation.tasks.dispatch_scheduled_emails",
        "groundswell.participation.tasks.purge_personal_data",
    ]
    deadline = time.monotonic() + 30
    while _periodic_task_results(data_dir) != expected and time.monotonic() < deadline:
        time.sleep(0.3)
    assert _periodic_task_results(data_dir) == expected
    try:
        urllib.request.urlopen(f"{base}/o/very-secret-token-123/", timeout=5)  # noqa: S310 -- loopback
    except urllib.error.HTTPError as error:
        assert error.code == 404
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert "Stopped." in output
    assert "/o/<secret>/" in output
    assert "very-secret-token-123" not in output
    for pid in kids:
        status = Path(f"/proc/{pid}/status")
        assert not status.exists() or "zombie" in status.read_text().lower()
