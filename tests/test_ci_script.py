"""`.ci/run`'s checks, sourced into bash one function at a time: nothing is installed, started or changed
(the script's main part runs only when it is executed, not sourced)."""

import os
import shutil
import socket
import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import free_port

SCRIPT = Path(__file__).resolve().parent.parent / ".ci" / "run"
BASH = shutil.which("bash")

pytestmark = pytest.mark.skipif(BASH is None, reason="needs bash")


def run(snippet: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 -- our own script
        [BASH, "-c", f'source "{SCRIPT}"; {snippet}'],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def listening():
    """A port on 127.0.0.1 where something accepts connections."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


@pytest.fixture
def bare_path(tmp_path):
    """A PATH with only what the checks themselves need: every package's command is missing."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "timeout"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    return str(bin_dir)


def test_script_parses_and_sourcing_runs_nothing():
    assert subprocess.run([BASH, "-n", str(SCRIPT)], check=False).returncode == 0  # noqa: S603
    result = run("echo sourced")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "sourced\n"


def test_answers_tells_a_listening_port_from_a_silent_one(listening):
    assert run(f"answers 127.0.0.1 {listening}").returncode == 0
    assert run(f"answers 127.0.0.1 {free_port()}").returncode != 0


def test_pg_server_installed_looks_for_a_server_binary(tmp_path):
    assert run("pg_server_installed", PG_LIB=str(tmp_path)).returncode != 0
    (tmp_path / "15" / "bin").mkdir(parents=True)
    (tmp_path / "15" / "bin" / "psql").touch()  # client tools only
    assert run("pg_server_installed", PG_LIB=str(tmp_path)).returncode != 0
    (tmp_path / "15" / "bin" / "postgres").touch()
    assert run("pg_server_installed", PG_LIB=str(tmp_path)).returncode == 0


def test_a_bare_machine_gets_every_package(tmp_path, bare_path):
    empty = tmp_path / "no-postgresql"
    empty.mkdir()
    result = run(f"packages_to_install {free_port()} {free_port()}", PATH=bare_path, PG_LIB=str(empty))

    packages = result.stdout.split()
    for package in ("make", "python3", "python3-venv", "nodejs", "npm", "postgresql-client"):
        assert package in packages
    assert "postgresql" in packages
    assert "redis-server" in packages
    for package in ("nginx", "ceph-mon", "ceph-osd", "radosgw"):  # the production pass
        assert package in packages


def test_nginx_and_the_object_store_installed_are_not_installed_again(tmp_path, bare_path):
    empty = tmp_path / "no-postgresql"
    empty.mkdir()
    for command in ("nginx", "ceph-mon", "ceph-osd"):
        _stub(Path(bare_path), command, "exit 0")
    result = run(f"packages_to_install {free_port()} {free_port()}", PATH=bare_path, PG_LIB=str(empty))
    packages = result.stdout.split()
    assert "nginx" not in packages
    assert "radosgw" in packages  # one missing part brings the three
    _stub(Path(bare_path), "radosgw", "exit 0")
    result = run(f"packages_to_install {free_port()} {free_port()}", PATH=bare_path, PG_LIB=str(empty))
    assert not {"ceph-mon", "ceph-osd", "radosgw"} & set(result.stdout.split())


def test_servers_that_answer_are_not_installed(tmp_path, bare_path, listening):
    empty = tmp_path / "no-postgresql"
    empty.mkdir()
    result = run(f"packages_to_install {listening} {listening}", PATH=bare_path, PG_LIB=str(empty))

    packages = result.stdout.split()
    assert "postgresql-client" in packages  # the tools are still needed
    assert "postgresql" not in packages
    assert "redis-server" not in packages


def test_an_installed_but_stopped_postgresql_is_not_installed_again(tmp_path, bare_path):
    (tmp_path / "15" / "bin").mkdir(parents=True)
    (tmp_path / "15" / "bin" / "postgres").touch()
    result = run(f"packages_to_install {free_port()} {free_port()}", PATH=bare_path, PG_LIB=str(tmp_path))
    assert "postgresql" not in result.stdout.split()


def test_trust_loopback_puts_its_lines_first_once(tmp_path):
    hba = tmp_path / "15" / "main" / "pg_hba.conf"
    hba.parent.mkdir(parents=True)
    original = "local all postgres peer\nhost all all 127.0.0.1/32 scram-sha-256\n"
    hba.write_text(original)
    hba.chmod(0o640)

    for _ in range(2):
        # As whoever runs the tests (the script would use sudo when not root).
        result = run('as_root() { "$@"; }; trust_loopback 15 main', PG_ETC=str(tmp_path))
        assert result.returncode == 0, result.stderr

    lines = hba.read_text().splitlines()
    assert lines[1:3] == ["host all postgres 127.0.0.1/32 trust", "host all postgres ::1/128 trust"]
    assert hba.read_text().endswith(original)
    assert hba.read_text().count("trust") == 2
    assert stat.S_IMODE(hba.stat().st_mode) == 0o640


def _stub(bin_dir: Path, name: str, body: str) -> None:
    path = bin_dir / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


@pytest.mark.parametrize(
    ("psql", "created"),
    [("echo 1", False), ("echo", True), ("echo 'no password supplied' >&2; exit 2", False)],
    ids=["exists", "missing", "cannot-connect"],
)
def test_ensure_test_database_creates_it_only_when_missing(tmp_path, bare_path, psql, created):
    bin_dir = Path(bare_path)
    calls = tmp_path / "createdb-calls"
    _stub(bin_dir, "psql", psql)
    _stub(bin_dir, "createdb", f'echo "$@" >> "{calls}"')

    result = run("set -e; ensure_test_database; echo done", PATH=bare_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("done\n")
    assert (calls.read_text() == "-w -h 127.0.0.1 -U postgres test\n") if created else not calls.exists()
