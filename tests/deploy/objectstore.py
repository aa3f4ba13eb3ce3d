"""A throwaway S3-compatible object store on loopback: Ceph's RADOS Gateway (Debian's `radosgw`) on a
one-monitor, one-OSD Ceph cluster whose objects live in memory (`memstore`), in a folder of its own.

Used by the production pass (`make test-production`) and by tests/deploy/test_production_profile.py:

    python tests/deploy/objectstore.py -- COMMAND ARGS...   # starts the store, runs COMMAND with
                                                            # GROUNDSWELL_S3_* and AWS_* set, stops it

Needs Debian's packages ceph-mon, ceph-osd and radosgw (see docs/operations.md for why this store). Every
daemon runs in the foreground as our child, on addresses of 127.0.0.1, and is stopped at the end.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

COMMANDS = ("monmaptool", "ceph-mon", "ceph-osd", "ceph", "radosgw", "radosgw-admin")
ACCESS_KEY = "GROUNDSWELLTESTKEY"
SECRET_KEY = "groundswell-test-secret-not-for-production"  # noqa: S105 -- a throwaway local store
REGION = "us-east-1"  # any name is accepted by the gateway's default zone group; boto3 wants one
STEP_TIMEOUT = 60


def available() -> bool:
    """Whether Debian's Ceph packages that the store needs are installed."""
    return all(shutil.which(command) for command in COMMANDS)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


