"""The requirements domain: clearances and the audit log; posts; requirement sets, their sections and
questions, the history of every change to them, and re-extraction's proposals."""
from __future__ import annotations

from django.conf import settings
from django.db import models

from cables import markings
from cables.models import marked_visible


def _withheld_responses(user):
    """The ids (a subquery) of the responses linking a paragraph whose marking the user may not see, or
    None when the user's clearance reaches every marking. For such a user the response does not exist."""
    level, noforn = markings.clearance_of(user)
    if level >= len(markings.LEVELS) - 1 and noforn:
        return None
    hidden = models.Q(paragraph__level__gt=level)
    if not noforn:
        hidden |= models.Q(paragraph__noforn=True)
    return Response.paragraphs.through.objects.filter(hidden).values("response_id")


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
    def for_cable(cls, cable) -> Post | None:
        """The post that sent a cable: keyed by its reference ID's origin (ASUNCION in 09ASUNCION123), which
        is the same key as its origin ("Embassy Asuncion") and its TO-list spelling ("AMEMBASSY ASUNCION")."""
        from tracker.posts import post_key, post_name

        key = post_key(cable.reference_id) or post_key(cable.origin)
        if not key:
            return None
        post, created = cls.objects.get_or_create(key=key, defaults={"name": post_name(cable.origin or key),
                                                                     "aliases": [cable.origin]})
        if not created and cable.origin and cable.origin not in post.aliases:
            post.aliases = [*post.aliases, cable.origin]
            post.save(update_fields=["aliases"])
        return post

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
        """Annotate `questions_seen` (questions the user may see), `questions_retired` (retired ones the user
        may see) and `questions_withheld` (questions the user may not see). A retired question is not a
        question of the set: it is counted apart, and never as seen or withheld (as tracker.reports.coverage)."""
        seen = marked_visible(user, "questions__")
        retired = models.Q(questions__retired=True)
        return self.annotate(
            questions_seen=models.Count("questions", filter=seen & ~retired),
            questions_retired=models.Count("questions", filter=seen & retired),
            questions_withheld=models.Count("questions", filter=~seen & ~retired),
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
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="owned_sets",
                              help_text="The analyst who follows the set (whoever made it, unless handed over).")
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
    marking = models.CharField(max_length=24, blank=True,
                               help_text="The marking of the paragraph its audience was read from, where stricter "
                                         "than its tasking cable's classification; empty: the cable's.")
    posts = models.ManyToManyField(Post, related_name="sections", blank=True,
                                   help_text="The posts its audience tasks; none: all addressed posts.")
    order = models.PositiveIntegerField(default=0)

    WITHHELD = "(heading withheld: beyond your clearance)"

    class Meta:
        ordering = ["requirement_set", "order", "pk"]

    def __str__(self) -> str:
        """Its letter and audience; a heading marked apart from its cable by its letter alone (the admin's
        history names sections so, to every staff reader)."""
        return f"{self.letter or '-'}: {'(marked heading)' if self.marking else self.audience}"[:120]

    def audience_for(self, user) -> str:
        """Its audience as this user may read it: the words of a heading marked beyond their clearance (an
        "(S//NF)" paragraph's "Posts should report on the HALCYONWARD network:") are withheld; its letter is not."""
        return self.WITHHELD if self.heading_withheld_from(user) else self.audience

    def heading_withheld_from(self, user) -> bool:
        return bool(self.marking) and not markings.may_see(user, self.marking)

    def posts_for(self, user) -> list:
        """The posts its heading tasks, as this user may know them: none where the heading is withheld, for
        they were read from its words."""
        return [] if self.heading_withheld_from(user) else list(self.posts.all())


