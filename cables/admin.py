"""Admin: cables read-only (they come from imports), and the import upload that queues a Celery job."""
import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import path, reverse

from cables import markings
from cables.models import Cable, CableChange, CableSource, ImportJob, ImportRejection, Paragraph, marked_visible
from cables.tasks import run_import_job

# Fields that hold a cable's text as sent, its paragraphs included: shown only to a user who may read every
# paragraph of the cable (markings.may_see on each marking), like the cable page's full text.
RAW_TEXT_FIELDS = ("header", "body", "marked_references")  # stricter text, or what it names


sees_everything = markings.sees_everything


def sees_every_paragraph(user, cable) -> bool:
    """The user's clearance reaches the marking of every paragraph of this cable."""
    if sees_everything(user):
        return True
    return cable is not None and not cable.paragraphs.exclude(marked_visible(user)).exists()


def lookup_within(lookup: str, allowed) -> bool:
    """A changelist filter parameter names one of `allowed` fields (list filters, date hierarchy): the admin
    otherwise takes any local field lookup from the URL (`?body__icontains=...`), a probe of hidden text."""
    return lookup.split("__")[0] in set(allowed)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("allow_empty_file", True)  # an empty file is reported by the import, naming it,
        super().__init__(*args, **kwargs)  # not a reason to refuse the good files beside it

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


class BannerAdmin(admin.ModelAdmin):
    """An admin whose pages show cable or question content: its change page and its list carry the
    classification banner, top and bottom, as the site's pages do. `banner_marks` says what a shown object
    counts at (its classification, the markings shown with it), for this user."""

    change_form_template = "admin/with_banner/change_form.html"
    change_list_template = "admin/with_banner/change_list.html"

    def banner_marks(self, request, obj, listed: bool) -> list[str]:
        raise NotImplementedError

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        listing = getattr(response, "context_data", None) or {}
        if "cl" in listing:  # a list, not a redirect after an action
            listing["banner"] = markings.banner(
                [mark for obj in listing["cl"].result_list for mark in self.banner_marks(request, obj, True)])
        return response

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        shown = getattr(response, "context_data", None) or {}
        if shown.get("original") is not None:
            shown["banner"] = markings.banner(self.banner_marks(request, shown["original"], False))
        return response


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
    """Re-imports' changes. Their before and after may hold text (the body) or a classification beyond the
    user's: only a user cleared for everything reads them; others see which fields changed."""

    model = CableChange
    extra = 0
    can_delete = False
    fields = ["at", "job", "source_name", "changes"]
    readonly_fields = fields

    def get_fields(self, request, obj=None):
        return self.fields if sees_everything(request.user) else ["at", "job", "source_name", "changed_fields"]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    @admin.display(description="changed fields")
    def changed_fields(self, change):
        return ", ".join(change.changes or {})


@admin.register(Cable)
class CableAdmin(BannerAdmin):
    list_display = ["reference_id", "created", "classification", "origin", "subject"]
    list_filter = ["classification", "form", "partial"]
    search_fields = ["reference_id", "subject"]
    date_hierarchy = "created"
    inlines = [ParagraphInline, SourceInline, ChangeInline]
    show_full_result_count = False

    def get_queryset(self, request):
        # A cable beyond the user's clearance is not there at all: its change page answers like a missing one.
        return super().get_queryset(request).visible_to(request.user)

    def get_fields(self, request, obj=None):
        fields = [f for f in super().get_fields(request, obj) if f != "text_withheld"]
        if obj is None or sees_every_paragraph(request.user, obj):
            return fields
        return [f for f in fields if f not in RAW_TEXT_FIELDS] + ["text_withheld"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "text_withheld"]

    def banner_marks(self, request, cable, listed: bool) -> list[str]:
        """Listed, a cable shows its subject (at its classification); on its page, its paragraphs the user
        may read (ParagraphInline), each at its stored access."""
        if listed:
            return [cable.classification]
        return [cable.classification, *(markings.stored_access(level, noforn) for level, noforn in
                                        cable.paragraphs.visible_to(request.user).values_list("level", "noforn"))]

    @admin.display(description="text as sent")
    def text_withheld(self, cable):
        return "Withheld: the cable holds paragraphs beyond your clearance."

    def lookup_allowed(self, lookup, value, request):
        allowed = [f if isinstance(f, str) else f[0] for f in self.get_list_filter(request)] + [self.date_hierarchy]
        return lookup_within(lookup, allowed) and super().lookup_allowed(lookup, value, request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        """Nothing is deleted: a cable takes the responses, citations and suggestions made of it along, with no
        record; a response is retracted, a cable re-imported."""
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
        upload = path("upload/", self.admin_site.admin_view(self.upload_view), name="cables_importjob_upload")
        return [upload, *super().get_urls()]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

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
