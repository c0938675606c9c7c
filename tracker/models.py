"""The requirements domain: clearances and the audit log; posts; requirement sets, their sections and
questions, the history of every change to them, and re-extraction's proposals."""
from __future__ import annotations

from django.conf import settings
from django.db import models

from cables import markings


class Clearance(models.Model):
    """A user's clearance level and NOFORN eligibility. A user without one is UNCLASSIFIED, not eligible."""

    LEVEL_CHOICES = [(level, level) for level in markings.LEVELS]

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clearance")
    level = models.CharField(max_length=20, choices=LEVEL_CHOICES, default=markings.UNCLASSIFIED)
    noforn = models.BooleanField("NOFORN eligible", default=False)

    def __str__(self) -> str:
        return f"{self.user}: {self.level}{' (NOFORN eligible)' if self.noforn else ''}"


class AuditEvent(models.Model):
    """Who did what, when: imports, clearance changes, failed logins, analysts' changes to requirement sets.
    Written by tracker.audit and tracker.requirements; never edited."""

    LOGIN_FAILED, IMPORT, CLEARANCE = "login failed", "import", "clearance changed"
    REQUIREMENTS = "requirements changed"
    ACTION_CHOICES = [(a, a) for a in (LOGIN_FAILED, IMPORT, CLEARANCE, REQUIREMENTS)]

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="audit_events")
    username = models.CharField(max_length=150, blank=True, db_index=True, help_text="As typed, for failed logins.")
    action = models.CharField(max_length=40, choices=ACTION_CHOICES, db_index=True)
    target = models.CharField(max_length=300, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username or self.user}: {self.action} {self.target}"


# ----------------------------------------------------------------------------- posts


class Post(models.Model):
    """A diplomatic post, however it is written: "AMEMBASSY ASUNCION", "Embassy Asuncion", the ASUNCION in
    09ASUNCION123 all have the key ASUNCION (tracker.posts.post_key). Admins edit names and aliases."""

    key = models.CharField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    aliases = models.JSONField(default=list, blank=True, help_text="Other ways it is written.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def for_addressees(cls, addressees) -> list[Post]:
        """The posts of a TO list, created where new; in the list's order, without repeats."""
        from tracker.posts import post_key, post_name  # pure; imported here to keep models light

        keyed: dict[str, str] = {}
        for addressee in addressees:
            key = post_key(addressee)
            if key and key not in keyed:
                keyed[key] = addressee
        if not keyed:
            return []
        found = {p.key: p for p in cls.objects.filter(key__in=keyed)}
        new = [cls(key=key, name=post_name(text), aliases=[text]) for key, text in keyed.items() if key not in found]
        cls.objects.bulk_create(new, ignore_conflicts=True)
        if new:
            found = {p.key: p for p in cls.objects.filter(key__in=keyed)}
        for key, text in keyed.items():
            post = found[key]
            if text not in post.aliases:
                post.aliases = [*post.aliases, text]
                post.save(update_fields=["aliases"])
        return [found[key] for key in keyed]


# ----------------------------------------------------------------------------- requirement sets


class TaskingCandidate(models.Model):
    """A cable that looks like it tasks collection (tracker.extraction.tasking_signals), flagged on import."""

    cable = models.OneToOneField("cables.Cable", on_delete=models.CASCADE, related_name="tasking_candidate")
    signals = models.JSONField(default=list)
    detected = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-cable__created"]

    def __str__(self) -> str:
        return f"{self.cable.reference_id}: {'; '.join(self.signals)}"


class RequirementSetQuerySet(models.QuerySet):
    def visible_to(self, user) -> RequirementSetQuerySet:
        """A set is visible where its tasking cable is (markings.may_see on its classification)."""
        return self.filter(tasking_cable__classification__in=markings.visible_classifications(user))

    def with_question_counts(self, user) -> RequirementSetQuerySet:
        """Annotate `questions_seen` (questions the user may see, retired ones apart) and `questions_withheld`."""
        level, noforn = markings.clearance_of(user)
        seen = models.Q(questions__level__lte=level) & (models.Q() if noforn else models.Q(questions__noforn=False))
        return self.annotate(
            questions_seen=models.Count("questions", filter=seen & models.Q(questions__retired=False)),
            questions_withheld=models.Count("questions", filter=~seen),
        )


class RequirementSet(models.Model):
    ACTIVE, CLOSED = "active", "closed"
    STATUS_CHOICES = [(ACTIVE, "active"), (CLOSED, "closed")]
    HIGH, MEDIUM, LOW = "high", "medium", "low"
    PRIORITY_CHOICES = [(HIGH, "high"), (MEDIUM, "medium"), (LOW, "low")]

    tasking_cable = models.OneToOneField("cables.Cable", on_delete=models.PROTECT, related_name="requirement_set")
    title = models.CharField(max_length=300)
    collection_reference = models.CharField(max_length=20, blank=True, db_index=True)
    tasked = models.DateTimeField(null=True, blank=True, db_index=True, help_text="The tasking cable's creation.")
    issuer = models.CharField(max_length=120, blank=True)
    classifier = models.CharField(max_length=300, blank=True)
    addressed_posts = models.ManyToManyField(Post, related_name="requirement_sets", blank=True)
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=ACTIVE, db_index=True)
    priority = models.CharField(max_length=10, choices=PRIORITY_CHOICES, default=MEDIUM, db_index=True)
    due = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = RequirementSetQuerySet.as_manager()

    class Meta:
        ordering = ["-tasked", "-pk"]

    def __str__(self) -> str:
        return f"{self.tasking_cable.reference_id}: {self.title}" if self.tasking_cable_id else self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("requirement-set-detail", args=[self.pk])


