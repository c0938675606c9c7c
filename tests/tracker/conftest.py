"""Fixtures of the requirements tests: role users and stored tasking cables."""
import pytest

from cables.importing import import_paths
from cables.models import Cable
from tracker import requirements
from tests.conftest import FLATTENED_SEED, PAGES, SEEDS
from tests.tracker.tasking import SECRET_TASKING


@pytest.fixture
def iran_cable(db) -> Cable:
    """09STATE6423 from its cable-viewer page."""
    import_paths([PAGES / "09STATE6423.html"])
    return Cable.objects.get(reference_id="09STATE6423")


@pytest.fixture
def flattened_iran_cable(db) -> Cable:
    """09STATE6423 from the flattened seed only."""
    import_paths([FLATTENED_SEED])
    return Cable.objects.get(reference_id="09STATE6423")


@pytest.fixture
def secret_tasking(db, tmp_path) -> Cable:
    path = tmp_path / "gulf-of-guinea.txt"
    path.write_text(SECRET_TASKING)
    report = import_paths([path])
    assert report.new == 1, report.rejected
    return Cable.objects.get(subject__icontains="GULF OF GUINEA")


@pytest.fixture
def seeds(db):
    import_paths([SEEDS])


@pytest.fixture
def analyst(client, role_user):
    """An analyst cleared SECRET with NOFORN, logged in on the test client."""
    user = role_user("ana")
    client.force_login(user)
    return user


@pytest.fixture
def sets(db):
    """The Cuba-Russia set (cited by 09MOSCOW1730) and the Iran set; 08LAPAZ751 cites neither."""
    import_paths([PAGES / name for name in ("09STATE40419.html", "09MOSCOW1730.html", "09STATE6423.html",
                                             "08LAPAZ751.html")])
    return (requirements.create_set(Cable.objects.get(reference_id="09STATE40419")),
            requirements.create_set(Cable.objects.get(reference_id="09STATE6423")))
