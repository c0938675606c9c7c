"""The admin honours clearances like the rest of the app: a cable's text as sent, its re-import history, the
audit log and the requirement history show only what the user's clearance reaches; and an admin who is not
a superuser cannot raise themselves (or anyone) above what they hold."""
import html

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from cables.models import Cable, CableChange, Paragraph
from tracker.models import AuditEvent, Clearance, Question, RequirementChange, RequirementSet

pytestmark = pytest.mark.django_db

SEEN_TEXT = "PLAINPARAGRAPH the embassy reports the harvest"
HIDDEN_TEXT = "NOFORNPARAGRAPH the liaison met the officer in Caracas"
HEADER_TEXT = "HEADERLINE SECRET//NOFORN routing"
OLD_BODY = "OLDBODYTEXT a sentence from the earlier import"


@pytest.fixture
def role_user(make_user):
    def make(name, role, level, noforn=False, staff=False):
        user = make_user(name, clearance=level, noforn=noforn)
        user.groups.add(Group.objects.get(name=role))
        user.is_staff = staff
        user.save()
        return user

    return make


@pytest.fixture
def admin_s(role_user):
    """An admin-role staff user (not a superuser) at SECRET, not NOFORN eligible."""
    return role_user("admin_s", "admin", "SECRET", staff=True)


@pytest.fixture
def admin_snf(role_user):
    return role_user("admin_snf", "admin", "SECRET", noforn=True, staff=True)


@pytest.fixture
def superuser(make_user):
    return make_user("root", staff=True)  # make_user makes staff users superusers


def page(client, url, **params):
    response = client.get(url, params)
    return response, html.unescape(response.content.decode())


def _paragraph(cable, position, marking, level, noforn, text):
    return Paragraph.objects.create(cable=cable, position=position, number=str(position), marking=marking,
                                    level=level, noforn=noforn, text=text)


@pytest.fixture
def secret_cable():
    """A SECRET cable with a (U) paragraph and an (S//NF) one; its body and header hold both."""
    cable = Cable.objects.create(reference_id="09TESTPOST100", classification="SECRET", origin="Embassy Test",
                                 subject="HARVEST REPORT", header=HEADER_TEXT, form="text",
                                 body=f"1. (U) {SEEN_TEXT}\n\n2. (S//NF) {HIDDEN_TEXT}\n")
    _paragraph(cable, 1, "U", 0, False, SEEN_TEXT)
    _paragraph(cable, 2, "S//NF", 2, True, HIDDEN_TEXT)
    CableChange.objects.create(cable=cable, source_name="older.txt", changes={"body": [OLD_BODY, cable.body]})
    return cable


@pytest.fixture
def top_secret_cable():
    cable = Cable.objects.create(reference_id="09TOPSECRET7", classification="TOP SECRET", origin="Embassy Test",
                                 subject="TSSUBJECT", body="1. (TS) TSBODYTEXT", form="text")
    _paragraph(cable, 1, "TS", 3, False, "TSBODYTEXT")
    return cable


# ----------------------------------------------------------------------------- defect 1: the cable admin


def test_the_cable_change_page_withholds_the_raw_text_beyond_the_clearance(client, admin_s, secret_cable):
    client.force_login(admin_s)
    response, text = page(client, reverse("admin:cables_cable_change", args=[secret_cable.pk]))
    assert response.status_code == 200
    assert SEEN_TEXT in text  # the paragraph the user may read, in the inline
    assert HIDDEN_TEXT not in text and HEADER_TEXT not in text
    assert "Withheld" in text
    # the re-import history names the changed field, not its before and after
    assert OLD_BODY not in text and "older.txt" in text


def test_a_user_cleared_for_every_paragraph_reads_the_raw_text(client, admin_snf, superuser, secret_cable):
    for user in (admin_snf, superuser):
        client.force_login(user)
        response, text = page(client, reverse("admin:cables_cable_change", args=[secret_cable.pk]))
        assert response.status_code == 200
        assert HIDDEN_TEXT in text and HEADER_TEXT in text
    assert OLD_BODY in text  # the superuser reads the re-import's before and after


def test_a_cable_beyond_the_clearance_is_not_in_the_admin(client, admin_snf, top_secret_cable, secret_cable):
    client.force_login(admin_snf)
    response, text = page(client, reverse("admin:cables_cable_change", args=[top_secret_cable.pk]))
    assert response.status_code == 302 and "TSBODYTEXT" not in text  # as for a cable that does not exist
    response, text = page(client, reverse("admin:cables_cable_changelist"))
    assert "09TESTPOST100" in text and "09TOPSECRET7" not in text
    response, text = page(client, reverse("admin:cables_cable_changelist"), q="09TOPSECRET7")
    hidden_link = reverse("admin:cables_cable_change", args=[top_secret_cable.pk])
    assert response.status_code == 200 and hidden_link not in text and "TSSUBJECT" not in text


