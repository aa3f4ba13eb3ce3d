"""Sending mail from templates, in the recipient's language, plain text with an HTML alternative."""

import re

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def absolute_url(path: str) -> str:
    """Links in mail come from GROUNDSWELL_BASE_URL, never from a request's Host header."""
    return f"{settings.BASE_URL}{path}"


def send_templated_mail(
    *, to: str, template: str, context: dict, language: str, unsubscribe_url: str = ""
) -> None:
    """Renders ``<template>_subject.txt``, ``<template>.txt`` and ``<template>.html`` and sends them.

    With ``unsubscribe_url`` the message carries List-Unsubscribe and, for mail programs that offer a
    one-click button, List-Unsubscribe-Post (RFC 8058): they POST to that address.
    """
    with translation.override(language):
        context = {**context, "base_url": settings.BASE_URL, "language": language}
        # One line; ASCII whitespace only, so a French no-break space before a colon stays.
        subject = re.sub(r"[ \t\r\n]+", " ", render_to_string(f"{template}_subject.txt", context)).strip()
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    headers = {}
    if unsubscribe_url:
        headers = {
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to], headers=headers)
    message.attach_alternative(html, "text/html")
    message.send()
