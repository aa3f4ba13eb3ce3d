from django.conf import settings
from django.contrib.auth import views as auth_views
from django.forms.utils import ErrorDict
from django.utils.translation import gettext as _

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