def test_the_cable_list_cannot_be_filtered_on_the_withheld_text(client, admin_s, secret_cable):
    client.force_login(admin_s)
    for probe in ({"body__icontains": "Caracas"}, {"header__contains": "HEADERLINE"}):
        response = client.get(reverse("admin:cables_cable_changelist"), probe)
        assert response.status_code == 400 or "09TESTPOST100" not in response.content.decode()
    response, text = page(client, reverse("admin:cables_cable_changelist"), classification__exact="SECRET")
    assert response.status_code == 200 and "09TESTPOST100" in text  # the list filters still work


# ----------------------------------------------------------------------------- defect 2: audit log, history


@pytest.fixture
def events(superuser):
    requirement = AuditEvent.objects.create(
        action=AuditEvent.REQUIREMENTS, user=superuser, target="09HIDDENREF42 A.1",
        details={"action": "question edited", "before": {"marking": "S//NF", "text": "QUESTIONTEXT asset name"},
                 "after": {"marking": "S//NF", "text": "QUESTIONTEXT reworded"}})
    response = AuditEvent.objects.create(
        action=AuditEvent.REQUIREMENTS, user=superuser, target="08ANSWERREF9 -> 09HIDDENREF42 A.1",
        details={"action": "response logged", "after": {"note": "RESPONSENOTE met the officer"}})
    failed = AuditEvent.objects.create(action=AuditEvent.LOGIN_FAILED, username="mallory")
    return requirement, response, failed


def test_the_audit_log_hides_requirement_events_from_a_user_not_cleared_for_everything(client, admin_snf, events):
    requirement, response_event, failed = events
    client.force_login(admin_snf)
    response, text = page(client, reverse("admin:tracker_auditevent_changelist"))
    assert response.status_code == 200
    assert "mallory" in text  # what holds no classified content stays
    assert "09HIDDENREF42" not in text and "08ANSWERREF9" not in text
    for event in (requirement, response_event):
        response, text = page(client, reverse("admin:tracker_auditevent_change", args=[event.pk]))
        assert response.status_code == 302
        assert "QUESTIONTEXT" not in text and "RESPONSENOTE" not in text
    assert page(client, reverse("admin:tracker_auditevent_change", args=[failed.pk]))[0].status_code == 200
    # searching the target tells nothing of whether a hidden reference exists
    response, text = page(client, reverse("admin:tracker_auditevent_changelist"), q="09HIDDENREF42")
    assert "09HIDDENREF42 A.1" not in text and "0 audit events" in text
    response = client.get(reverse("admin:tracker_auditevent_changelist"), {"details__icontains": "QUESTIONTEXT"})
    assert response.status_code == 400 or "09HIDDENREF42" not in response.content.decode()


def test_a_user_cleared_for_everything_reads_the_whole_audit_log(client, superuser, role_user, events):
    requirement = events[0]
    for user in (superuser, role_user("admin_ts", "admin", "TOP SECRET", noforn=True, staff=True)):
        client.force_login(user)
        response, text = page(client, reverse("admin:tracker_auditevent_changelist"), q="09HIDDENREF42")
        assert "09HIDDENREF42 A.1" in text
        response, text = page(client, reverse("admin:tracker_auditevent_change", args=[requirement.pk]))
        assert response.status_code == 200 and "QUESTIONTEXT" in text


@pytest.fixture
def requirement_history(secret_cable, superuser):
    requirement_set = RequirementSet.objects.create(tasking_cable=secret_cable, title="SETTITLE harvest")
    question = Question.objects.create(requirement_set=requirement_set, code="A.1", marking="U", text="QTEXT crops")
    downgraded = RequirementChange.objects.create(
        requirement_set=requirement_set, question=question, user=superuser, action="question edited",
        before={"code": "A.1", "marking": "S//NF", "text": "WASNOFORN the asset's name"},
        after={"code": "A.1", "marking": "U", "text": "QTEXT crops"})
    return requirement_set, downgraded


def test_the_requirement_history_withholds_states_beyond_the_clearance(client, admin_s, admin_snf,
                                                                         requirement_history):
    requirement_set, downgraded = requirement_history
    url = reverse("admin:tracker_requirementchange_change", args=[downgraded.pk])
    client.force_login(admin_s)
    response, text = page(client, url)
    assert response.status_code == 200
    assert "WASNOFORN" not in text and "Withheld" in text
    assert client.get(reverse("admin:tracker_requirementchange_changelist"),
                      {"before__icontains": "WASNOFORN"}).status_code == 400
    client.force_login(admin_snf)
    response, text = page(client, url)
    assert "WASNOFORN" in text


def test_requirement_sets_and_history_beyond_the_clearance_are_not_in_the_admin(client, role_user,
                                                                                  requirement_history):
    requirement_set, downgraded = requirement_history
    client.force_login(role_user("admin_c", "admin", "CONFIDENTIAL", staff=True))
    response, text = page(client, reverse("admin:tracker_requirementset_changelist"))
    assert "SETTITLE" not in text
    assert client.get(reverse("admin:tracker_requirementset_change", args=[requirement_set.pk])).status_code == 302
    assert client.get(reverse("admin:tracker_requirementchange_change", args=[downgraded.pk])).status_code == 302


