"""Admin: cables read-only (they come from imports), and the import upload that queues a Celery job."""
import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import path, reverse

from cables.models import Cable, CableChange, CableSource, ImportJob, ImportRejection, Paragraph
from cables.tasks import run_import_job


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(
        help_text="Cable-viewer pages (HTML or saved as text), flattened pages, raw cable text, "
        "Cablegate CSV dumps, or zips of any of these."
    )


def store_uploads(files) -> tuple[list[str], list[str], int]:
    """Save uploads under MEDIA_ROOT/imports/<uuid>/; return their relative paths, names and total size."""
    folder = Path("imports") / uuid.uuid4().hex
    (Path(settings.MEDIA_ROOT) / folder).mkdir(parents=True, exist_ok=True)
    paths, names, size = [], [], 0
    for i, upload in enumerate(files):
        safe = f"{i:04d}-" + "".join(c if c.isalnum() or c in "._-" else "_" for c in Path(upload.name).name)[:120]
        relative = folder / safe
        with open(Path(settings.MEDIA_ROOT) / relative, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        paths.append(str(relative))
        names.append(upload.name)
        size += upload.size
    return paths, names, size


class ParagraphInline(admin.TabularInline):
    model = Paragraph
    extra = 0
    can_delete = False
    fields = ["position", "number", "marking", "heading", "text", "damaged"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


class SourceInline(admin.TabularInline):
    model = CableSource
    extra = 0
    can_delete = False
    fields = ["form", "name", "fullness", "imported", "job"]
    readonly_fields = fields


class ChangeInline(admin.TabularInline):
    model = CableChange
    extra = 0
    can_delete = False
    fields = ["at", "job", "source_name", "changes"]
    readonly_fields = fields


@admin.register(Cable)
class CableAdmin(admin.ModelAdmin):
    list_display = ["reference_id", "created", "classification", "origin", "subject"]
    list_filter = ["classification", "form", "partial"]
    search_fields = ["reference_id", "subject"]
    date_hierarchy = "created"
    inlines = [ParagraphInline, SourceInline, ChangeInline]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RejectionInline(admin.TabularInline):
    model = ImportRejection
    extra = 0
    can_delete = False
    fields = ["file", "location", "reason"]
    readonly_fields = fields


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["pk", "created", "created_by", "status", "new", "updated_count", "unchanged", "rejected"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in ImportJob._meta.fields]
    inlines = [RejectionInline]

    def get_urls(self):
        return [path("upload/", self.admin_site.admin_view(self.upload_view), name="cables_importjob_upload")] + super().get_urls()

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("admin:cables_importjob_upload")

    def has_change_permission(self, request, obj=None):
        return False

    def upload_view(self, request):
        if not self.has_add_permission(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
        if request.method == "POST" and form.is_valid():
            paths, names, size = store_uploads(form.cleaned_data["files"])
            with transaction.atomic():
                job = ImportJob.objects.create(created_by=request.user, paths=paths, names=names, total_bytes=size)
                run_import_job.delay_on_commit(job.pk)
            return redirect(reverse("import-detail", args=[job.pk]))
        context = {**self.admin_site.each_context(request), "form": form, "title": "Import cables",
                   "opts": self.model._meta}
        return render(request, "admin/cables/import_upload.html", context)
