"""Django's admin logs people in through the dashboard's rate-limited login, never through its own form."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def next_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["next"][0]


def test_admin_login_page_sends_to_the_dashboard_login_keeping_next(client):
    response = client.get("/admin/login/?next=/admin/auth/user/")
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == "/dashboard/login/"
    assert next_of(response["Location"]) == "/admin/auth/user/"

    page = client.get("/admin/", follow=True)
    assert page.status_code == 200
    assert page.redirect_chain[-1][0].startswith("/dashboard/login/?")
    assert next_of(page.redirect_chain[-1][0]) == "/admin/"
    assert "Log in to the dashboard" in page.content.decode()
    assert 'id="login-form"' not in page.content.decode()  # the admin's own form


@pytest.mark.parametrize("next_url", ["https://evil.example/admin/", "//evil.example/", ""])
def test_admin_login_keeps_next_on_this_site(client, next_url):
    response = client.get("/admin/login/", {"next": next_url})
    assert next_of(response["Location"]) == "/admin/"


def test_superuser_logging_in_from_the_admin_lands_on_the_admin(client):
    UserFactory(username="root", is_superuser=True)
    login_url = client.get("/admin/", follow=True).redirect_chain[-1][0]

    response = client.post(login_url, {"username": "root", "password": PASSWORD, "next": next_of(login_url)})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert "Site administration" in client.get("/admin/").content.decode()
    # Logged in already: the admin's login path goes straight on.
    assert client.get("/admin/login/?next=/admin/auth/")["Location"] == "/admin/auth/"


def test_admin_login_refuses_a_logged_in_user_without_admin_rights_instead_of_looping(client):
    client.force_login(UserFactory(username="volunteer", is_staff=False))
    assert client.get("/admin/login/?next=/admin/").status_code == 403


def test_posting_to_the_admin_login_path_never_logs_in(client, settings):
    settings.LOGIN_FAILURES_PER_15_MIN = 3
    UserFactory(username="root", is_superuser=True)
    for password in ["wrong", "wrong", "wrong", PASSWORD]:
        response = client.post("/admin/login/?next=/admin/", {"username": "root", "password": password})
        assert response.status_code == 302
        assert urlsplit(response["Location"]).path == "/dashboard/login/"
        assert "_auth_user_id" not in client.session


def test_failed_logins_from_the_admin_are_limited(client, settings):
    settings.LOGIN_FAILURES_PER_15_MIN = 3
    UserFactory(username="root", is_superuser=True)
    login_url = client.get("/admin/login/?next=/admin/")["Location"]
    for _ in range(3):
        response = client.post(login_url, {"username": "root", "password": "wrong", "next": "/admin/"})
        assert response.status_code == 200
    # Within the window even the right password is refused.
    response = client.post(login_url, {"username": "root", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
