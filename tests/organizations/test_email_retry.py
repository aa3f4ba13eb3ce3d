"""A signer's verification email is retried when the mail server fails, then reported: never lost."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from groundswell.core.models import AuditEntry
from groundswell.core.tasks import MAX_ATTEMPTS
from groundswell.organizations.models import Endorsement
from groundswell.organizations.services import endorsement_submit
from tests.conftest import free_port
from tests.factories import CampaignFactory

from .support import link_in, organization_input


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def _waiting():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        status="READY", task_path__endswith="send_endorsement_verification_email"
    )


@pytest.mark.django_db(transaction=True)
def test_verification_email_is_retried_then_reported(database_tasks, settings, mailbox):
    settings.EMAIL_PORT = free_port()  # nothing listens: the first attempt fails
    endorsement = endorsement_submit(campaign=CampaignFactory(), data=organization_input())
    _run_worker()
    [retry] = _waiting()
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}

    settings.EMAIL_PORT = mailbox.port
    _waiting().update(run_after=timezone.now() - dt.timedelta(seconds=1))
    _run_worker()
    [message] = mailbox.wait_for(1)
    assert link_in(mailbox.text_of(message), "verify").startswith(f"{endorsement.pk}-")
    assert not _waiting().exists()


@pytest.mark.django_db(transaction=True)
def test_verification_email_failure_is_audited_after_the_last_attempt(database_tasks, settings):
    settings.EMAIL_PORT = free_port()
    endorsement_submit(campaign=CampaignFactory(), data=organization_input())
    for _attempt in range(MAX_ATTEMPTS):
        _waiting().update(run_after=timezone.now() - dt.timedelta(seconds=1))
        _run_worker()
    assert not _waiting().exists()
    assert AuditEntry.objects.filter(verb="organizations.email.failed").count() == 1
    assert Endorsement.objects.get().status == Endorsement.Status.UNVERIFIED  # the signature is kept