class QuestionQuerySet(models.QuerySet):
    def visible_to(self, user) -> QuestionQuerySet:
        """Questions whose own marking the user's clearance reaches, in sets the user may see."""
        return self.filter(marked_visible(user),
                           requirement_set__tasking_cable__classification__in=markings.visible_classifications(user))

    def with_status(self, user) -> QuestionQuerySet:
        """Annotate `derived_status` (answered, partly, unanswered, retired), `response_count`,
        `last_response` (the date of the latest responding cable) and `prior_only` (its status rests on prior reporting alone), in the database, from the current
        responses on cables the user may see that link no paragraph withheld from the user (Response.visible_to)."""
        current = models.Q(responses__retracted=False) & marked_visible(user, "responses__cable_")
        withheld = _withheld_responses(user)
        if withheld is not None:  # a response linking a paragraph the user may not see does not count
            current &= ~models.Q(responses__id__in=withheld)
        answers = current & models.Q(responses__assessment="answers")
        partly = current & models.Q(responses__assessment="partly")
        # No DISTINCT: the joins (responses, their cables) do not repeat a response, and without it
        # PostgreSQL aggregates by hashing instead of sorting every response row.
        annotated = self.annotate(
            response_count=models.Count("responses", filter=current),
            answers_count=models.Count("responses", filter=answers),
            partly_count=models.Count("responses", filter=partly),
            fresh_answers=models.Count("responses", filter=answers & models.Q(responses__prior_reporting=False)),
            fresh_partly=models.Count("responses", filter=partly & models.Q(responses__prior_reporting=False)),
            last_response=models.Max("responses__cable_created", filter=current),
        )
        if not (self.query.order_by or self.query.extra_order_by) and self.query.default_ordering:
            # Django drops Meta.ordering from a query that aggregates: keep the set's order explicitly
            annotated = annotated.order_by("requirement_set_id", "order", "pk")
        return annotated.annotate(
            derived_status=models.Case(
                models.When(retired=True, then=models.Value("retired")),
                models.When(answers_count__gt=0, then=models.Value("answered")),
                models.When(partly_count__gt=0, then=models.Value("partly")),
                default=models.Value("unanswered"),
            ),
            # the status rests on prior reporting alone: answered by no fresh "answers" (a fresh "partly" beside
            # it does not make the answer fresh), or partly answered by no fresh "partly"
            prior_only=models.Case(
                models.When(retired=False, answers_count__gt=0, fresh_answers=0, then=models.Value(True)),
                models.When(retired=False, answers_count=0, partly_count__gt=0, fresh_partly=0,
                            then=models.Value(True)),
                default=models.Value(False), output_field=models.BooleanField(),
            ),
        )


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
    posts_marking = models.CharField(
        max_length=24, blank=True, default="",
        help_text="The marking of the section heading its posts were read from, where stricter than the tasking "
                  "cable: a reader it is beyond does not know them. Empty: read from the question's own words.")
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

    def posts_for(self, user) -> list:
        """Its posts as this user may know them: those read from a section heading withheld from the user
        (`posts_marking`) are withheld with it, wherever the question stands now."""
        if self.posts_marking and not markings.may_see(user, self.posts_marking):
            return []
        return list(self.posts.all())

    def save(self, *args, **kwargs):
        self.level, self.noforn = markings.marking_access(self.marking)
        super().save(*args, **kwargs)

    @property
    def status(self) -> str:
        """answered (an `answers` response), partly (only `partly`), unanswered (none, or `context` only),
        or retired. Read from QuestionQuerySet.with_status's annotation where the query made it."""
        derived = getattr(self, "derived_status", None)
        if derived is not None:
            return derived
        if self.retired:
            return "retired"
        assessments = set(self.responses.filter(retracted=False).values_list("assessment", flat=True))
        return "answered" if "answers" in assessments else "partly" if "partly" in assessments else "unanswered"


class RequirementChangeQuerySet(models.QuerySet):
    def visible_to(self, user) -> RequirementChangeQuerySet:
        """Changes in sets the user may see, but none to a question the user may not see."""
        return self.filter(models.Q(question=None) | models.Q(question__in=Question.objects.visible_to(user)),
                           requirement_set__in=RequirementSet.objects.visible_to(user))


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

    objects = RequirementChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user}: {self.action}"


class ProposalQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProposalQuerySet:
        """Proposals in sets the user may see whose own marking and whose question's current marking the
        user may both see: the page shows the question's text beside the proposal, and accepting it
        overwrites the question's marking."""
        return self.filter(marked_visible(user),
                           models.Q(question__isnull=True) | marked_visible(user, "question__"),
                           requirement_set__tasking_cable__classification__in=markings.visible_classifications(user))


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

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["requirement_set", "code", "pk"]

    def save(self, *args, **kwargs):
        self.level, self.noforn = markings.marking_access(self.marking)
        super().save(*args, **kwargs)


# ----------------------------------------------------------------------------- responses


