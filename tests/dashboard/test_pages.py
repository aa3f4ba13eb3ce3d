"""Log in and out, and what every dashboard page promises: strict CSP (nothing inline), translated text."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from groundswell.actions.models import Action
from tests.dashboard.conftest import pending_action
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_the_login(world, client):
    response = client.get("/dashboard/c/clean-water/queue/")
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/login/?next=/dashboard/c/clean-water/queue/"


def test_login_does_not_reveal_whether_an_account_exists(world, client):
    wrong_password = client.post(
        reverse("dashboard:login"), {"username": "mod", "password": "wrong password"}
    )
    no_account = client.post(
        reverse("dashboard:login"), {"username": "no-such-user", "password": "wrong password"}
    )
    inactive = UserFactory(username="gone", is_active=False)
    inactive_account = client.post(
        reverse("dashboard:login"),
        {"username": inactive.username, "password": "correct horse battery staple"},
    )

    def error_of(response):
        assert response.status_code == 200
        return re.search(r'<div class="form-errors".*?</div>', response.content.decode(), re.S).group(0)

    assert "Please enter a correct" in error_of(wrong_password)
    assert error_of(wrong_password) == error_of(no_account) == error_of(inactive_account)


def test_login_and_logout(world, client):
    response = client.post(
        reverse("dashboard:login"),
        {
            "username": "mod",
            "password": "correct horse battery staple",
            "next": "/dashboard/c/clean-water/queue/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/c/clean-water/queue/"
    assert client.get("/dashboard/").status_code == 200

    assert client.get(reverse("dashboard:logout")).status_code == 405
    assert client.get("/dashboard/").status_code == 200
    response = client.post(reverse("dashboard:logout"))
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 302


def test_login_goes_to_the_dashboard_by_default(world, client):
    response = client.post(
        reverse("dashboard:login"), {"username": "mod", "password": "correct horse battery staple"}
    )
    assert response["Location"] == reverse("dashboard:home")


def test_decision_endpoints_refuse_get(world, as_user):
    client = as_user(world.users["moderator"])
    for name in ("approve", "reject"):
        assert (
            client.get(
                reverse(f"dashboard:{name}", kwargs={"slug": "clean-water", "pk": world.action.pk})
            ).status_code
            == 405
        )
    assert client.get(reverse("dashboard:bulk-approve", kwargs={"slug": "clean-water"})).status_code == 405
    world.action.refresh_from_db()
    assert world.action.status == Action.Status.PENDING


class InlineFinder(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, style elements and attributes, handlers."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        names = {name.lower(): value or "" for name, value in attrs}
        if tag == "script" and "src" not in names:
            self.found.append("an inline <script>")
        if tag == "style":
            self.found.append("a <style> element")
        if "style" in names:
            self.found.append(f"a style= attribute on <{tag}>")
        self.found.extend(f"an {name}= handler on <{tag}>" for name in names if name.startswith("on"))
        if any(value.strip().lower().startswith("javascript:") for value in names.values()):
            self.found.append(f"a javascript: URL on <{tag}>")


def inline_code_in(content: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(content)
    return finder.found


def test_every_page_is_csp_clean_and_escapes_user_text(world, as_user):
    hostile = pending_action(
        campaign=world.campaign,
        title='<script>alert(1)</script><img src=x onerror="alert(2)">',
        description="<style>body{}</style>",
        pending_changes={"title": ["<b onmouseover=alert(3)>", "<i style=color:red>"]},
    )
    client = as_user(world.users["coordinator"])
    urls = [
        "/dashboard/",
        "/dashboard/c/clean-water/queue/",
        f"/dashboard/c/clean-water/actions/{hostile.pk}/",
        "/dashboard/c/clean-water/call/",
        "/dashboard/c/clean-water/call/fr/",
        "/dashboard/c/clean-water/call/en/",
        "/dashboard/c/clean-water/settings/",
        "/dashboard/c/clean-water/roles/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        assert inline_code_in(content) == [], url
        assert "<script>alert(1)</script>" not in content
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], url
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get(urls[1]).content.decode()
    login = as_user(None).get(reverse("dashboard:login"))
    assert inline_code_in(login.content.decode()) == []


def test_inline_finder_finds_inline_code():
    found = inline_code_in('<p style="x"><script>1</script><a href="javascript:x" onclick="y">')
    assert len(found) == 4


def test_pages_follow_the_interface_language(world, as_user):
    # The French catalogue may not have every dashboard string yet; the page must still render in French.
    response = as_user(world.users["coordinator"]).get("/dashboard/c/clean-water/queue/?lang=fr")
    assert response.status_code == 200
    assert '<html lang="fr"' in response.content.decode()


@pytest.mark.django_db
def test_login_refuses_after_too_many_failures(client, settings):
    from tests.factories import UserFactory

    settings.LOGIN_FAILURES_PER_15_MIN = 3
    UserFactory(username="steady")
    for _ in range(3):
        response = client.post("/dashboard/login/", {"username": "steady", "password": "wrong"})
        assert response.status_code == 200
    # Even the right password is refused now, with a clear message.
    response = client.post(
        "/dashboard/login/", {"username": "steady", "password": "correct horse battery staple"}
    )
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session
