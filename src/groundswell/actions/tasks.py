from django.urls import reverse
from django_tasks import task

from groundswell.core.mail import absolute_url, send_templated_mail


@task()
def send_action_received_email(action_id: int, token: str) -> None:
    """Tells the organizer their action waits for moderation and gives the secret edit link.

    The token travels in the task's arguments because only its hash is stored with the action.
    """
    from .models import Action

    action = Action.objects.select_related("campaign").get(pk=action_id)
    send_templated_mail(
        to=action.contact_email,
        template="actions/email/action_received",
        context={
            "action": action,
            "edit_url": absolute_url(reverse("public:organizer", kwargs={"token": token})),
        },
        language=action.language,
    )


@task()
def send_action_decision_email(action_id: int) -> None:
    """Tells the organizer a moderator approved or rejected their action (with the reason)."""
    from .models import Action

    action = Action.objects.select_related("campaign").get(pk=action_id)
    send_templated_mail(
        to=action.contact_email,
        template="actions/email/action_decision",
        context={"action": action, "action_url": absolute_url(action.get_absolute_url())},
        language=action.language,
    )