# ----------------------------------------------------------------------------- defect 3: escalation


def user_form(user, **changes):
    """The user change form as the admin page posts it, with the user's clearance inline."""
    clearance = Clearance.objects.get(user=user)
    data = {
        "username": user.username, "first_name": "", "last_name": "", "email": "",
        "is_active": "on", "is_staff": "on" if user.is_staff else "",
        "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00",
        "groups": [str(pk) for pk in user.groups.values_list("pk", flat=True)],
        "clearance-TOTAL_FORMS": "1", "clearance-INITIAL_FORMS": "1", "clearance-MIN_NUM_FORMS": "0",
        "clearance-MAX_NUM_FORMS": "1", "clearance-0-id": str(clearance.pk), "clearance-0-user": str(user.pk),
        "clearance-0-level": clearance.level, "clearance-0-noforn": "on" if clearance.noforn else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_an_admin_cannot_make_itself_superuser_or_raise_its_clearance(client, admin_s):
    client.force_login(admin_s)
    url = reverse("admin:auth_user_change", args=[admin_s.pk])
    response, text = page(client, url)
    assert response.status_code == 200
    assert 'name="is_superuser"' not in text and 'name="clearance-0-level"' not in text
    client.post(url, user_form(admin_s, is_superuser="on", **{"clearance-0-level": "TOP SECRET",
                                                                "clearance-0-noforn": "on"}))
    admin_s.refresh_from_db()
    clearance = Clearance.objects.get(user=admin_s)
    assert not admin_s.is_superuser
    assert (clearance.level, clearance.noforn) == ("SECRET", False)


def test_an_admin_cannot_grant_a_clearance_above_its_own(client, admin_s, role_user):
    other = role_user("ana", "analyst", "CONFIDENTIAL")
    client.force_login(admin_s)
    url = reverse("admin:auth_user_change", args=[other.pk])
    for changes in ({"clearance-0-level": "TOP SECRET"}, {"clearance-0-noforn": "on"},
                    {"is_superuser": "on"}):
        client.post(url, user_form(other, **changes))
        other.refresh_from_db()
        clearance = Clearance.objects.get(user=other)
        assert (clearance.level, clearance.noforn, other.is_superuser) == ("CONFIDENTIAL", False, False), changes
    response = client.post(url, user_form(other, **{"clearance-0-level": "SECRET"}))
    assert response.status_code == 302  # within its own clearance it still manages clearances
    assert Clearance.objects.get(user=other).level == "SECRET"


def test_an_admin_cannot_grant_permissions_or_groups_beyond_its_own(client, admin_s, role_user):
    other = role_user("ana", "analyst", "CONFIDENTIAL")
    powerful = Group.objects.create(name="powerful")
    powerful.permissions.add(Permission.objects.get(codename="delete_user"))
    delete_user = Permission.objects.get(codename="delete_user")
    client.force_login(admin_s)
    url = reverse("admin:auth_user_change", args=[other.pk])
    client.post(url, user_form(other, user_permissions=[str(delete_user.pk)]))
    client.post(url, user_form(other, groups=[str(powerful.pk)]))
    client.post(url, user_form(admin_s, user_permissions=[str(delete_user.pk)]))
    for user in (other, admin_s):
        user.refresh_from_db()
        assert not user.has_perm("auth.delete_user")
        assert not user.groups.filter(name="powerful").exists()
    admin_group = Group.objects.get(name="admin")
    response = client.post(url, user_form(other, groups=[str(admin_group.pk)]))
    assert response.status_code == 302 and other.groups.filter(name="admin").exists()  # its own role: fine


def test_an_admin_cannot_take_over_an_account_holding_more(client, admin_s, superuser, role_user):
    senior = role_user("senior", "analyst", "TOP SECRET", noforn=True)
    client.force_login(admin_s)
    for target in (superuser, senior):
        before = Clearance.objects.get(user=target).level
        assert client.get(reverse("admin:auth_user_password_change", args=[target.pk])).status_code == 403
        client.post(reverse("admin:auth_user_password_change", args=[target.pk]),
                    {"password1": "Taken-over-123", "password2": "Taken-over-123"})
        client.post(reverse("admin:auth_user_change", args=[target.pk]),
                    user_form(target, email="x@example.org",
                              **{"clearance-0-level": "CONFIDENTIAL" if before != "CONFIDENTIAL" else "SECRET"}))
        target.refresh_from_db()
        assert target.check_password("a-long-test-password") and target.email == ""
        assert Clearance.objects.get(user=target).level == before


def test_a_superuser_still_manages_everything(client, superuser, admin_s):
    client.force_login(superuser)
    url = reverse("admin:auth_user_change", args=[admin_s.pk])
    response = client.post(url, user_form(admin_s, is_superuser="on", **{"clearance-0-level": "TOP SECRET",
                                                                         "clearance-0-noforn": "on"}))
    assert response.status_code == 302, response.content.decode()[:2000]
    admin_s.refresh_from_db()
    assert admin_s.is_superuser and Clearance.objects.get(user=admin_s).level == "TOP SECRET"
