"""Forms of the requirement-set pages. Each re-displays what was typed when it does not validate."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.forms.models import ModelChoiceIterator
from django.utils.text import Truncator

from cables.markings import canonical_marking
from tracker import requirements
from tracker.models import Post, Question, RequirementSet, Response, Section


def section_label(section: Section, user=None) -> str:
    """A section as a choice: "A. For Latin American posts", or its audience alone when it has no letter; a
    heading beyond the user's clearance withheld (Section.audience_for)."""
    audience = Truncator(" ".join(section.audience_for(user).split())).chars(70)
    if section.letter:
        return f"{section.letter}. {audience}" if audience else section.letter
    return audience or "(unnamed section)"


class OwnerField(forms.ModelChoiceField):
    eligible: set[int] = set()

    def label_from_instance(self, user) -> str:
        name = user.get_full_name() or user.get_username()
        return name if user.pk in self.eligible else f"{name} (may no longer follow it)"


class RequirementSetForm(forms.ModelForm):
    owner = OwnerField(queryset=get_user_model().objects.none(), required=False, empty_label="(nobody)",
                       help_text="The analyst who follows the set: “My sets” on the dashboard")

    class Meta:
        model = RequirementSet
        fields = ["title", "status", "priority", "due", "owner"]
        widgets = {"due": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # the current owner stays a choice, so that saving other fields keeps them
            eligible = self.fields["owner"].eligible = requirements.owners_for(self.instance)
            self.fields["owner"].queryset = get_user_model().objects.filter(
                Q(pk__in=eligible) | Q(pk=self.instance.owner_id)).order_by("username")


class MarkingField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        marking = canonical_marking(value.strip().strip("()")) if value else None
        if not marking:
            raise forms.ValidationError(f"'{value}' is not a marking: write it as U, C, S//NF, C//NF, TS ...")
        return marking


class QuestionForm(forms.Form):
    code = forms.CharField(max_length=20)
    section = forms.ModelChoiceField(queryset=Section.objects.none(), required=False, empty_label="(no section)")
    marking = MarkingField(max_length=24, help_text="U, C, S//NF, C//NF ...")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}))
    sentences = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), required=False,
                                help_text="One question per line; empty: the text is one question.")
    # Shown once the text repeats another question's (clean): ticking it saves the text all the same.
    save_anyway = forms.BooleanField(required=False, widget=forms.HiddenInput, label="Save anyway",
                                     help_text="Keep both questions with the same text.")

    def __init__(self, *args, requirement_set: RequirementSet, question: Question | None = None, user=None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.requirement_set, self.question, self.user = requirement_set, question, user
        self.fields["section"].queryset = requirement_set.sections.all()
        self.fields["section"].label_from_instance = lambda section: section_label(section, user)
        if question is None:
            self.fields["code"].required = False
            self.fields["code"].help_text = "Empty: the next free code in the section."

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if code and (taken := requirements.code_taken(self.requirement_set, code, self.user,
                                                      exclude=self.question)):
            raise forms.ValidationError(taken)
        return code

    def clean_sentences(self):
        lines = [line.strip() for line in self.cleaned_data["sentences"].splitlines() if line.strip()]
        return lines

    def clean(self):
        data = super().clean()
        codes = self.same_text_as(data.get("text", ""))
        if codes:
            self.fields["save_anyway"].widget = forms.CheckboxInput()
            if not data.get("save_anyway"):
                one = len(codes) == 1
                self.add_error("text", f"{'Question' if one else 'Questions'} {_and(codes)} of this set "
                                       f"{'has' if one else 'have'} the same text. Change it, or tick “Save anyway” "
                                       f"to save it all the same.")
        return data

    def same_text_as(self, text: str) -> list[str]:
        """The codes of the set's other current questions, among those the user may see, whose text is this
        one's but for case, spacing and punctuation; none when an edit keeps the question's own text."""
        wording = requirements.wording(text)
        if not wording or (self.question is not None and wording == requirements.wording(self.question.text)):
            return []
        others = Question.objects.visible_to(self.user) if self.user is not None else Question.objects.all()
        others = others.filter(requirement_set=self.requirement_set, retired=False)
        if self.question is not None:
            others = others.exclude(pk=self.question.pk)
        return [code for code, other in others.order_by("order").values_list("code", "text")
                if requirements.wording(other) == wording]


def _and(codes: list[str]) -> str:
    return codes[0] if len(codes) == 1 else f"{', '.join(codes[:-1])} and {codes[-1]}"


AUDIENCE_LIMIT = 200  # characters of a section's audience; the longest the extractor found in the sample is 62


class PostsByAddressing(ModelChoiceIterator):
    """The posts as two option groups: those the set is addressed to, then every other known post (a
    section may task posts the TO list does not name: "FOR IRPO DUBAI AND EMBASSY BAKU" under a collective)."""

    ADDRESSED, OTHERS = "Addressed by this set", "Other known posts"

    def __iter__(self):
        groups: dict[str, list] = {self.ADDRESSED: [], self.OTHERS: []}
        for post in self.queryset:
            groups[self.ADDRESSED if post.addressed else self.OTHERS].append(self.choice(post))
        yield from ((name, choices) for name, choices in groups.items() if choices)


MAX_ID = 2**63 - 1  # a database's largest key: a longer number names no row


class BoundedIds:
    """For a ModelMultipleChoiceField: an id no key can hold (20 digits, posted by hand) is an invalid choice,
    said beside the field, rather than an OverflowError from the database driver (a 500)."""

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(str(pk).strip())
            except ValueError:
                continue  # not a number: the field's own check says so
            if abs(number) > MAX_ID:
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                            params={"value": pk})
        return super()._check_values(value)


