"""Import jobs: the admin upload queues a Celery job (a real worker where a broker is configured), whose
page follows it live and then shows the report."""
import pytest
from django.urls import reverse

from cables.models import Cable, ImportJob
from tests.conftest import FLATTENED_SEED, TEXT_PAGE_SEED, wait_for

pytestmark = pytest.mark.worker


def test_an_admin_upload_runs_as_a_job_and_reports(celery_worker, admin_client):
    with open(FLATTENED_SEED, "rb") as flat, open(TEXT_PAGE_SEED, "rb") as page:
        bad = ("broken.html", b"<html><body>no cable here</body></html>")
        from django.core.files.uploadedfile import SimpleUploadedFile

        response = admin_client.post(
            reverse("admin:cables_importjob_upload"),
            {"files": [flat, page, SimpleUploadedFile(*bad, content_type="text/html")]},
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("import-detail", args=[job.pk])
    job = wait_for(lambda: ImportJob.objects.filter(pk=job.pk, status__in=["done", "failed"]).first())
    assert job.status == "done", job.message
    assert (job.new, job.rejected) == (2, 1)
    assert set(Cable.objects.values_list("reference_id", flat=True)) == {"09STATE6423", "08MOSCOW3526"}
    rejection = job.rejections.get()
    assert (rejection.file, rejection.location) == ("broken.html", "")
    assert "no cable table" in rejection.reason

    status = admin_client.get(reverse("import-status", args=[job.pk])).json()
    assert status == {**status, "status": "done", "percent": 100, "new": 2, "rejected": 1}
    page = admin_client.get(reverse("import-detail", args=[job.pk])).content.decode()
    assert "no cable table" in page and "broken.html" in page


def test_a_job_runs_once_even_if_queued_twice(celery_worker, admin_client, tmp_path, settings):
    from cables.tasks import run_import_job

    folder = tmp_path / "media" / "imports" / "x"
    folder.mkdir(parents=True)
    (folder / "seed.txt").write_bytes(TEXT_PAGE_SEED.read_bytes())
    job = ImportJob.objects.create(paths=["imports/x/seed.txt"], names=["seed.txt"])
    run_import_job.delay(job.pk)
    run_import_job.delay(job.pk)
    wait_for(lambda: ImportJob.objects.filter(pk=job.pk, status="done").exists())
    job.refresh_from_db()
    assert (job.new, job.unchanged) == (1, 0)


def test_only_staff_reach_the_upload_and_job_pages(analyst_client):
    job = ImportJob.objects.create(paths=[], names=[])
    assert analyst_client.get(reverse("admin:cables_importjob_upload")).status_code == 302
    assert analyst_client.get(reverse("import-detail", args=[job.pk])).status_code == 403
    assert analyst_client.get(reverse("import-status", args=[job.pk])).status_code == 403


@pytest.mark.django_db
def test_the_upload_form_asks_again_when_no_file_is_given(admin_client):
    response = admin_client.post(reverse("admin:cables_importjob_upload"), {})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_empty_file_among_the_uploads_is_reported_and_the_others_imported(celery_worker, admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with open(TEXT_PAGE_SEED, "rb") as page:
        response = admin_client.post(reverse("admin:cables_importjob_upload"),
                                     {"files": [page, SimpleUploadedFile("empty.txt", b"", content_type="text/plain")]})
    assert response.status_code == 302, response.content.decode()[:2000]
    job = wait_for(lambda: ImportJob.objects.filter(status__in=["done", "failed"]).first())
    assert job.status == "done", job.message
    assert (job.new, job.rejected) == (1, 1)
    assert job.rejections.get().file == "empty.txt"


@pytest.mark.django_db
def test_a_jobs_report_is_its_starters_and_else_only_for_those_cleared_for_everything(client, make_user):
    """A report names the cables it brought, whatever their classification ("09ABUJA777: kept the stored
    text"): another admin cleared below TOP SECRET//NOFORN finds no such job, in the pages or the admin."""
    from django.contrib.auth.models import Permission

    def admin(name, clearance, noforn):
        user = make_user(name, clearance=clearance, noforn=noforn)
        user.is_staff = True
        user.save()
        user.user_permissions.add(*Permission.objects.filter(codename__in=["view_importjob", "add_importjob"]))
        return user

    starter, other, cleared = admin("starter", "SECRET", False), admin("other", "SECRET", True), admin(
        "cleared", "TOP SECRET", True)
    job = ImportJob.objects.create(paths=[], names=["ts.txt"], created_by=starter, status="done",
                                   message="09ABUJA777: kept the stored text")
    for user, code in ((starter, 200), (other, 404), (cleared, 200)):
        client.force_login(user)
        assert client.get(reverse("import-detail", args=[job.pk])).status_code == code, user
        assert client.get(reverse("import-status", args=[job.pk])).status_code == code, user
        listed = client.get(reverse("admin:cables_importjob_changelist"))
        change = reverse("admin:cables_importjob_change", args=[job.pk])
        assert listed.status_code == 200 and (change in listed.content.decode()) == (code == 200), user
        assert client.get(change).status_code == (200 if code == 200 else 302), user  # the admin's "no such"
