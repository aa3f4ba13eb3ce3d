"""The call in every language: an overview, and the side-by-side editor of one language."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from groundswell.accounts.permissions import can_translate
from groundswell.campaigns.selectors import call_changes_since, call_translation_is_outdated
from groundswell.campaigns.services import call_translation_save
from groundswell.core.forms import add_service_errors
from groundswell.core.languages import language_choices, language_name, normalize_language

from ..access import campaign_for
from ..forms import TranslationForm
from ..selectors import call_translation_overview, call_translation_pair


@login_required
@require_GET
def translations(request, slug):
    campaign, access = campaign_for(request, slug, need="translate")
    if request.GET.get("language"):
        # The "add a language" form: a plain GET form that lands on that language's editor.
        language = normalize_language(request.GET["language"])
        if language:
            return redirect("dashboard:translation_edit", slug=campaign.slug, language=language)
        messages.error(request, _("Unknown language."))
    original, rows = call_translation_overview(campaign=campaign)
    written = {row.translation.language for row in rows}
    return render(
        request,
        "dashboard/translation_list.html",
        {
            "campaign": campaign,
            "access": access,
            "original": original,
            "rows": [
                (
                    row,
                    language_name(row.translation.language),
                    can_translate(request.user, campaign, row.translation.language),
                )
                for row in rows
            ],
            "new_languages": [(code, name) for code, name in language_choices() if code not in written],
        },
    )


def _based_on(value: str | None) -> dt.datetime | None:
    """The original's version the translator saw, sent back by the form; None when missing or malformed."""
    try:
        when = dt.datetime.fromisoformat(value or "")
    except ValueError:
        return None
    return when if when.tzinfo is not None else None


@login_required
@require_http_methods(["GET", "POST"])
def translation_edit(request, slug, language):
    campaign, access = campaign_for(request, slug, need="translate")
    code = normalize_language(language)
    if not code:
        raise Http404("Unknown language")
    if code != language:
        return redirect("dashboard:translation_edit", slug=campaign.slug, language=code)
    if not can_translate(request.user, campaign, code):
        raise PermissionDenied
    original, translation = call_translation_pair(campaign=campaign, language=code)
    initial = {}
    if translation is not None:
        initial = {
            "title": translation.title,
            "body": translation.body,
            "demands": "\n".join(translation.demands),
        }
    form = TranslationForm(request.POST if request.method == "POST" else None, initial=initial)
    # The form carries the version of the original the translator is looking at: if the original changes
    # before they save, their translation follows the version they saw and stays outdated.
    based_on = _based_on(request.POST.get("based_on")) if form.is_bound else None
    if based_on is None and original is not None:
        based_on = original.source_updated_at
    if form.is_valid():
        try:
            saved = call_translation_save(
                actor=request.user,
                campaign=campaign,
                language=code,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                demands=form.cleaned_data["demands"],
                based_on=based_on,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Saved the call in %(language)s.") % {"language": language_name(code)}
            )
            original_now, __ = call_translation_pair(campaign=campaign, language=code)
            if call_translation_is_outdated(translation=saved, original=original_now):
                messages.warning(
                    request,
                    _(
                        "The original changed while you were translating. Your translation follows the "
                        "version you saw: see below what changed since."
                    ),
                )
                return redirect("dashboard:translation_edit", slug=campaign.slug, language=code)
            return redirect("dashboard:translations", slug=campaign.slug)
    return render(
        request,
        "dashboard/translation_edit.html",
        {
            "campaign": campaign,
            "access": access,
            "language": code,
            "language_label": language_name(code),
            "original": original,
            "translation": translation,
            "is_original": translation.is_original if translation else original is None,
            "changes": (
                call_changes_since(translation=translation, original=original)
                if translation is not None and original is not None
                else None
            ),
            "based_on": based_on.isoformat() if based_on else "",
            "form": form,
        },
        status=400 if form.is_bound else 200,
    )
