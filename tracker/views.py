"""Requirement-set pages: the list, the tasking candidates, a set's page, and the analysts' corrections.

Reads go through `visible_to` (a hidden set or question answers 404); writes need the analyst's
permissions (403 otherwise) and go through tracker.requirements, which records each change.
"""
from itertools import chain

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_POST

from cables import markings
from cables.models import Cable
from tracker import report_views, reports, requirements
from tracker.extraction import split_sentences
from tracker.filters import RequirementSetFilter
from tracker.forms import MAX_ID, MergeForm, QuestionForm, RequirementSetForm, SectionForm, SplitForm
from tracker.models import Proposal, Question, RequirementSet, Section, TaskingCandidate
from tracker.requirements import RequirementError

PAGE_SIZE = 50


def date_inputs(form, *names) -> None:
    """The browser's date picker on these filter fields (it sends 2009-01-31, whatever it shows)."""
    for name in names:
        field = form.fields[name]
        field.widget.input_type = "date"
        field.widget.format = "%Y-%m-%d"


def set_banner(requirement_set: RequirementSet, *marks: str) -> dict:
    """The classification banner of a page of one set (markings.banner): its tasking cable's classification,
    whose text the set's title, sections and unmarked questions are, raised by every marking it shows."""
    return markings.banner([requirement_set.tasking_cable.classification, *marks])


def heading_marks(requirement_set: RequirementSet, user) -> list[str]:
    """The markings of the set's section headings that are marked apart from its cable and that the user may
    read: a page showing the set's headings counts them in its banner (Section.audience_for). One query."""
    marks = requirement_set.sections.exclude(marking="").values_list("marking", flat=True)
    return [mark for mark in marks if markings.may_see(user, mark)]


def questions_banner(questions) -> dict:
    """The banner of a list of questions of several sets: each question's marking and its tasking cable's
    classification, whose text its set's title and section are (read with the question: no query)."""
    return markings.banner(chain.from_iterable(
        (question.marking, question.requirement_set.tasking_cable.classification) for question in questions))


def question_banner(question: Question, responses, suggestions, user) -> dict:
    """The banner of a question's page: its set's (set_banner), its marking and its section heading's where
    shown, the cables of its responses, and the paragraphs its suggestions quote (their stored access, unmarked
    text held to the paragraph before)."""
    section = question.section if question.section_id else None
    heading = section.marking if section and section.audience_for(user) == section.audience else ""
    return set_banner(question.requirement_set, question.marking, heading,
                      *(response.cable.classification for response in responses),
                      *(markings.stored_access(suggestion.paragraph.level, suggestion.paragraph.noforn)
                        for suggestion in suggestions if suggestion.paragraph))


def requirement_set_list(request):
    queryset = (RequirementSet.objects.visible_to(request.user).with_question_counts(request.user)
                .select_related("tasking_cable", "owner").order_by("-tasked", "-pk"))
    set_filter = RequirementSetFilter(request.GET, queryset=queryset, request=request)
    date_inputs(set_filter.form, "tasked_after", "tasked_before")
    # a filter that does not validate lists nothing (its error says why) rather than everything
    found = set_filter.qs if set_filter.is_valid() else set_filter.queryset.none()
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    candidates = _candidates(request.user).count()
    return render(request, "tracker/requirement_set_list.html",
                  {"filter": set_filter, "page": page, "query": query, "candidates": candidates,
                   "banner": markings.banner(rs.tasking_cable.classification for rs in page)})


def _candidates(user):
    return (TaskingCandidate.objects.filter(cable__in=Cable.objects.visible_to(user))
            .filter(cable__requirement_set__isnull=True).select_related("cable"))


