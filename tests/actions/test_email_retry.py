"""The organizer's emails are retried when the mail server fails, then reported: never lost silently."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from groundswell.actions.services import action_submit
from groundswell.core.models import AuditEntry
from groundswell.core.tasks import MAX_ATTEMPTS
from tests.actions.test_services import action_input
from tests.conftest import free_port
from tests.factories import CampaignFactory


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def _waiting_retries():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status="READY", task_path__endswith="send_action_received_email")


@pytest.mark.django_db(transaction=True)
def test_action_received_email_is_retried_until_the_mail_server_answers(database_tasks, settings, mailbox):
    settings.EMAIL_PORT = free_port()  # nothing listens: the first attempt fails
    campaign = CampaignFactory()
    action, token = action_submit(campaign=campaign, data=action_input(campaign))
    _run_worker()

    [retry] = _waiting_retries()
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert retry.run_after > timezone.now() + dt.timedelta(seconds=50)
    assert mailbox.wait_for(1, timeout=0.3) == []

    settings.EMAIL_PORT = mailbox.port
    _waiting_retries().update(run_after=timezone.now() - dt.timedelta(seconds=1))  # the minute has passed
    _run_worker()
    [message] = mailbox.wait_for(1)
    assert f"/o/{token}/" in mailbox.text_of(message)
    assert not _waiting_retries().exists()


@pytest.mark.django_db(transaction=True)
def test_action_received_email_is_reported_after_the_last_attempt(database_tasks, settings, caplog):
    settings.EMAIL_PORT = free_port()
    campaign = CampaignFactory()
    action, _ = action_submit(campaign=campaign, data=action_input(campaign))
    for _attempt in range(MAX_ATTEMPTS):
        _waiting_retries().update(run_after=timezone.now() - dt.timedelta(seconds=1))
        _run_worker()
    assert not _waiting_retries().exists()
    entry = AuditEntry.objects.get(verb="actions.email.failed")
    assert entry.target_id == str(action.pk) and "ConnectionRefusedError" in entry.message
    assert "giving up" in caplog.text
