from django.urls import reverse
from django_tasks import task

from groundswell.core.mail import absolute_url
from groundswell.core.tasks import send_mail_or_retry


def _report(action, verb: str):
    from groundswell.core.services import audit_record

    def report(message: str) -> None:
        audit_record(actor=None, verb=verb, target=action, campaign=action.campaign, message=message)

    return report


@task()
def send_action_received_email(action_id: int, token: str, attempt: int = 1) -> None:
    """Tells the organizer their action waits for moderation and gives the secret edit link.

    The token travels in the task's arguments because only its hash is stored with the action (finished
    task results are deleted after a day by the hourly erasure task). Retried when sending fails.
    """
    from .models import Action

    action = Action.objects.select_related("campaign").get(pk=action_id)
    send_mail_or_retry(
        send_action_received_email,
        args=(action_id, token),
        attempt=attempt,
        report=_report(action, "actions.email.failed"),
        to=action.contact_email,
        template="actions/email/action_received",
        context={
            "action": action,
            "edit_url": absolute_url(reverse("public:organizer", kwargs={"token": token})),
        },
        language=action.language,
    )


@task()
def send_action_decision_email(action_id: int, attempt: int = 1) -> None:
    """Tells the organizer a moderator approved or rejected their action (with the reason)."""
    from .models import Action

    action = Action.objects.select_related("campaign").get(pk=action_id)
    send_mail_or_retry(
        send_action_decision_email,
        args=(action_id,),
        attempt=attempt,
        report=_report(action, "actions.email.failed"),
        to=action.contact_email,
        template="actions/email/action_decision",
        context={"action": action, "action_url": absolute_url(action.get_absolute_url())},
        language=action.language,
    )