class SectionPostsField(BoundedIds, forms.ModelMultipleChoiceField):
    iterator = PostsByAddressing

    def label_from_instance(self, post: Post) -> str:
        return f"{post.name} (addressed)" if post.addressed else post.name


class SectionForm(forms.Form):
    letter = forms.CharField(max_length=8, required=False)
    audience = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False,
                               help_text=f"Whom the section tasks, in at most {AUDIENCE_LIMIT} characters.")
    posts = SectionPostsField(queryset=Post.objects.none(), required=False,
                              help_text="The posts the audience tasks, addressed by the set or not; none selected: "
                                        "all addressed.")

    def __init__(self, *args, requirement_set: RequirementSet, section: Section | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.requirement_set, self.section = requirement_set, section
        addressed = RequirementSet.addressed_posts.through.objects.filter(requirementset_id=requirement_set.pk,
                                                                          post_id=OuterRef("pk"))
        self.fields["posts"].queryset = (Post.objects.annotate(addressed=Exists(addressed))
                                         .order_by("-addressed", "name", "pk"))
        self.fields["posts"].widget.attrs["size"] = 10
        self.fields["letter"].help_text = "A, B, ...: unique in the set. A letter or an audience is needed."

    def clean_audience(self):
        """At most AUDIENCE_LIMIT characters, unless it is the section's own, unchanged (as extracted, it
        stands); the field shows what was typed again."""
        audience = self.cleaned_data["audience"]
        if len(audience) > AUDIENCE_LIMIT and (self.section is None or audience.strip() != self.section.audience):
            raise forms.ValidationError(
                f"An audience names whom the section tasks (“For Iran watchers and IRPO”) in at most "
                f"{AUDIENCE_LIMIT} characters; this one has {len(audience):,}. Shorten it: the questions "
                "themselves go in the section's questions.", code="max_length")
        return audience

    def clean(self):
        data = super().clean()
        letter, audience = data.get("letter", ""), data.get("audience", "")
        if self.section is not None and (letter.strip(), audience.strip()) == (self.section.letter,
                                                                               self.section.audience):
            return data  # unchanged, as extracted
        try:
            requirements.check_section(self.requirement_set, letter, audience, self.section)
        except requirements.RequirementError as error:
            self.add_error("letter" if letter.strip() else None, str(error))
        return data


class SplitForm(forms.Form):
    at = forms.IntegerField(min_value=2, label="Split before sentence")


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(queryset=Question.objects.none(), label="Merge into")

    def __init__(self, *args, question: Question, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = (
            Question.objects.visible_to(user)
            .filter(requirement_set=question.requirement_set, retired=False)
            .exclude(pk=question.pk)
        )


class QuestionsBySet(ModelChoiceIterator):
    """The questions as option groups, one per requirement set (its title and tasking cable, and whether the
    cable cites it or has a question of it suggested), in the queryset's order."""

    def __iter__(self):
        groups: dict[int, tuple[str, list]] = {}
        for question in self.queryset.select_related("requirement_set__tasking_cable"):
            requirement_set = question.requirement_set
            name = f"{requirement_set.title} ({requirement_set.tasking_cable.reference_id})"
            if getattr(question, "cited", False):  # the cable cites the set: listed first
                name += " · cited by this cable"
            elif getattr(question, "set_suggested", False):  # then the sets of its suggestions
                name += " · suggested for this cable"
            groups.setdefault(requirement_set.pk, (name, []))[1].append(self.choice(question))
        yield from groups.values()


class QuestionChoices(forms.CheckboxSelectMultiple):
    """A box to tick per question, grouped by set, under a filter (tracker/static/tracker/response-form.js
    shows it for more than a few): one click chooses several, with no Ctrl key to hold."""
    template_name = "tracker/widgets/question_choices.html"


class QuestionsField(BoundedIds, forms.ModelMultipleChoiceField):
    iterator = QuestionsBySet
    widget = QuestionChoices
    default_error_messages = {
        "invalid_choice": "A chosen question can no longer be answered: it was retired, its set was closed, or "
                          "it is not one you may see. Choose again from the list.",
        "invalid_pk_value": "“%(pk)s” is not a question: choose from the list.",
    }

    def label_from_instance(self, question: Question) -> str:
        """"B.3: Who finances ...?", and what the form's cable has to do with it: "· suggested", "· logged for
        this cable: partly answers"."""
        label = f"{question.code}: {Truncator(' '.join(question.text.split())).chars(90)}"
        if answered := getattr(question, "answered_here", None):
            label += f" · logged for this cable: {dict(Response.ASSESSMENT_CHOICES).get(answered, answered)}"
        elif getattr(question, "suggested", False):
            label += " · suggested"
        return label


def paragraph_numbers(text: str) -> list[str]:
    return [n.strip().rstrip(".") for n in text.replace(";", ",").split(",") if n.strip()]


class TickedField(forms.Field):
    """Every value of a repeated parameter (the paragraph boxes ticked), as a list of strings."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[str]:
        values = [value] if isinstance(value, str) else (value or [])
        return [number for item in values if (number := str(item).strip().rstrip("."))]


class ResponseForm(forms.Form):
    """Log a response: the cable (by reference ID, looked up as you type), its paragraphs, the questions.
    `shown_assessment` and `shown_confidence` hold what the form showed: a value left as shown is not the
    analyst's choice, and does not change an existing response. Where the chosen questions' responses differ
    in a value, the form shows none of theirs but EACH_OWN (shown empty): "each keeps its own"."""

    EACH_OWN = ""
    DEFAULTS = {"assessment": Response.ANSWERS, "confidence": Response.MEDIUM}

    cable = forms.CharField(max_length=40, label="Cable", help_text="Reference ID, e.g. 08LAPAZ751",
                            widget=forms.TextInput(attrs={"list": "cable-choices", "autocomplete": "off"}))
    # The cable's paragraph boxes (_response_fields.html), each named so that a tick counts without JavaScript too;
    # declared before `paragraphs`, whose numbers they join (clean_paragraphs).
    ticked_paragraphs = TickedField(required=False)
    paragraphs = forms.CharField(max_length=300, required=False, help_text="Paragraph numbers: 3, 5, A.1")
    questions = QuestionsField(queryset=Question.objects.none(),
                               help_text="Tick every question the paragraphs answer.")
    assessment = forms.ChoiceField(choices=Response.ASSESSMENT_CHOICES, initial=Response.ANSWERS)
    confidence = forms.ChoiceField(choices=Response.CONFIDENCE_CHOICES, initial=Response.MEDIUM)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    shown_assessment = forms.CharField(required=False, widget=forms.HiddenInput)
    shown_confidence = forms.CharField(required=False, widget=forms.HiddenInput)
    downgrade = forms.BooleanField(required=False, label="Lower the existing response's assessment or confidence "
                                                         "to what I chose")

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questions"].queryset = questions
        self.initial.setdefault("shown_assessment", self.initial.get("assessment") or Response.ANSWERS)
        self.initial.setdefault("shown_confidence", self.initial.get("confidence") or Response.MEDIUM)
        self.each_own = set()  # the fields offering "each response keeps its own"
        for field, default in self.DEFAULTS.items():
            shown = self.data.get(f"shown_{field}") if self.is_bound else self.initial.get(f"shown_{field}")
            if shown == self.EACH_OWN:  # the responses differ: offer to leave each its own
                label = dict(self.fields[field].choices)[default]
                self.fields[field].choices = [(self.EACH_OWN, f"each response keeps its own (a new one: {label})"),
                                              *self.fields[field].choices]
                self.fields[field].required = False
                self.each_own.add(field)

    def clean_paragraphs(self):
        """The paragraphs typed, as typed, then those ticked and not typed, in the cable's order; each once. With
        the page's script, which writes every tick in the field (syncNumbers), that is the field as shown;
        without it, the boxes count too."""
        ticked = self.cleaned_data.get("ticked_paragraphs") or []
        numbers = list(dict.fromkeys([*paragraph_numbers(self.cleaned_data["paragraphs"]), *ticked]))
        if not numbers:
            raise forms.ValidationError("Tick or type at least one paragraph of the cable: the one that answers")
        return numbers

    def ticked(self) -> list[str]:
        """The paragraph boxes ticked on the form sent, ticked again when it is shown again (with an error)."""
        return (self["ticked_paragraphs"].value() or []) if self.is_bound else []

    def kept(self) -> set[str]:
        """The fields left as the form showed them (cleaned data): an existing response keeps its own."""
        data = self.cleaned_data
        shown = {field: self.EACH_OWN if field in self.each_own else data.get(f"shown_{field}") or default
                 for field, default in self.DEFAULTS.items()}
        return {field for field in self.DEFAULTS if data[field] in (self.EACH_OWN, shown[field])}

    def value(self, field: str) -> str:
        """The assessment or confidence to log (cleaned data): a new response's where each keeps its own."""
        return self.cleaned_data[field] or self.DEFAULTS[field]


class ResponseEditForm(forms.Form):
    paragraphs = forms.CharField(max_length=300, help_text="Paragraph numbers: 3, 5, A.1",
                                 error_messages={"required": "A response links at least one paragraph of its cable"})
    assessment = forms.ChoiceField(choices=Response.ASSESSMENT_CHOICES)
    confidence = forms.ChoiceField(choices=Response.CONFIDENCE_CHOICES)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean_paragraphs(self):
        numbers = paragraph_numbers(self.cleaned_data["paragraphs"])
        if not numbers:
            raise forms.ValidationError("A response links at least one paragraph of its cable")
        return numbers
