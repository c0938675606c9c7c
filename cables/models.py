"""The cable store: cables, their paragraphs and tags, every source they came from, and import jobs."""
from __future__ import annotations

import re

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorField
from django.db import connection, models
from django.db.models import Q, Sum
from django.urls import reverse

from cables import markings


class CableQuerySet(models.QuerySet):
    def visible_to(self, user) -> CableQuerySet:
        """Only the cables whose classification the user's clearance reaches (markings.may_see)."""
        return self.filter(classification__in=markings.visible_classifications(user))

    def search(self, text: str, user) -> CableQuerySet:
        """Full text over the subject and the paragraphs this user may see, so that a withheld
        paragraph's words never find its cable: on PostgreSQL the GIN index of the cable list's own
        table (cables.listing), one vector per cable and view; a plain match elsewhere."""
        text = (text or "").strip()
        if not text:
            return self
        if connection.vendor == "postgresql":
            return self.filter(pk__in=Listing.objects.visible_to(user).search(text, user).values("cable_id"))
        paragraphs = Paragraph.objects.visible_to(user)
        condition = Q()
        for term in text.split():
            condition &= Q(subject__icontains=term) | Q(
                pk__in=paragraphs.filter(Q(text__icontains=term) | Q(heading__icontains=term)).values("cable_id")
            )
        return self.filter(condition)


class SearchDocument(SearchVector):
    """The English search vector of some fields as SQL, NULL on SQLite: what migration 0006's generated
    columns were made of (the columns have gone, the migration still names it)."""

    def as_sql(self, compiler, connection, **extra_context):
        if connection.vendor != "postgresql":
            return "NULL", []
        return super().as_sql(compiler, connection, **extra_context)


class Tag(models.Model):
    name = models.CharField(max_length=16, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Cable(models.Model):
    CLASSIFICATION_CHOICES = [(c, c) for c in markings.CLASSIFICATIONS]

    reference_id = models.CharField(max_length=40, unique=True)
    created = models.DateTimeField(null=True, blank=True, db_index=True)
    released = models.DateTimeField(null=True, blank=True)
    classification = models.CharField(max_length=40, choices=CLASSIFICATION_CHOICES, db_index=True)
    origin = models.CharField(max_length=120, db_index=True)
    dtg = models.CharField("DTG", max_length=40, blank=True)
    sender = models.CharField(max_length=200, blank=True)
    to = models.JSONField(default=list, blank=True)
    info = models.JSONField(default=list, blank=True)
    tags = models.ManyToManyField(Tag, related_name="cables", blank=True)
    subject = models.TextField(blank=True)
    references = models.JSONField(default=list, blank=True, help_text="[{label, text, reference_id}]")
    # The CAL numbers any reader of the cable may see; those named only in text stricter than the cable (an
    # (S//NF) paragraph of a SECRET cable) are kept apart with the access of that text: [reference, level, noforn]
    collection_references = models.JSONField(default=list, blank=True)
    marked_references = models.JSONField(default=list, blank=True)
    classified_by = models.CharField(max_length=300, blank=True)
    classification_reason = models.CharField(max_length=300, blank=True)
    signature = models.CharField(max_length=120, blank=True)
    header = models.TextField(blank=True)
    body = models.TextField(blank=True)
    partial = models.BooleanField(default=False, help_text="The source is a partial extract of the original.")
    form = models.CharField(max_length=20, help_text="The input form the fields were taken from.")
    fullness = models.PositiveSmallIntegerField(default=0)
    fingerprint = models.CharField(max_length=64, help_text="Hash of the parsed fields, to tell changes.")
    imported = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = CableQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "reference_id"]

    def __str__(self) -> str:
        return self.reference_id

    def get_absolute_url(self) -> str:
        return reverse("cable-detail", args=[self.reference_id])

    def collection_references_for(self, user) -> list[str]:
        """The collection references this user may see: the cable's, and those of stricter text they may read."""
        clearance = markings.clearance_of(user)
        return [*self.collection_references,
                *(reference for reference, *access in self.marked_references if markings.reaches(clearance, access))]


def marked_visible(user, prefix: str = "") -> Q:
    """markings.may_see as a filter, for any model that stores its marking's `level` and `noforn`
    (paragraphs, questions); `prefix` reaches them through a relation ("paragraph__")."""
    level, noforn = markings.clearance_of(user)
    condition = Q(**{f"{prefix}level__lte": level})
    return condition if noforn else condition & Q(**{f"{prefix}noforn": False})