class ObjectStore:
    """One Ceph monitor, one in-memory OSD and one RADOS Gateway, started by ``start()`` and stopped by
    ``stop()`` (also when ``start()`` fails half-way)."""

    def __init__(self, folder: Path | None = None):
        self.folder = Path(folder or tempfile.mkdtemp(prefix="groundswell-objectstore-"))
        self.mon_port = free_port()
        self.port = free_port()
        self.endpoint_url = f"http://127.0.0.1:{self.port}"
        self.processes: list[subprocess.Popen] = []

    def environment(self, bucket: str = "groundswell-test") -> dict[str, str]:
        """What an operator sets for this store (README, "Configuration")."""
        return {
            "GROUNDSWELL_S3_BUCKET": bucket,
            "GROUNDSWELL_S3_ENDPOINT_URL": self.endpoint_url,
            "GROUNDSWELL_S3_REGION": REGION,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        }

    def _config(self) -> str:
        folder = self.folder
        return f"""[global]
fsid = {self.fsid}
run dir = {folder}/run
admin socket = {folder}/run/$name.asok
log file = {folder}/log/$name.log
auth cluster required = none
auth service required = none
auth client required = none
mon host = v1:127.0.0.1:{self.mon_port}
public addr = 127.0.0.1
ms bind msgr2 = false
osd crush chooseleaf type = 0
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon allow pool size one = true
mon warn on pool no redundancy = false
mon data avail crit = 0
mon data avail warn = 0
[mon.a]
mon data = {folder}/mon
public addr = 127.0.0.1:{self.mon_port}
[osd.0]
osd data = {folder}/osd
osd objectstore = memstore
memstore device bytes = 2147483648
osd class load list = *
osd class default list = *
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:{self.port}
rgw data = {folder}/rgw
rgw thread pool size = 64
"""

    def _run(self, *args: str, tries: int = 1) -> str:
        for attempt in range(tries):
            result = subprocess.run(  # noqa: S603 -- Ceph's own tools, arguments of ours
                args, env=self.env, capture_output=True, text=True, timeout=STEP_TIMEOUT, check=False
            )
            if result.returncode == 0:
                return result.stdout
            if attempt < tries - 1:
                time.sleep(1)
        raise RuntimeError(f"{' '.join(args)} failed: {result.stderr.strip()[-2000:]}")

    def _daemon(self, *args: str) -> None:
        name = Path(args[0]).name
        log = open(self.folder / "log" / f"{name}.out", "wb")  # noqa: SIM115 -- closed with the process
        self.processes.append(
            subprocess.Popen(args, env=self.env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        )

    def _wait_for(self, port: int, what: str) -> None:
        deadline = time.monotonic() + STEP_TIMEOUT
        while not answers(port):
            if any(process.poll() is not None for process in self.processes):
                raise RuntimeError(f"{what} exited; see {self.folder}/log")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what} does not answer on 127.0.0.1:{port}; see {self.folder}/log")
            time.sleep(0.2)

    def start(self, tries: int = 2) -> "ObjectStore":
        """Starts the cluster and its gateway; a bring-up that fails is stopped and tried once more afresh
        (new ports), since a one-OSD cluster on a busy machine now and then misses its first boot."""
        for attempt in range(tries):
            try:
                self._start()
                return self
            except (RuntimeError, subprocess.TimeoutExpired) as error:
                self.stop()
                if attempt == tries - 1:
                    raise
                print(f"== Object store did not start ({error}); trying again", file=sys.stderr)
                self.mon_port, self.port = free_port(), free_port()
                self.endpoint_url = f"http://127.0.0.1:{self.port}"
            except BaseException:
                self.stop()
                raise
        return self

    def _start(self) -> None:
        self.fsid = str(uuid.uuid4())
        for part in ("log", "mon", "osd", "run", "rgw"):
            (self.folder / part).mkdir(parents=True, exist_ok=True)
        conf = self.folder / "ceph.conf"
        conf.write_text(self._config())
        self.env = {**os.environ, "CEPH_CONF": str(conf)}
        monmap = str(self.folder / "monmap")
        self._run(
            "monmaptool",
            "--create",
            "--fsid",
            self.fsid,
            "--addv",
            "a",
            f"[v1:127.0.0.1:{self.mon_port}]",
            monmap,
        )
        self._run("ceph-mon", "--id", "a", "--mkfs", "--monmap", monmap, "--keyring", "/dev/null")
        (self.folder / "mon" / "keyring").touch()
        self._daemon("ceph-mon", "--id", "a", "-f")
        self._wait_for(self.mon_port, "ceph-mon")
        # The monitor answers on its port a moment before it takes commands.
        osd_uuid = str(uuid.uuid4())
        osd_id = self._run("ceph", "--connect-timeout", "30", "osd", "new", osd_uuid, tries=10).strip()
        self._run("ceph", "osd", "crush", "add", f"osd.{osd_id}", "1", "root=default")
        self._run("ceph-osd", "--id", osd_id, "--mkfs", "--osd-uuid", osd_uuid)
        self._start_osd(osd_id)
        # Creates the gateway's pools (waiting for the OSD) and the account the application signs with.
        self._run(
            "radosgw-admin", "user", "create", "--uid", "groundswell", "--display-name", "Groundswell tests",
            "--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY,
        )  # fmt: skip
        self._daemon("radosgw", "-n", "client.rgw.a", "-f")
        self._wait_for(self.port, "radosgw")

    def _start_osd(self, osd_id: str, tries: int = 4, wait: float = 15) -> None:
        """Starts the OSD and waits until the monitor counts it up. Now and then a freshly made OSD never
        finishes its first boot (it hangs talking to the new monitor): it is stopped and started again."""
        for _ in range(tries):
            self._daemon("ceph-osd", "--id", osd_id, "-f")
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline:
                try:
                    status = json.loads(self._run("ceph", "osd", "stat", "-f", "json"))
                except RuntimeError:  # the new monitor refuses a command now and then: ask again
                    status = {}
                if status.get("num_up_osds") == 1:
                    return
                time.sleep(0.5)
            osd = self.processes.pop()
            osd.terminate()
            try:
                osd.wait(timeout=15)
            except subprocess.TimeoutExpired:
                osd.kill()
                osd.wait()
        raise RuntimeError(f"ceph-osd did not come up; see {self.folder}/log")

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
        for process in reversed(self.processes):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()
        shutil.rmtree(self.folder, ignore_errors=True)


def main(argv: list[str]) -> int:
    if "--" not in argv or argv.index("--") == len(argv) - 1:
        print(__doc__, file=sys.stderr)
        return 2
    command = argv[argv.index("--") + 1 :]
    if not available():
        print("== The object store needs Debian's ceph-mon, ceph-osd and radosgw", file=sys.stderr)
        return 1
    started = time.monotonic()
    store = ObjectStore().start()
    print(
        f"== Object store (Ceph RADOS Gateway) on {store.endpoint_url} in {time.monotonic() - started:.0f} s"
    )
    try:
        return subprocess.run(command, env={**os.environ, **store.environment()}, check=False).returncode  # noqa: S603
    finally:
        store.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
