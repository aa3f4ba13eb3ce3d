from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.forms.utils import ErrorDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from groundswell.core.privacy import client_key
from groundswell.core.ratelimit import rate_limit_count, rate_limit_hit

WINDOW_S = 900


class RateLimitedLoginView(auth_views.LoginView):
    """Django's login (its error never says whether the account exists) with failed attempts limited per
    client address, so passwords cannot be guessed at speed."""

    template_name = "dashboard/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        key = client_key(request)
        if (
            rate_limit_count(scope="login-failed", key=key, window_s=WINDOW_S)
            >= settings.LOGIN_FAILURES_PER_15_MIN
        ):
            form = self.get_form()
            # Refuse without checking the password at all: mark the form cleaned, with only this error.
            form.cleaned_data, form._errors = {}, ErrorDict()
            form.add_error(None, _("Too many failed logins from your connection. Try again in 15 minutes."))
            response = self.render_to_response(self.get_context_data(form=form))
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        rate_limit_hit(scope="login-failed", key=client_key(self.request), window_s=WINDOW_S)
        return super().form_invalid(form)


@never_cache
def admin_login(request):
    """``/admin/login/``: Django's admin has its own login form, which is not rate-limited, so the admin sends
    everyone to the dashboard's login instead (keeping ``?next=``). It never checks a password itself."""
    next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    if request.user.is_authenticated:
        if admin.site.has_permission(request):
            return redirect(next_url)
        # Logged in without the admin's rights: the login would only send them back here, round and round.
        raise PermissionDenied
    return redirect(f"{reverse('dashboard:login')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")