class ParagraphQuerySet(models.QuerySet):
    def visible_to(self, user) -> ParagraphQuerySet:
        """Only the paragraphs whose own marking the user's clearance reaches (markings.may_see)."""
        return self.filter(marked_visible(user))


class Paragraph(models.Model):
    # No index of its own: the unique (cable, position) serves every lookup by cable, and the import
    # would otherwise keep two indexes on the cable for every paragraph it writes.
    cable = models.ForeignKey(Cable, on_delete=models.CASCADE, related_name="paragraphs", db_index=False)
    position = models.PositiveIntegerField()
    number = models.CharField(max_length=12, null=True, blank=True)
    marking = models.CharField(max_length=24, blank=True)
    heading = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    damaged = models.BooleanField(default=False)
    level = models.PositiveSmallIntegerField(default=0, help_text="Index in markings.LEVELS of the marking.")
    noforn = models.BooleanField(default=False)

    objects = ParagraphQuerySet.as_manager()

    class Meta:
        # By the cable's id, not "cable": that would sort by the cable's own order (date, reference) and
        # join the whole cable table to any query over many cables' paragraphs (a ranking batch's read
        # took 0.22 s at full size, growing with the store). One cable's paragraphs read the same either way.
        ordering = ["cable_id", "position"]
        constraints = [models.UniqueConstraint(fields=["cable", "position"], name="paragraph_unique_position")]

    def __str__(self) -> str:
        return f"{self.cable_id} ¶{self.number or self.position}"

    @property
    def flowing_text(self) -> str:
        """The text with the cable's hard line wraps joined, blank lines kept, for reading on a page."""
        return re.sub(r"(?<!\n)[ \t]*\n(?!\n)[ \t]*", " ", self.text)

    @property
    def anchor(self) -> str:
        return f"par{self.number}" if self.number else f"pos{self.position}"


class ListingQuerySet(models.QuerySet):
    def visible_to(self, user) -> ListingQuerySet:
        """The row of each cable this user may see that holds the text they may read of it."""
        from cables.listing import clearance_bit

        bit = clearance_bit(user)
        if bit is None:
            return self.none()
        return self.alias(seen=models.F("clearances").bitand(bit)).filter(seen=bit)

    def search(self, text: str, user) -> ListingQuerySet:
        """Rows whose text matches a web-style query (words, "a phrase", -not, or): the GIN index on
        PostgreSQL (chain after visible_to); elsewhere Cable.search's plain match."""
        text = (text or "").strip()
        if not text:
            return self
        if connection.vendor == "postgresql":
            return self.filter(document=SearchQuery(text, search_type="websearch", config="english"))
        return self.filter(cable_id__in=Cable.objects.search(text, user).values("pk"))


class Listing(models.Model):
    """One row per cable and per view of it (cables.listing): what the cable list, its search and its
    facets read. Written by the importer, rebuilt by cables.listing.refresh."""

    cable = models.ForeignKey(Cable, on_delete=models.CASCADE, related_name="listings")
    clearances = models.PositiveSmallIntegerField(help_text="Bits of the clearance tiers that see this text.")
    reference_id = models.CharField(max_length=40)
    created = models.DateTimeField(null=True, blank=True)
    classification = models.CharField(max_length=40)
    origin = models.CharField(max_length=120)
    subject = models.TextField(blank=True)
    tags = models.JSONField(default=list, blank=True)
    document = SearchVectorField(null=True)

    objects = ListingQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "reference_id"]
        indexes = [models.Index(fields=["-created", "reference_id"], name="listing_order")]

    def __str__(self) -> str:
        return self.reference_id

    def get_absolute_url(self) -> str:
        return reverse("cable-detail", args=[self.reference_id])


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user) -> ImportJobQuerySet:
        """A job's report names the cables it brought (a rejection, a note "09ABUJA777: kept the stored text"),
        whatever their classification: the user who started it sees it, having held its files; another sees
        it only when cleared for everything an import may bring (TOP SECRET, NOFORN)."""
        if markings.sees_everything(user):
            return self
        return self.filter(created_by=user) if getattr(user, "is_authenticated", False) else self.none()


