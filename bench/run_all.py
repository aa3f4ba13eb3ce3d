"""``make bench``: runs every benchmark in bench/, each in its own process and bounded in time, and writes
docs/benchmarks.md (what each measures, its exact command and its whole output) and bench/results.json (the
same, plus the figures bench/pages.py writes there).

    .venv/bin/python bench/run_all.py [--only NAME ...] [--postgres URL]

With --postgres (the default is $PG_TEST_URL when set) the benchmarks that take one also run against that
PostgreSQL server (each in a throwaway database of its own, dropped afterwards).
"""

import argparse
import ast
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
RESULTS = ROOT / "bench" / "results.json"

# name, script, arguments (PG: the PostgreSQL URL is added as given), time limit in seconds
BENCHMARKS = [
    ("pages", "pages.py", ["--json", str(RESULTS)], 1200),
    ("rsvp", "rsvp.py", [], 900),
    ("rsvp-postgres", "rsvp.py", ["--postgres", "PG"], 900),
    ("growth", "growth.py", ["--postgres", "PG", "--runs", "3", "--budget", "300"], 2400),
    ("map", "map.py", [], 900),
    ("ical", "ical.py", [], 900),
    ("report", "report.py", [], 900),
    ("photos", "photos.py", [], 600),
    ("demo-load", "demo_load.py", ["--postgres", "PG"], 900),
]

INTRO = """# Benchmarks

Written by `make bench` (`bench/run_all.py`): every benchmark in `bench/` runs in its own process, against
servers it starts on loopback, bounded in time, and compares with a floor measured in the same run. The
machine: 2 cores, 24 GiB, shared with other work, so rates move between runs by ±30 %; CPU milliseconds per
request or per write are the steadier figure. Each section below is the benchmark's own description (its
docstring), the exact command and its whole output. The same is in `bench/results.json`, with the figures of
`bench/pages.py` in a form a program can read. Earlier readings, before-and-after comparisons of changes and
how to read each table: [benchmarks-notes.md](benchmarks-notes.md).
"""


def description(script: Path) -> str:
    """The script's docstring, without its usage line."""
    text = ast.get_docstring(ast.parse(script.read_text())) or ""
    return "\n".join(line for line in text.splitlines() if not line.startswith("    "))


def run(name: str, script: str, arguments: list[str], limit: int, postgres: str) -> dict:
    if "PG" in arguments and not postgres:
        return {"skipped": "no PostgreSQL URL (--postgres or PG_TEST_URL)"}
    arguments = [postgres if argument == "PG" else argument for argument in arguments]
    command = [sys.executable, str(ROOT / "bench" / script), *arguments]
    shown = " ".join(["python", f"bench/{script}", *arguments])
    print(f"== {name}: {shown}", flush=True)
    started = time.monotonic()
    try:
        done = subprocess.run(  # noqa: S603 -- our own benchmark scripts
            command, cwd=ROOT, capture_output=True, text=True, timeout=limit
        )
        output, code = done.stdout + done.stderr, done.returncode
    except subprocess.TimeoutExpired as error:
        output = (error.stdout or b"").decode(errors="replace") + f"\n(stopped after {limit} s)"
        code = "timeout"
    seconds = round(time.monotonic() - started, 1)
    print(f"   {code} in {seconds} s", flush=True)
    return {"command": shown, "exit": code, "seconds": seconds, "output": output.rstrip()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", help="names of the benchmarks to run (the others keep theirs)")
    parser.add_argument("--postgres", default=os.environ.get("PG_TEST_URL", ""))
    args = parser.parse_args()
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    runs = results.setdefault("runs", {})
    for name, script, arguments, limit in BENCHMARKS:
        if args.only and name not in args.only:
            continue
        if not (ROOT / "bench" / script).exists():
            continue
        runs[name] = run(name, script, arguments, limit, args.postgres) | {
            "when": time.strftime("%Y-%m-%d %H:%M"),
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        }
        # pages.py wrote its figures into the same file meanwhile.
        fresh = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
        results = {**fresh, "runs": runs}
        RESULTS.write_text(json.dumps(results, indent=1))
        write_doc(runs)  # after each one: a run cut short still leaves what it measured
    write_doc(runs)
    failed = [name for name, found in runs.items() if found.get("exit") not in (0, None)]
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


def write_doc(runs: dict) -> None:
    sections = [INTRO]
    for name, script, _arguments, _limit in BENCHMARKS:
        found = runs.get(name)
        if not found:
            continue
        sections.append(f"## {name} (`bench/{script}`)\n\n{description(ROOT / 'bench' / script)}\n")
        if "skipped" in found:
            sections.append(f"Not run: {found['skipped']}.\n")
            continue
        sections.append(
            f"Run {found['when']} ({found['machine']}), exit status {found['exit']}, "
            f"{found['seconds']} s:\n\n"
            f"```\n$ {found['command']}\n{found['output']}\n```\n"
        )
    DOC.write_text("\n".join(sections))


if __name__ == "__main__":
    main()
