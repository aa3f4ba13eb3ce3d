"""The database side of bench/rsvp.py: read the rows straight from SQLite or PostgreSQL and check that every
acknowledged RSVP is there once, with one confirmation email and one task each."""

import contextlib
import json
import sqlite3
from collections import Counter, defaultdict
from pathlib import Path

SEND_TASK = "groundswell.participation.tasks.send_scheduled_email"


def _counts(items) -> str:
    return ", ".join(f"{name}: {n}" for name, n in sorted(Counter(items).items())) or "0"


def _rows(database_url: str | None, data_dir: str, sql: str) -> list[tuple]:
    if database_url:
        import psycopg

        with psycopg.connect(database_url) as conn:
            return conn.execute(sql).fetchall()
    with contextlib.closing(sqlite3.connect(Path(data_dir) / "groundswell.sqlite3")) as conn:
        return conn.execute(sql).fetchall()


def _checks(database_url: str | None, data_dir: str, acks: list[tuple], reposted: int) -> list[tuple]:
    def rows(sql):
        return _rows(database_url, data_dir, sql)

    acked = defaultdict(set)  # (action, email) -> its acknowledged submission ids
    for action, email, submission_id in acks:
        acked[(action, email)].add(submission_id)
    rsvps = rows("SELECT id, action_id, email FROM participation_rsvp WHERE email LIKE '%@bench.example.org'")
    per_pair, pair_of = Counter((a, e) for _, a, e in rsvps), {pk: (a, e) for pk, a, e in rsvps}
    missing, more = sum(per_pair[p] == 0 for p in acked), sum(per_pair[p] > 1 for p in acked)
    keys = rows("SELECT email_key FROM participation_rsvp GROUP BY action_id, email_key HAVING COUNT(*) > 1")
    emails = rows(
        "SELECT id, rsvp_id, kind, dedupe_key FROM participation_scheduledemail "
        "WHERE kind IN ('confirm', 'confirm_update')"
    )
    ours = [row for row in emails if row[1] in pair_of]
    mailed = {(pair_of[rsvp], key.rsplit(":", 1)[1]) for _, rsvp, _, key in ours}
    unmailed = sum((pair, sid) not in mailed for pair, sids in acked.items() for sid in sids)
    submissions = sum(len(sids) for sids in acked.values())
    tasks = rows(
        "SELECT status, args_kwargs FROM django_tasks_database_dbtaskresult "
        "WHERE task_path = 'groundswell.participation.tasks.send_scheduled_email'"
    )
    ready = Counter((json.loads(a) if isinstance(a, str) else a)["args"][0] for s, a in tasks if s == "READY")
    email_ids = {row[0] for row in ours}
    mails = f"{len(ours)} participation_scheduledemail rows ({_counts(row[2] for row in ours)})"
    return [
        (not missing and not more, f"every acknowledged (action, email) is in participation_rsvp exactly "
         f"once: {len(acked)} pairs, {missing} missing, {more} more than once"),
        (not keys and len(per_pair) == len(rsvps), f"no (action, email) twice: {len(rsvps) - len(per_pair)} "
         f"emails, {len(keys)} email_keys"),
        (len(rsvps) == len(acked), f"RSVP rows = acknowledged (action, email): {len(rsvps)} = {len(acked)}"),
        (len(ours) == submissions and not unmailed, f"one confirmation email per acknowledged submission_id, "
         f"none for a re-POST: {submissions} submissions ({len(acked)} people + {submissions - len(acked)} "
         f"second forms; {reposted} of them POSTed twice) -> {mails}, {unmailed} submissions without one"),
        (set(ready) == email_ids and all(n == 1 for n in ready.values()), f"one READY {SEND_TASK} task per "
         f"email: {sum(ready.values())} READY rows for {len(ready)} of {len(email_ids)} emails (all task "
         f"rows by status: {_counts(s for s, _ in tasks)})"),
    ]  # fmt: skip