class CitationQuerySet(models.QuerySet):
    def visible_to(self, user) -> CitationQuerySet:
        """The citations a reader of their cable may see: not those only text stricter than it names."""
        return self.filter(marked_visible(user))


class Citation(models.Model):
    """A cable cites a collection reference or a tasking cable: attached to that requirement set, or, while
    the tasking cable is not in the store, waiting under the reference until it arrives. A reference only
    text stricter than the cable names (Cable.marked_references) keeps that text's access in `level` and
    `noforn`; any other is the cable's (0 and False: the cable's own classification already bounds it)."""

    COLLECTION_REFERENCE, TASKING_CABLE = "collection reference", "tasking cable"
    KIND_CHOICES = [(COLLECTION_REFERENCE, COLLECTION_REFERENCE), (TASKING_CABLE, TASKING_CABLE)]

    cable = models.ForeignKey("cables.Cable", on_delete=models.CASCADE, related_name="citations")
    reference = models.CharField(max_length=40, db_index=True, help_text="C-AL8-02836, or 09STATE6423")
    kind = models.CharField(max_length=24, choices=KIND_CHOICES)
    requirement_set = models.ForeignKey(RequirementSet, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="citations")
    created = models.DateTimeField(auto_now_add=True)
    level = models.PositiveSmallIntegerField(default=0)
    noforn = models.BooleanField(default=False)

    objects = CitationQuerySet.as_manager()

    class Meta:
        ordering = ["reference", "cable"]
        constraints = [models.UniqueConstraint(fields=["cable", "reference"], name="citation_unique")]

    def __str__(self) -> str:
        return f"{self.cable_id} cites {self.reference}"


class ResponseQuerySet(models.QuerySet):
    def visible_to(self, user) -> ResponseQuerySet:
        """A response exists for a user who may see its question, its cable (whose access it keeps in
        `cable_level` and `cable_noforn`) and every paragraph it links."""
        visible = self.filter(marked_visible(user, "cable_"), question__in=Question.objects.visible_to(user))
        withheld = _withheld_responses(user)
        return visible if withheld is None else visible.exclude(pk__in=withheld)

    def current(self) -> ResponseQuerySet:
        return self.filter(retracted=False)

    def with_paragraphs(self, user) -> ResponseQuerySet:
        """Prefetch the response's paragraphs that the user may see."""
        from cables.models import Paragraph

        paragraphs = Paragraph.objects.visible_to(user).only("id", "number", "cable_id", "position")
        return self.prefetch_related(models.Prefetch("paragraphs", queryset=paragraphs))


class Response(models.Model):
    """A cable (some of its paragraphs) answering a question: who logged it, how sure, and why."""

    ANSWERS, PARTLY, CONTEXT = "answers", "partly", "context"
    ASSESSMENT_CHOICES = [(ANSWERS, "answers"), (PARTLY, "partly answers"), (CONTEXT, "context only")]
    LOW, MEDIUM, HIGH = "low", "medium", "high"
    CONFIDENCE_CHOICES = [(LOW, "low"), (MEDIUM, "medium"), (HIGH, "high")]
    MANUAL, SUGGESTION = "manual", "suggestion"
    ORIGIN_CHOICES = [(MANUAL, "logged by hand"), (SUGGESTION, "accepted suggestion")]

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="responses")
    cable = models.ForeignKey("cables.Cable", on_delete=models.CASCADE, related_name="responses")
    paragraphs = models.ManyToManyField("cables.Paragraph", related_name="responses", blank=True)
    paragraph_numbers = models.JSONField(default=list, blank=True, help_text="Survive re-parsing the cable.")
    assessment = models.CharField(max_length=10, choices=ASSESSMENT_CHOICES)
    confidence = models.CharField(max_length=10, choices=CONFIDENCE_CHOICES, default=MEDIUM)
    note = models.TextField(blank=True)
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="responses",
                             help_text="The post that sent the cable.")
    prior_reporting = models.BooleanField(default=False, help_text="The cable was written before the tasking.")
    origin = models.CharField(max_length=12, choices=ORIGIN_CHOICES, default=MANUAL)
    suggestion = models.OneToOneField("Suggestion", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="accepted_as")
    to_review = models.BooleanField(default=False, help_text="Its question changed since: an analyst confirms it.")
    retracted = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    updated = models.DateTimeField(auto_now=True)
    cable_level = models.PositiveSmallIntegerField(default=0, help_text="Its cable's classification as an index "
                                                   "in markings.LEVELS: counts need not join the cables.")
    cable_noforn = models.BooleanField(default=False)
    cable_created = models.DateTimeField(null=True, blank=True, help_text="Its cable's date: when the post "
                                         "reported, which the coverage tables show as the last report.")

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["question", "cable"], condition=models.Q(retracted=False),
                                    name="response_unique_current"),
        ]
        indexes = [  # the statuses of every question, from this index alone (PostgreSQL)
            models.Index(fields=["question"], include=["retracted", "assessment", "prior_reporting", "cable_created",
                                                       "cable_level", "cable_noforn", "post"],
                         name="response_status_covering"),
        ]

    def __str__(self) -> str:
        return f"{self.cable_id} {self.assessment} question {self.question_id}"

    def save(self, *args, **kwargs):
        self.cable_level, self.cable_noforn = markings.marking_access(self.cable.classification)
        self.cable_created = self.cable.created
        super().save(*args, **kwargs)


