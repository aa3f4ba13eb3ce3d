"""Sending mail from templates, in the recipient's language, plain text with an HTML alternative."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def absolute_url(path: str) -> str:
    """Links in mail come from GROUNDSWELL_BASE_URL, never from a request's Host header."""
    return f"{settings.BASE_URL}{path}"


def send_templated_mail(*, to: str, template: str, context: dict, language: str) -> None:
    """Renders ``<template>_subject.txt``, ``<template>.txt`` and ``<template>.html`` and sends them."""
    with translation.override(language):
        context = {**context, "base_url": settings.BASE_URL, "language": language}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()
