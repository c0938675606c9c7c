"""Audit log, lock-out, roles and security headers."""
import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from cables.importing import import_paths
from tests.conftest import SEEDS
from tracker.models import AuditEvent

pytestmark = pytest.mark.django_db


def login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_failed_logins_are_recorded_and_lock_the_account_out(client, make_user, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    make_user("alice", password="the-right-password")
    for _ in range(3):
        assert login(client, "alice", "wrong").status_code == 200
    assert AuditEvent.objects.filter(action=AuditEvent.LOGIN_FAILED, username="alice").count() == 3
    response = login(client, "alice", "the-right-password")  # right password, but locked
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "locked" in response.content.decode()
    token = client.post(reverse("api-token"), {"username": "alice", "password": "the-right-password"})
    assert token.status_code == 400


def test_the_lock_out_ends_when_the_window_passes(client, make_user, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    make_user("bob", password="the-right-password")
    login(client, "bob", "wrong")
    login(client, "bob", "wrong")
    AuditEvent.objects.update(at="2000-01-01T00:00Z")
    assert login(client, "bob", "the-right-password").status_code == 302


def test_a_successful_login_below_the_limit_works(client, make_user):
    make_user("carol", password="the-right-password")
    login(client, "carol", "wrong")
    assert login(client, "carol", "the-right-password").status_code == 302


def test_clearance_changes_are_recorded_with_before_and_after(make_user, admin_client):
    user = make_user("dave")
    call_command("set_clearance", "dave", "SECRET", "--noforn", stdout=io.StringIO())
    event = AuditEvent.objects.filter(action=AuditEvent.CLEARANCE).first()
    assert event.target == "dave"
    assert event.details == {"before": {"level": "UNCLASSIFIED", "noforn": False},
                             "after": {"level": "SECRET", "noforn": True}}
    response = admin_client.post(
        reverse("admin:auth_user_change", args=[user.pk]),
        {"username": "dave", "clearance-TOTAL_FORMS": "1", "clearance-INITIAL_FORMS": "1",
         "clearance-MIN_NUM_FORMS": "0", "clearance-MAX_NUM_FORMS": "1", "clearance-0-id": user.clearance.pk,
         "clearance-0-user": user.pk, "clearance-0-level": "CONFIDENTIAL", "date_joined_0": "2026-01-01",
         "date_joined_1": "00:00:00", "is_active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    latest = AuditEvent.objects.filter(action=AuditEvent.CLEARANCE).first()
    assert latest.user.username == "admin"
    assert latest.details["after"] == {"level": "CONFIDENTIAL", "noforn": False}


def test_imports_are_recorded(make_user):
    import_paths([SEEDS], user=make_user("importer", staff=True))
    event = AuditEvent.objects.get(action=AuditEvent.IMPORT)
    assert event.user.username == "importer" and event.details["new"] == 2


def test_the_audit_log_cannot_be_edited_in_the_admin(admin_client):
    event = AuditEvent.objects.create(action=AuditEvent.LOGIN_FAILED, username="x")
    assert admin_client.get(reverse("admin:tracker_auditevent_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:tracker_auditevent_add")).status_code == 403
    assert admin_client.post(reverse("admin:tracker_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_roles_exist_with_their_permissions():
    admin = Group.objects.get(name="admin")
    assert admin.permissions.filter(codename="add_importjob").exists()
    assert admin.permissions.filter(codename="change_clearance").exists()
    assert not Group.objects.get(name="reader").permissions.filter(codename="add_importjob").exists()
    assert Group.objects.filter(name="analyst").exists()


def test_pages_send_security_headers(analyst_client):
    response = analyst_client.get(reverse("cable-list"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