class ImportJob(models.Model):
    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATUS_CHOICES = [(s, s) for s in (QUEUED, RUNNING, DONE, FAILED)]

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=QUEUED)
    paths = models.JSONField(default=list, help_text="The uploaded files, stored under MEDIA_ROOT.")
    names = models.JSONField(default=list, help_text="The files' names as uploaded.")
    total_bytes = models.BigIntegerField(default=0)
    processed_bytes = models.BigIntegerField(default=0)
    new = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField("updated", default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"Import #{self.pk} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("import-detail", args=[self.pk])

    def totals(self) -> dict:
        """The counts and bytes of its chunks so far, summed in the database (fields of ImportJob)."""
        sums = self.chunks.aggregate(
            processed_bytes=Sum("processed_bytes", default=0),
            new=Sum("new", filter=Q(status=ImportChunk.DONE), default=0),
            updated_count=Sum("updated_count", filter=Q(status=ImportChunk.DONE), default=0),
            unchanged=Sum("unchanged", filter=Q(status=ImportChunk.DONE), default=0),
            rejected=Sum("rejected", filter=Q(status=ImportChunk.DONE), default=0),
        )
        return sums

    @property
    def percent(self) -> int:
        if self.status == self.DONE:
            return 100
        if not self.total_bytes:
            return 0
        return min(99, int(100 * self.processed_bytes / self.total_bytes))


class ImportChunk(models.Model):
    """One part of an import job, run as a task of its own so that several workers share a job: a whole
    file (a page, a zip, a small dump), or a byte range of a large CSV dump cut at row boundaries."""

    QUEUED, RUNNING, DONE, FAILED = ImportJob.QUEUED, ImportJob.RUNNING, ImportJob.DONE, ImportJob.FAILED

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="chunks")
    number = models.PositiveIntegerField()
    path = models.CharField(max_length=500, help_text="The file, under MEDIA_ROOT.")
    name = models.CharField(max_length=500, help_text="The file's name as uploaded.")
    start = models.BigIntegerField(default=0)
    end = models.BigIntegerField(null=True, blank=True, help_text="Empty: the whole file.")
    first_row = models.PositiveIntegerField(default=1, help_text="The dump's row number at `start`.")
    first_line = models.PositiveIntegerField(default=1, help_text="The file's line number at `start`.")
    size = models.BigIntegerField(default=0)
    processed_bytes = models.BigIntegerField(default=0)
    status = models.CharField(max_length=10, choices=ImportJob.STATUS_CHOICES, default=QUEUED)
    new = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField("updated", default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["job", "number"]
        constraints = [models.UniqueConstraint(fields=["job", "number"], name="chunk_unique_number")]

    def __str__(self) -> str:
        return f"Import #{self.job_id} chunk {self.number} ({self.status})"


class CableSource(models.Model):
    """One arrival of a cable, as it came: kept unchanged so a parser fix can re-parse it."""

    # Looked up by cable through the unique (cable, sha256) below, not an index of the cable alone.
    cable = models.ForeignKey(Cable, on_delete=models.CASCADE, related_name="sources", db_index=False)
    form = models.CharField(max_length=20)
    fullness = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=500, help_text="File (and row) it came from.")
    sha256 = models.CharField(max_length=64)
    raw = models.TextField()
    job = models.ForeignKey(ImportJob, null=True, blank=True, on_delete=models.SET_NULL)
    imported = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cable", "-fullness", "imported"]
        constraints = [models.UniqueConstraint(fields=["cable", "sha256"], name="source_unique_content")]

    def __str__(self) -> str:
        return f"{self.cable_id} from {self.name}"


class CableChange(models.Model):
    """A re-import or re-parse that changed a cable's fields: which, from what, to what."""

    cable = models.ForeignKey(Cable, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(auto_now_add=True)
    job = models.ForeignKey(ImportJob, null=True, blank=True, on_delete=models.SET_NULL)
    source_name = models.CharField(max_length=500, blank=True)
    changes = models.JSONField(help_text="{field: [before, after]}")

    class Meta:
        ordering = ["-at"]


class ImportRejection(models.Model):
    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rejections")
    chunk = models.ForeignKey(ImportChunk, null=True, blank=True, on_delete=models.CASCADE, related_name="rejections")
    file = models.CharField(max_length=500)
    location = models.CharField(max_length=100, blank=True)
    reason = models.TextField()

    class Meta:
        ordering = ["pk"]