class ResponseChange(models.Model):
    """One change to a response (logged, edited, retracted, confirmed): who, when, before, after."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="changes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=40)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]


class SuggestionQuerySet(models.QuerySet):
    def visible_to(self, user) -> SuggestionQuerySet:
        """Suggestions whose question, cable and paragraph the user may all see."""
        return self.filter(marked_visible(user, "paragraph__"), question__in=Question.objects.visible_to(user),
                           cable__classification__in=markings.visible_classifications(user))

    def still_open(self) -> SuggestionQuerySet:
        """Leave out the open suggestions of questions no longer open (retired, merged away, or in a closed
        set): nothing can be logged against them. Decided ones stay, as history."""
        closed = models.Q(question__retired=True) | ~models.Q(question__requirement_set__status=RequirementSet.ACTIVE)
        return self.exclude(models.Q(state=Suggestion.OPEN) & closed)

    def not_linked(self) -> SuggestionQuerySet:
        """Leave out suggestions whose paragraph a current response already links to their question: there
        is nothing left to accept."""
        linked = Response.paragraphs.through.objects.filter(
            response__question_id=models.OuterRef("question_id"), response__cable_id=models.OuterRef("cable_id"),
            response__retracted=False, paragraph__number=models.OuterRef("paragraph_number"))
        return self.exclude(models.Exists(linked))


class Suggestion(models.Model):
    """A paragraph the ranker thinks may answer a question, with the score and the evidence behind it.
    Accepted, it becomes a response; rejected (saying why, perhaps), the pair is never suggested again,
    unless an analyst restores it."""

    OPEN, ACCEPTED, REJECTED = "open", "accepted", "rejected"
    STATE_CHOICES = [(OPEN, "open"), (ACCEPTED, "accepted"), (REJECTED, "rejected")]

    # Indexes are what the ranker pays for on every suggestion it stores (tens a cable): the unique pair
    # serves lookups by question, so the question, the state and the decider have none of their own.
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="suggestions", db_index=False)
    cable = models.ForeignKey("cables.Cable", on_delete=models.CASCADE, related_name="suggestions")
    paragraph = models.ForeignKey("cables.Paragraph", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="suggestions", help_text="Null once the cable is re-parsed.")
    paragraph_number = models.CharField(max_length=20, help_text="With the cable, the pair's lasting key.")
    score = models.FloatField(db_index=True)
    evidence = models.JSONField(default=dict, blank=True)
    cited = models.BooleanField(default=False, help_text="The cable cites the question's set.")
    state = models.CharField(max_length=10, choices=STATE_CHOICES, default=OPEN)
    created = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", db_index=False)
    decided = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True, help_text="Why it was rejected, in the analyst's words.")

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "pk"]
        # keyed by paragraph number, so a rejection outlives a re-import that rewrites the paragraphs
        constraints = [models.UniqueConstraint(fields=["question", "cable", "paragraph_number"],
                                               name="suggestion_unique_pair")]

    def __str__(self) -> str:
        return f"{self.cable_id}/{self.paragraph_number} for question {self.question_id}: {self.score:.2f}"

    @property
    def place(self) -> str:
        """Where in its cable: "¶3", or its unnumbered text (accepted, that is logged as the whole cable)."""
        return f"¶{self.paragraph_number}" if self.paragraph_number else "unnumbered text"