def candidate_list(request):
    page = Paginator(_candidates(request.user).order_by("-cable__created", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "tracker/candidate_list.html",
                  {"page": page, "banner": markings.banner(c.cable.classification for c in page)})


@require_POST
@permission_required("tracker.add_requirementset", raise_exception=True)
def requirement_set_create(request):
    reference_id = request.POST.get("reference_id", "").strip().upper()
    cable = get_object_or_404(Cable.objects.visible_to(request.user), reference_id=reference_id)
    try:
        requirement_set = requirements.create_set(cable, request.user)
    except RequirementError as error:
        messages.error(request, str(error))
        return redirect("candidate-list")
    questions, sections = requirement_set.questions.count(), requirement_set.sections.count()
    messages.success(request, f"Requirement set created from {cable.reference_id}: {questions} question"
                              f"{pluralize(questions)} in {sections} section{pluralize(sections)}.")
    # the notes quote the cable: shown whole only to a reader of every paragraph of it
    if requirement_set.extraction_notes and cable.paragraphs.count() != cable.paragraphs.visible_to(
            request.user).count():
        messages.warning(request, f"The extraction left {len(requirement_set.extraction_notes)} note"
                                  f"{pluralize(len(requirement_set.extraction_notes))} for an analyst cleared for "
                                  "the whole cable: check the questions against it.")
    else:
        for note in requirement_set.extraction_notes:
            messages.warning(request, f"Check: {note}")
    return redirect(requirement_set)


def _visible_set(request, pk: int) -> RequirementSet:
    return get_object_or_404(RequirementSet.objects.visible_to(request.user).select_related("tasking_cable", "owner"),
                             pk=pk)


def requirement_set_detail(request, pk: int, form: RequirementSetForm | None = None):
    requirement_set = _visible_set(request, pk)
    context = _detail_context(request, requirement_set, form or RequirementSetForm(instance=requirement_set))
    context["editing"] = "edit" in request.GET  # /edit/ opened: the form shown open
    return render(request, "tracker/requirement_set_detail.html", context)


def _detail_context(request, requirement_set: RequirementSet, form) -> dict:
    user = request.user
    # in the set's order: the statuses aggregate, and Django drops Meta.ordering from such a query
    questions = (Question.objects.visible_to(user).with_status(user).prefetch_related("posts")
                 .select_related("paragraph").order_by("order", "pk"))
    sections = list(requirement_set.sections.prefetch_related("posts", Prefetch("questions", queryset=questions)))
    loose = list(questions.filter(requirement_set=requirement_set, section=None))
    report = report_views.set_report(requirement_set, user)
    coverage = report["coverage"]
    proposals = list(Proposal.objects.visible_to(user).filter(requirement_set=requirement_set,
                                                              state=Proposal.PENDING).select_related("question"))
    changes = []
    if user.has_perm("tracker.view_requirementchange"):
        changes = requirements.visible_history(requirement_set, user)  # judged by the markings each entry saved
        for change in changes:
            change.lines = requirements.describe(change)
    shown = [*(q for section in sections for q in section.questions.all()), *loose]
    history = (requirements.markings_in(c.before) | requirements.markings_in(c.after) for c in changes)
    headings = (s.marking for s in sections if s.marking and markings.may_see(user, s.marking))  # read already
    banner = set_banner(requirement_set, *headings, *(q.marking for q in shown), *(p.marking for p in proposals),
                        *(p.question.marking for p in proposals if p.question), *chain.from_iterable(history))
    return {
        "set": requirement_set,
        "cable": requirement_set.tasking_cable,
        "sections": sections,
        "loose": loose,
        "seen": coverage["questions"],
        "withheld": coverage["withheld"],
        "posts": requirement_set.addressed_posts.all(),
        "proposals": proposals,
        "changes": changes,
        "form": form,
        "can_edit": user.has_perm("tracker.change_question"),
        "banner": banner,
        "repeated": requirements.repeated_questions(shown),
        "to_review": (review := reports.to_review(requirement_set, user)),
        "to_review_total": sum(r["responses"] for r in review),
        **report,
    }


@permission_required("tracker.change_requirementset", raise_exception=True)
def requirement_set_edit(request, pk: int):
    """POST saves; GET (a reload, a bookmark) goes to the set's page with the form open."""
    requirement_set = _visible_set(request, pk)
    if request.method != "POST":
        return redirect(f"{requirement_set.get_absolute_url()}?edit#edit-set")
    form = RequirementSetForm(request.POST, instance=RequirementSet.objects.get(pk=pk))
    if not form.is_valid():
        # the form is far down the page: say what is wrong at the top, and take the reader to the field
        problems = "; ".join(f"{form[name].label if name in form.fields else 'Set'}: {' '.join(errors)}"
                             for name, errors in form.errors.items())
        messages.error(request, f"The set was not saved. {problems}")
        first = next((name for name in form.errors if name in form.fields), None)
        if first:
            form.fields[first].widget.attrs["autofocus"] = True
        context = _detail_context(request, requirement_set, form)
        context["editing"] = True
        return render(request, "tracker/requirement_set_detail.html", context, status=400)
    try:
        requirements.edit_set(requirement_set, request.user, **form.cleaned_data)
    except RequirementError as error:  # an owner who lost the right to follow it since the form was shown
        messages.error(request, f"The set was not saved. {error}")
        return redirect(f"{requirement_set.get_absolute_url()}?edit#edit-set")
    messages.success(request, "Saved.")
    return redirect(requirement_set)


@require_POST
@permission_required("tracker.change_question", raise_exception=True)
def requirement_set_reextract(request, pk: int):
    requirement_set = _visible_set(request, pk)
    try:
        counts = requirements.reextract(requirement_set, request.user)
    except RequirementError as error:
        messages.error(request, str(error))
    else:
        withheld = counts.pop("withheld")
        messages.success(request, "Extraction run again: {updated} updated, {added} added, {proposed} proposed "
                                  "for your decision, {unchanged} unchanged".format(**counts)
                         + (f"; {withheld} more beyond your clearance." if withheld else "."))
    return redirect(requirement_set)


@require_POST
@permission_required("tracker.change_proposal", raise_exception=True)
def proposal_decide(request, pk: int):
    proposal = get_object_or_404(Proposal.objects.visible_to(request.user), pk=pk)
    try:
        requirements.decide(proposal, request.user, accept=request.POST.get("decision") == "accept")
    except RequirementError as error:
        messages.error(request, str(error))
    return redirect(proposal.requirement_set)


def _visible_question(request, pk: int) -> Question:
    return get_object_or_404(
        Question.objects.visible_to(request.user).select_related("requirement_set__tasking_cable", "section"), pk=pk
    )


@permission_required("tracker.change_question", raise_exception=True)
def question_edit(request, pk: int):
    question = _visible_question(request, pk)
    requirement_set = question.requirement_set
    initial = {"code": question.code, "section": question.section, "marking": question.marking,
               "text": question.text, "sentences": "\n".join(question.sentences)}
    form = QuestionForm(request.POST or None, initial=initial, requirement_set=requirement_set, question=question,
                        user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # none typed: the text is split; reworded with the sentences left alone, edit_question splits it anew
        sentences = data["sentences"] or list(split_sentences(data["text"]))
        section_before = question.section_id
        try:
            requirements.edit_question(question, request.user, code=data["code"], text=data["text"],
                                       marking=data["marking"], sentences=sentences, section=data["section"])
        except RequirementError as error:
            form.add_error(None, str(error))
        else:
            moved = ""
            if question.section_id != section_before:
                moved = (f" It is now the last question of {requirements.section_called(question.section)}."
                         if question.section else " It is now listed under “Questions outside any section”.")
            messages.success(request, f"{question.code} saved.{moved}")
            return redirect(f"{requirement_set.get_absolute_url()}#q{question.pk}")
    merge_form = MergeForm(question=question, user=request.user)
    others = merge_form.fields["into"].queryset.values_list("marking", flat=True)  # its choices show their text
    return render(request, "tracker/question_form.html", {
        "form": form, "set": requirement_set, "question": question,
        "split_form": SplitForm(), "merge_form": merge_form,
        "banner": set_banner(requirement_set, question.marking, *others,
                             *heading_marks(requirement_set, request.user)),  # the section choices
    }, status=400 if form.errors else 200)


@permission_required("tracker.add_question", raise_exception=True)
def question_add(request, pk: int):
    requirement_set = _visible_set(request, pk)
    chosen = request.GET.get("section", "")  # a section's id; anything else ("", "x", 30 digits) names none
    section = (requirement_set.sections.filter(pk=int(chosen)).first()
               if chosen.isascii() and chosen.isdigit() and int(chosen) <= MAX_ID else None)
    form = QuestionForm(request.POST or None, initial={"section": section, "marking": ""},
                        requirement_set=requirement_set, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            question = requirements.add_question(requirement_set, request.user, section=data["section"],
                                                 text=data["text"], marking=data["marking"], code=data["code"],
                                                 sentences=data["sentences"] or list(split_sentences(data["text"])))
        except RequirementError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{question.code} added.")
            return redirect(f"{requirement_set.get_absolute_url()}#q{question.pk}")
    return render(request, "tracker/question_form.html", {
        "form": form, "set": requirement_set, "question": None,
        "banner": set_banner(requirement_set, *heading_marks(requirement_set, request.user))},
                  status=400 if form.errors else 200)


@require_POST
@permission_required("tracker.change_question", raise_exception=True)
def question_split(request, pk: int):
    question = _visible_question(request, pk)
    form = SplitForm(request.POST)
    try:
        if not form.is_valid():
            raise RequirementError("Say before which sentence to split (2 or more)")
        new = requirements.split_question(question, request.user, form.cleaned_data["at"] - 1)
    except RequirementError as error:
        messages.error(request, str(error))
        return redirect("question-edit", pk=question.pk)
    kept, total = len(question.sentences), len(question.sentences) + len(new.sentences)
    messages.success(request, f"{question.code} split in two: {question.code} keeps "
                              f"{requirements.sentence_span(1, kept)}, and "
                              f"{requirements.sentence_span(kept + 1, total)} became the new question {new.code}.")
    return redirect(f"{question.requirement_set.get_absolute_url()}#q{new.pk}")


@require_POST
@permission_required("tracker.change_question", raise_exception=True)
def question_merge(request, pk: int):
    question = _visible_question(request, pk)
    form = MergeForm(request.POST, question=question, user=request.user)
    try:
        if not form.is_valid():
            raise RequirementError("Choose a question of this set to merge into")
        into = form.cleaned_data["into"]
        marking = into.marking
        requirements.merge_questions(question, into, request.user)
    except RequirementError as error:
        messages.error(request, str(error))
        return redirect("question-edit", pk=question.pk)
    stricter = f" {into.code} takes the stricter marking, {into.marking}." if into.marking != marking else ""
    messages.success(request, f"{question.code} merged into {into.code}: its sentences now follow {into.code}'s "
                              f"own, and {question.code} is retired (kept in the history).{stricter}")
    return redirect(f"{question.requirement_set.get_absolute_url()}#q{into.pk}")


@require_POST
@permission_required("tracker.change_question", raise_exception=True)
def question_move(request, pk: int):
    question = _visible_question(request, pk)
    direction = request.POST.get("direction", "")
    try:
        into = requirements.move_question(question, request.user, direction)
    except RequirementError as error:
        messages.error(request, str(error))
    else:
        if into is None:
            messages.success(request, f"{question.code} moved {direction}.")
        else:
            messages.success(request, f"{question.code} moved {direction} into {requirements.section_called(into)}, "
                                      f"as its {'last' if direction == 'up' else 'first'} question.")
    return redirect(f"{question.requirement_set.get_absolute_url()}#q{question.pk}")


@require_POST
@permission_required("tracker.change_question", raise_exception=True)
def question_retire(request, pk: int):
    question = _visible_question(request, pk)
    retire = request.POST.get("retired", "1") == "1"
    if question.retired == retire:
        messages.info(request, f"{question.code} is {'already' if retire else 'not'} retired: nothing changed.")
    else:
        requirements.retire_question(question, request.user, retired=retire)
        messages.success(request, f"{question.code} retired: it stays on the set's page, marked retired, until "
                                  "you restore it." if retire else f"{question.code} restored.")
    return redirect(f"{question.requirement_set.get_absolute_url()}#q{question.pk}")


@permission_required("tracker.change_section", raise_exception=True)
def section_edit(request, pk: int):
    section = get_object_or_404(Section.objects.filter(
        requirement_set__in=RequirementSet.objects.visible_to(request.user)).select_related("requirement_set"), pk=pk)
    if section.audience_for(request.user) != section.audience:
        raise Http404("No such section")  # its heading is beyond the user's clearance: nothing to edit
    requirement_set = section.requirement_set
    initial = {"letter": section.letter, "audience": section.audience, "posts": section.posts.all()}
    form = SectionForm(request.POST or None, initial=initial, requirement_set=requirement_set, section=section)
    if request.method == "POST" and form.is_valid():
        try:
            requirements.edit_section(section, request.user, **form.cleaned_data)
        except RequirementError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Section saved.")
            return redirect(f"{requirement_set.get_absolute_url()}#section{section.pk}")
    return render(request, "tracker/section_form.html", {"form": form, "set": requirement_set, "section": section,
                                                         "banner": set_banner(requirement_set, section.marking)},
                  status=400 if form.errors else 200)


@permission_required("tracker.add_section", raise_exception=True)
def section_add(request, pk: int):
    requirement_set = _visible_set(request, pk)
    form = SectionForm(request.POST or None, requirement_set=requirement_set)
    if request.method == "POST" and form.is_valid():
        try:
            section = requirements.add_section(requirement_set, request.user, letter=form.cleaned_data["letter"],
                                               audience=form.cleaned_data["audience"],
                                               posts=list(form.cleaned_data["posts"]))
        except RequirementError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Section {section.letter or section.audience[:40]} added.")
            return redirect(f"{requirement_set.get_absolute_url()}#section{section.pk}")
    return render(request, "tracker/section_form.html", {"form": form, "set": requirement_set, "section": None,
                                                         "banner": set_banner(requirement_set)},
                  status=400 if form.errors else 200)

