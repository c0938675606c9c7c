"""A cable page's Sources box names the files a cable came from without the server's folders (admins, who may
read the sources, see the whole path), and a clearance set with `manage.py set_clearance` is recorded with
who set it."""
import getpass
import io
import re
import zipfile

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from cables.importing import import_paths
from cables.models import Cable, CableChange
from tests.conftest import PAGES
from tracker.models import AuditEvent, Clearance

pytestmark = pytest.mark.django_db

PAGE = PAGES / "09STATE6423.html"


def _sources_box(response) -> str:
    html = response.content.decode()
    return html[html.index('<section class="box sources">'):]


@pytest.fixture
def cable(tmp_path) -> Cable:
    """09STATE6423 from its page in a folder, then again (changed) from a zip of a folder: two sources and a
    change, each with a path of the server's in it."""
    import_paths([PAGE])
    archive = tmp_path / "incoming" / "batch.zip"
    archive.parent.mkdir()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("pages/2009/09STATE6423.html", PAGE.read_text(encoding="utf-8").replace("CLINTON", "RICE"))
    import_paths([archive])
    made = Cable.objects.get(reference_id="09STATE6423")
    assert made.sources.count() == 2 and made.changes.exists()
    return made


def test_an_analyst_sees_the_file_names_without_the_servers_folders(client, role_user, cable, tmp_path):
    client.force_login(role_user("analyst"))
    box = _sources_box(client.get(reverse("cable-detail", args=[cable.reference_id])))
    assert "Cable-viewer page: 09STATE6423.html" in box
    assert "batch.zip › 09STATE6423.html" in box  # the zip and its member, named; neither's folders
    assert "from batch.zip › 09STATE6423.html:" in box  # the change too
    for folder in (str(PAGES), str(tmp_path), "pages/2009", "incoming/"):
        assert folder not in box
    assert "viewer-html" not in box  # the form in words


def test_an_admin_sees_where_on_the_server_a_cable_came_from(client, make_user, cable, tmp_path):
    admin = make_user("keeper", clearance="TOP SECRET", noforn=True)
    admin.groups.add(Group.objects.get(name="admin"))  # may read the sources in the admin
    client.force_login(admin)
    box = _sources_box(client.get(reverse("cable-detail", args=[cable.reference_id])))
    assert str(PAGE) in box
    assert str(tmp_path / "incoming" / "batch.zip") + ":pages/2009/09STATE6423.html" in box
    change = CableChange.objects.get(cable=cable)
    assert f"from {change.source_name}:" in box


@pytest.mark.parametrize("name, shown", [
    ("/srv/in/09STATE6423.html", "09STATE6423.html"),
    ("/srv/in/cablegate.csv row 3 (line 4)", "cablegate.csv row 3 (line 4)"),
    ("/srv/in/a.ZIP:b/inner.zip:c/x.txt", "a.ZIP › inner.zip › x.txt"),
    ("C:\\in\\dump.csv row 9 (line 12)", "dump.csv row 9 (line 12)"),
    ("upload.html", "upload.html"),
])
def test_a_source_is_named_by_its_files_alone(name, shown):
    from cables.views import source_file_name

    assert source_file_name(name) == shown


def _latest_clearance_event(username: str) -> AuditEvent:
    """The latest clearance change of `username` (making a user in a test sets a clearance too)."""
    return AuditEvent.objects.filter(action=AuditEvent.CLEARANCE, target=username).first()


def test_set_clearance_records_the_account_named_with_by(make_user):
    admin = make_user("keeper")
    make_user("erin")
    call_command("set_clearance", "erin", "SECRET", "--by", "keeper", stdout=io.StringIO())
    event = _latest_clearance_event("erin")
    assert event.user == admin
    assert event.details["before"] == {"level": "UNCLASSIFIED", "noforn": False}
    assert event.details["after"] == {"level": "SECRET", "noforn": False}


def test_set_clearance_without_by_records_who_ran_it(make_user):
    make_user("frank")
    call_command("set_clearance", "frank", "CONFIDENTIAL", stdout=io.StringIO())
    event = _latest_clearance_event("frank")
    assert event.user is None
    assert event.username == f"{getpass.getuser()} (command line)"
    assert f"{getpass.getuser()} (command line): clearance changed frank" in str(event)


def test_set_clearance_by_an_unknown_account_changes_nothing(make_user):
    make_user("gina")
    events = AuditEvent.objects.filter(action=AuditEvent.CLEARANCE, target="gina")
    before = events.count()
    with pytest.raises(CommandError, match="no user named 'nobody'"):
        call_command("set_clearance", "gina", "SECRET", "--by", "nobody", stdout=io.StringIO())
    assert Clearance.objects.get(user__username="gina").level == "UNCLASSIFIED"
    assert events.count() == before


def test_a_clearance_set_in_the_admin_still_records_the_admin(admin_client, make_user):
    user = make_user("hal")
    response = admin_client.post(
        reverse("admin:auth_user_change", args=[user.pk]),
        {"username": "hal", "clearance-TOTAL_FORMS": "1", "clearance-INITIAL_FORMS": "1",
         "clearance-MIN_NUM_FORMS": "0", "clearance-MAX_NUM_FORMS": "1", "clearance-0-id": user.clearance.pk,
         "clearance-0-user": user.pk, "clearance-0-level": "SECRET", "date_joined_0": "2026-01-01",
         "date_joined_1": "00:00:00", "is_active": "on"},
    )
    assert response.status_code == 302
    event = _latest_clearance_event("hal")
    assert event.user.username == "admin" and event.username == ""


def test_a_change_names_the_fields_as_a_reader_calls_them(client, role_user, cable):
    CableChange.objects.filter(cable=cable).update(changes={"classified_by": ["A", "B"], "signature": ["X", "Y"]})
    client.force_login(role_user("analyst"))
    box = _sources_box(client.get(reverse("cable-detail", args=[cable.reference_id])))
    line = re.search(r"09STATE6423\.html: ([^<]*)</li>", box).group(1)
    assert sorted(line.split(", ")) == ["classified by", "signature"]  # JSONB keeps no order of keys
    assert "classified_by" not in box


def test_the_demo_command_is_named_as_who_set_the_demo_clearances(db):
    from tracker.management.commands.demo import Command

    Command().reset_account("demo-reader", "reader", False, "SECRET", True)
    event = _latest_clearance_event("demo-reader")
    assert event.username == "the demo command" and event.user is None