class Section(models.Model):
    requirement_set = models.ForeignKey(RequirementSet, on_delete=models.CASCADE, related_name="sections")
    letter = models.CharField(max_length=8, blank=True)
    audience = models.TextField(blank=True)
    posts = models.ManyToManyField(Post, related_name="sections", blank=True,
                                   help_text="The posts its audience tasks; none: all addressed posts.")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["requirement_set", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.letter or '-'}: {self.audience}"[:120]


class QuestionQuerySet(models.QuerySet):
    def visible_to(self, user) -> QuestionQuerySet:
        """Questions whose own marking the user's clearance reaches, in sets the user may see."""
        level, noforn = markings.clearance_of(user)
        visible = self.filter(
            level__lte=level, requirement_set__tasking_cable__classification__in=markings.visible_classifications(user)
        )
        return visible if noforn else visible.filter(noforn=False)


class Question(models.Model):
    EXTRACTED, ANALYST = "extracted", "analyst"
    ORIGIN_CHOICES = [(EXTRACTED, "extracted"), (ANALYST, "added by an analyst")]

    requirement_set = models.ForeignKey(RequirementSet, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions")
    code = models.CharField(max_length=20)
    marking = models.CharField(max_length=24, blank=True)
    level = models.PositiveSmallIntegerField(default=0, help_text="Index in markings.LEVELS of the marking.")
    noforn = models.BooleanField(default=False)
    text = models.TextField()
    sentences = models.JSONField(default=list, blank=True)
    audience = models.TextField(blank=True)
    posts = models.ManyToManyField(Post, related_name="questions", blank=True,
                                   help_text="The posts it is addressed to; none: its section's, or all addressed.")
    paragraph = models.ForeignKey("cables.Paragraph", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="questions")
    paragraph_number = models.CharField(max_length=20, blank=True, help_text="Survives re-parsing the cable.")
    order = models.PositiveIntegerField(default=0)
    retired = models.BooleanField(default=False)
    origin = models.CharField(max_length=10, choices=ORIGIN_CHOICES, default=EXTRACTED)
    edited = models.BooleanField(default=False, help_text="An analyst changed it: re-extraction only proposes.")
    extracted = models.JSONField(default=dict, blank=True, help_text="What the extractor last said of it.")

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["requirement_set", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["requirement_set", "code"], name="question_unique_code")]

    def __str__(self) -> str:
        return f"{self.code}: {self.text[:80]}"

    def save(self, *args, **kwargs):
        self.level, self.noforn = markings.marking_access(self.marking)
        super().save(*args, **kwargs)

    @property
    def status(self) -> str:
        """Filled in from responses by a later step; for now retired or unanswered."""
        return "retired" if self.retired else "unanswered"


class RequirementChange(models.Model):
    """One change to a set, a section or a question: who, when, what, before and after. Never edited."""

    requirement_set = models.ForeignKey(RequirementSet, on_delete=models.CASCADE, related_name="changes")
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.CASCADE, related_name="changes")
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="changes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=40)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user}: {self.action}"


class Proposal(models.Model):
    """A change re-extraction would make to what an analyst has edited: shown beside it, never applied
    until an analyst accepts it."""

    ADD, CHANGE, RETIRE = "add", "change", "retire"
    KIND_CHOICES = [(ADD, "add"), (CHANGE, "change"), (RETIRE, "retire")]
    PENDING, ACCEPTED, DISMISSED = "pending", "accepted", "dismissed"
    STATE_CHOICES = [(PENDING, "pending"), (ACCEPTED, "accepted"), (DISMISSED, "dismissed")]

    requirement_set = models.ForeignKey(RequirementSet, on_delete=models.CASCADE, related_name="proposals")
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.CASCADE, related_name="proposals")
    kind = models.CharField(max_length=10, choices=KIND_CHOICES)
    code = models.CharField(max_length=20)
    marking = models.CharField(max_length=24, blank=True)
    level = models.PositiveSmallIntegerField(default=0)
    noforn = models.BooleanField(default=False)
    proposed = models.JSONField(default=dict, blank=True, help_text="The extractor's values.")
    state = models.CharField(max_length=10, choices=STATE_CHOICES, default=PENDING, db_index=True)
    created = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided = models.DateTimeField(null=True, blank=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["requirement_set", "code", "pk"]

    def save(self, *args, **kwargs):
        self.level, self.noforn = markings.marking_access(self.marking)
        super().save(*args, **kwargs)
