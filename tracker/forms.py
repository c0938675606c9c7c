"""Forms of the requirement-set pages. Each re-displays what was typed when it does not validate."""
from django import forms

from cables.markings import canonical_marking
from tracker.models import Question, RequirementSet, Response, Section


class RequirementSetForm(forms.ModelForm):
    class Meta:
        model = RequirementSet
        fields = ["title", "status", "priority", "due"]
        widgets = {"due": forms.DateInput(attrs={"type": "date"})}


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

    def __init__(self, *args, requirement_set: RequirementSet, question: Question | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.requirement_set, self.question = requirement_set, question
        self.fields["section"].queryset = requirement_set.sections.all()
        if question is None:
            self.fields["code"].required = False
            self.fields["code"].help_text = "Empty: the next free code in the section."

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        taken = self.requirement_set.questions.filter(code=code)
        if self.question is not None:
            taken = taken.exclude(pk=self.question.pk)
        if code and taken.exists():
            raise forms.ValidationError(f"{code} is already a question of this set")
        return code

    def clean_sentences(self):
        lines = [line.strip() for line in self.cleaned_data["sentences"].splitlines() if line.strip()]
        return lines


class SectionForm(forms.Form):
    letter = forms.CharField(max_length=8, required=False)
    audience = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    posts = forms.ModelMultipleChoiceField(queryset=None, required=False,
                                           help_text="The posts the audience tasks; none selected: all addressed.")

    def __init__(self, *args, requirement_set: RequirementSet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["posts"].queryset = requirement_set.addressed_posts.all()
        self.fields["posts"].widget.attrs["size"] = 10


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


class ResponseForm(forms.Form):
    """Log a response: the cable (by reference ID, looked up as you type), its paragraphs, the questions."""

    cable = forms.CharField(max_length=40, label="Cable", help_text="Reference ID, e.g. 08LAPAZ751",
                            widget=forms.TextInput(attrs={"list": "cable-choices", "autocomplete": "off"}))
    paragraphs = forms.CharField(max_length=300, required=False, help_text="Paragraph numbers: 3, 5, A.1")
    questions = forms.ModelMultipleChoiceField(queryset=Question.objects.none(),
                                               widget=forms.SelectMultiple(attrs={"size": 8}))
    assessment = forms.ChoiceField(choices=Response.ASSESSMENT_CHOICES, initial=Response.ANSWERS)
    confidence = forms.ChoiceField(choices=Response.CONFIDENCE_CHOICES, initial=Response.MEDIUM)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questions"].queryset = questions

    def clean_paragraphs(self):
        return [n.strip().rstrip(".") for n in self.cleaned_data["paragraphs"].replace(";", ",").split(",") if n.strip()]


class ResponseEditForm(forms.Form):
    paragraphs = forms.CharField(max_length=300, required=False, help_text="Paragraph numbers: 3, 5, A.1")
    assessment = forms.ChoiceField(choices=Response.ASSESSMENT_CHOICES)
    confidence = forms.ChoiceField(choices=Response.CONFIDENCE_CHOICES)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    clean_paragraphs = ResponseForm.clean_paragraphs
