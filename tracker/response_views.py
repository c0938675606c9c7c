"""Response pages: a question's page (its responses and suggestions, "log a response"), the requirements part
of a cable's page, logging from a cable ("this answers..."), editing, retracting and confirming responses,
deciding suggestions, the cable lookup behind search-as-you-type, and the responses waiting for their tasking
cable."""
import re
from itertools import chain

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST

from cables import markings
from cables.models import Cable
from tracker import responses
from tracker.forms import ResponseEditForm, ResponseForm, paragraph_numbers
from tracker.models import Citation, Question, RequirementSet, Response, Suggestion, TaskingCandidate
from tracker.requirements import describe_change
from tracker.responses import ResponseError
from tracker.views import question_banner

LOOKUP_LIMIT = 12


def _visible_question(request, pk: int) -> Question:
    return get_object_or_404(Question.objects.visible_to(request.user).with_status(request.user)
                             .select_related("requirement_set__tasking_cable", "section"), pk=pk)


def _responses(user):
    return Response.objects.visible_to(user).with_paragraphs(user).select_related("cable", "post", "created_by",
                                                                                   "question")


def cable_requirements(request, cable: Cable) -> tuple[str, list[str]]:
    """The requirements part of a cable's page (cables.views.CABLE_PAGE_PARTS), rendered, with the markings of
    what it shows. It names the set the cable is the tasking cable of, or for a cable flagged as tasking
    offers to make one; the cited tasking cables in the store without a set yet; then the cable's citations,
    responses and suggestions (tracker/_cable_links.html). The markings are those of each set's title (its
    tasking cable's classification) and of each suggested question, whose words the evidence shows."""
    user = request.user
    tasking_set, cable_responses = _cable_reads(request, cable)
    candidate = tasking_set is None and TaskingCandidate.objects.filter(cable=cable).exists()
    # a set the user may not see does not exist for them: its citation shows as one of a reference with no
    # set (waiting, for a collection reference), as the cable's own text would have it
    citations = list(Citation.objects.visible_to(user).filter(cable=cable).select_related(
        "requirement_set__tasking_cable"))
    cited_sets = {c.requirement_set_id for c in citations if c.requirement_set_id}
    visible_sets = set(RequirementSet.objects.visible_to(user).filter(pk__in=cited_sets).values_list(
        "pk", flat=True)) if cited_sets else set()
    for citation in citations:
        if citation.requirement_set_id not in visible_sets:
            citation.requirement_set = None
    # a cited tasking cable without a set that is in the store already (and the user may see) is named as
    # such, linked; one not in the store, or not visible to the user, is waiting
    unattached = {c.reference.upper() for c in citations if c.requirement_set_id is None}
    in_store = {found.reference_id: found for found in Cable.objects.visible_to(user).filter(
        reference_id__in=unattached).only("reference_id", "classification")} if unattached else {}
    arrived = [(c.reference, in_store[c.reference.upper()]) for c in citations
               if c.requirement_set_id is None and c.reference.upper() in in_store]
    suggestions = list(Suggestion.objects.visible_to(user).filter(cable=cable, state=Suggestion.OPEN)
                       .still_open().not_linked()
                       .select_related("question__requirement_set__tasking_cable", "paragraph")[:30])
    current = {response.question_id: response for response in cable_responses if not response.retracted}
    for suggestion in suggestions:
        suggestion.existing = current.get(suggestion.question_id)  # accepting it adds to that response
    shown_sets = [tasking_set] if tasking_set else []
    shown_sets += [c.requirement_set for c in citations if c.requirement_set_id]
    shown_sets += [r.question.requirement_set for r in chain(cable_responses, suggestions)]
    marks = [shown.tasking_cable.classification for shown in shown_sets]
    marks += [suggestion.question.marking for suggestion in suggestions]
    shown = render_to_string("cables/_requirements.html", {
        "cable": cable,
        "tasking_set": tasking_set,
        "candidate": candidate,
        "arrived": arrived,
        "citations": [c for c in citations if c.requirement_set_id or c.reference.upper() not in in_store],
        "responses": cable_responses,
        "suggestions": suggestions,
        "assessments": Response.ASSESSMENT_CHOICES, "confidences": Response.CONFIDENCE_CHOICES,
    }, request=request)
    return shown, marks


def _cable_reads(request, cable: Cable) -> tuple[RequirementSet | None, list[Response]]:
    """What both parts of a cable's page read (the set it is the tasking cable of, its responses the user may
    see, retracted ones too), read once a request."""
    key = f"_tracker_cable_{cable.pk}"
    if not hasattr(request, key):
        user = request.user
        tasking_set = RequirementSet.objects.visible_to(user).filter(tasking_cable=cable).select_related(
            "tasking_cable").first()
        responses_ = list(Response.objects.visible_to(user).with_paragraphs(user).filter(cable=cable)
                          .select_related("question__requirement_set__tasking_cable"))
        setattr(request, key, (tasking_set, responses_))
    return getattr(request, key)


def paragraph_links(request, cable: Cable, paragraphs: list) -> dict[int, str]:
    """Beside each paragraph of a cable's page (cables.views.CABLE_PARAGRAPH_NOTES): the questions current
    responses link it to, as far as the reader may see them, and for an analyst a link that opens the response
    form with the cable and that paragraph chosen. What it reads, the requirements part has read already."""
    user = request.user
    tasking_set, cable_responses = _cable_reads(request, cable)
    linked: dict[int, list[Response]] = {}
    current = sorted((r for r in cable_responses if not r.retracted),
                     key=lambda r: (r.question.requirement_set_id, r.question.order))
    for response in current:
        for paragraph in response.paragraphs.all():
            linked.setdefault(paragraph.pk, []).append(response)
    may_log = user.has_perm("tracker.add_response") and tasking_set is None  # a tasking cable answers nothing
    # Codes repeat from set to set ("A.1"): where the cable answers more than one, each names its set's tasking
    # cable, in words a touch screen or a keyboard shows too (the title stays the hover text).
    several = len({r.question.requirement_set_id for r in current}) > 1
    notes = {}
    for paragraph in paragraphs:
        answers = format_html_join(", ", '<a href="{}" title="{}">{}</a>{}{}', (
            (reverse("question-detail", args=[r.question_id]), r.question.requirement_set.title, r.question.code,
             f" of {r.question.requirement_set.tasking_cable.reference_id}" if several else "",
             "" if r.assessment == Response.ANSWERS else f" ({r.get_assessment_display()})")
            for r in linked.get(paragraph.pk, [])))
        log = format_html('<a class="log" href="{}?{}">This answers…</a>', reverse("response-create"),
                          urlencode({"cable": cable.reference_id, "paragraphs": paragraph.number})
                          ) if may_log and paragraph.number else ""
        if answers or log:
            notes[paragraph.pk] = format_html('<p class="paragraph-links">{}{}{}</p>',
                                              format_html("Answers {}", answers) if answers else "",
                                              " · " if answers and log else "", log)
    return notes


REJECTED_SHOWN = 20  # the latest rejected suggestions a question's page lists, to restore one


def question_detail(request, pk: int):
    question = _visible_question(request, pk)
    user = request.user
    logged = list(_responses(user).filter(question=question))
    current = {response.cable_id: response for response in logged if not response.retracted}
    open_question = not question.retired and question.requirement_set.status == RequirementSet.ACTIVE
    for response in logged:  # a retracted one links its page: to restore it, or (if it cannot be) its history
        response.restorable = response.retracted and open_question and response.cable_id not in current
    # a paragraph a response already links to this question is not offered again
    suggestions = list(Suggestion.objects.visible_to(user).filter(question=question, state=Suggestion.OPEN)
                       .not_linked().select_related("cable", "paragraph")[:20]) if open_question else []
    for suggestion in suggestions:
        suggestion.existing = current.get(suggestion.cable_id)  # accepting it adds to that response
    rejected = Suggestion.objects.visible_to(user).filter(question=question, state=Suggestion.REJECTED)
    rejected_shown = list(rejected.select_related("cable", "paragraph", "decided_by")
                          .order_by("-decided", "-pk")[:REJECTED_SHOWN])
    form = ResponseForm(initial={"questions": [question.pk]}, questions=Question.objects.filter(pk=question.pk))
    return render(request, "tracker/question_detail.html", {
        "question": question, "set": question.requirement_set,
        "responses": logged,
        "suggestions": suggestions, "form": form, "assessments": Response.ASSESSMENT_CHOICES,
        "confidences": Response.CONFIDENCE_CHOICES,
        "rejected": rejected_shown, "rejected_count": rejected.count(),
        # the reason typed for a rejection refused for want of ticks, back in its box (suggestions_reject)
        "reject_note": request.session.pop(f"reject-note-{question.pk}", ""),
        "banner": question_banner(question, logged, [*suggestions, *rejected_shown], user),
        "can_log": user.has_perm("tracker.add_response") and not question.retired
        and question.requirement_set.status == RequirementSet.ACTIVE,
        "closed_note": "retired" if question.retired else (
            "in a closed set" if question.requirement_set.status != RequirementSet.ACTIVE else ""),
    })


LABELS = {"assessment": dict(Response.ASSESSMENT_CHOICES), "confidence": dict(Response.CONFIDENCE_CHOICES)}


def _label(field: str, value) -> str:
    """An assessment or confidence in words ("partly" -> "partly answers"); another field's value as it is."""
    return LABELS.get(field, {}).get(value, value) if isinstance(value, str) else value


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _question_name(question: Question) -> str:
    """A question with its set, for a message: "B.3 of “Iranian outreach to Latin America”"."""
    return f"{question.code} of “{question.requirement_set.title}”"


def _questions_named(questions) -> str:
    """Questions with their sets, for a message: "A.1, B.2 of “Iranian outreach…” and D of “Cuba-Russia…”"."""
    groups: dict[int, tuple[str, list[str]]] = {}
    for question in questions:
        groups.setdefault(question.requirement_set_id, (question.requirement_set.title, []))[1].append(question.code)
    return _and([f"{', '.join(codes)} of “{title}”" for title, codes in groups.values()])


def _lowering_message(existing: Response, lowered: dict, doing: str = "logging this"):
    """Why logging (or `doing`) is refused, in words and linking the existing response: "08LAPAZ751 already
    has a response to B.3 of “…” (answers, high confidence): logging this would lower its assessment from
    “answers” to “partly answers”." (HTML)"""
    what = " and ".join(f"its {field} from “{_label(field, now)}” to “{_label(field, asked)}”"
                        for field, (now, asked) in lowered.items())
    return format_html("{} already has <a href=\"{}\">a response</a> to {} ({}, {} confidence): {} would lower {}.",
                       existing.cable.reference_id, reverse("response-edit", args=[existing.pk]),
                       _question_name(existing.question), existing.get_assessment_display(),
                       existing.get_confidence_display(), doing, what)


def _said(response: Response) -> str:
    """What a response says, for a message: "partly answers, high confidence, ¶1, 3, 5" (its paragraphs
    in the cable's order)."""
    def order(number: str) -> tuple:
        return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"[.()]+", number))

    paragraphs = ", ".join(sorted(response.paragraph_numbers, key=order))
    return f"{response.get_assessment_display()}, {response.get_confidence_display()} confidence, ¶{paragraphs}"


def _logged_message(cable: Cable, logged: list[Response], updated_ids) -> str:
    """What logging did, question by question: "08LAPAZ751 logged against B.3, C.5 of “…”: B.3 now answers,
    high confidence, ¶2, 3 (existing response updated); C.5 now answers, medium confidence, ¶2 (new
    response)." Where the questions come from several sets each is named with its set."""
    questions = [response.question for response in logged]
    several = len({question.requirement_set_id for question in questions}) > 1
    what = "; ".join(
        f"{_question_name(r.question) if several else r.question.code} now {_said(r)} "
        f"({'existing response updated' if r.question_id in updated_ids else 'new response'})" for r in logged)
    return f"{cable.reference_id} logged against {_questions_named(questions)}: {what}."


def _loggable_questions(user, cable: Cable | None):
    """The questions a cable may answer: every open question the user may see, those of the sets it cites
    first (marked `cited`), then those of sets with a question suggested for it (`set_suggested`), not those
    its own set tasks (a tasking cable does not answer itself). A citation says which set a cable was written
    for, not all it may answer. Each question says whether it is suggested for the cable (`suggested`) and
    what the cable's current response to it says (`answered_here`), as far as the user may see."""
    questions = Question.objects.visible_to(user).filter(retired=False, requirement_set__status=RequirementSet.ACTIVE)
    if cable is None:
        return questions.select_related("requirement_set__tasking_cable").order_by("requirement_set", "order")
    cited = Citation.objects.visible_to(user).filter(cable=cable, requirement_set=OuterRef("requirement_set"))
    suggestions = Suggestion.objects.visible_to(user).filter(cable=cable, state=Suggestion.OPEN)
    answered = Response.objects.visible_to(user).current().filter(cable=cable, question=OuterRef("pk"))
    return (questions.exclude(requirement_set__tasking_cable=cable)
            .annotate(cited=Exists(cited), suggested=Exists(suggestions.filter(question=OuterRef("pk"))),
                      set_suggested=Exists(suggestions.filter(question__requirement_set=OuterRef("requirement_set"))),
                      answered_here=Subquery(answered.values("assessment")[:1]))
            .select_related("requirement_set__tasking_cable")
            .order_by("-cited", "-set_suggested", "requirement_set", "order"))


MAX_ID = 2**63 - 1  # a database's largest key: a longer number names no row


def _form_ids(values) -> list[int]:
    """The ids (of questions, of suggestions) among form values: ASCII digits of a key's size; anything else
    ("x", "²", 30 digits) names none."""
    return [int(value) for value in map(str, values)
            if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID]


def _why_not_offered(user, question: Question, cable: Cable | None) -> str:
    if question.retired:
        return "it is retired"
    if question.requirement_set.status != RequirementSet.ACTIVE:
        return "its requirement set is closed"
    if cable is not None and question.requirement_set.tasking_cable_id == cable.pk:
        return f"{cable.reference_id} is the tasking cable of its set"
    return "it cannot be answered now"


def _dropped_questions(user, cable: Cable | None, chosen_ids: list[int], offered) -> list[str]:
    """A sentence for each chosen question the form cannot offer for this cable, saying why."""
    missing = set(chosen_ids) - set(offered.filter(pk__in=chosen_ids).values_list("pk", flat=True))
    found = list(Question.objects.visible_to(user).filter(pk__in=missing).select_related("requirement_set"))
    notes = [f"Question {question.code} of “{question.requirement_set.title}” is no longer chosen: "
             f"{_why_not_offered(user, question, cable)}." for question in found]
    if len(found) < len(missing):
        notes.append("A chosen question is no longer chosen: it does not exist, or is not one you may see.")
    return notes


def _chosen_values(data) -> dict:
    """The assessment and confidence the analyst chose, to keep on the form of another cable: those set to
    a value other than the one the form showed."""
    choices = {"assessment": dict(Response.ASSESSMENT_CHOICES), "confidence": dict(Response.CONFIDENCE_CHOICES)}
    return {field: data[field] for field in choices
            if data.get(field) in choices[field] and data[field] != data.get(f"shown_{field}")}


@permission_required("tracker.add_response", raise_exception=True)
def response_create(request):
    """The form, for the cable in `?cable=` (changing the cable reloads it: its heading, paragraphs and the
    questions it may answer, keeping what was typed but the old cable's paragraphs; see `_cable_form`).
    Where the cable already answers a chosen question the form says so, names that response and starts
    from its assessment and confidence; lowering them needs `downgrade` ticked."""
    user = request.user
    reference_id = (request.POST.get("cable") or request.GET.get("cable") or "").strip().upper()
    cable = Cable.objects.visible_to(user).filter(reference_id=reference_id).first() if reference_id else None
    loaded = request.POST.get("loaded", "").strip().upper()
    if request.method != "POST" or (loaded and loaded != reference_id):
        return _cable_form(request, cable, reference_id, loaded)
    data = request.POST
    chosen_ids = _form_ids(data.getlist("questions"))
    existing = responses.current_responses(cable, chosen_ids, user)
    form = ResponseForm(data, questions=_loggable_questions(user, None))
    if form.is_valid():
        try:
            if cable is None:
                raise ResponseError("cable", f"No cable {reference_id or '(none given)'} in the store")
            questions = list(form.cleaned_data["questions"])
            chosen = form.cleaned_data
            keep, downgrade = form.kept(), chosen["downgrade"]
            assessment, confidence = form.value("assessment"), form.value("confidence")
            existing = responses.current_responses(cable, questions, user)
            lowered = {pk: responses.lowering(response, assessment, confidence, keep)
                       for pk, response in existing.items()}
            if any(lowered.values()) and not downgrade:
                _refuse_lowering(form, [_lowering_message(existing[pk], what) for pk, what in lowered.items() if what])
            else:
                logged = responses.log(user, cable, questions, chosen["paragraphs"], assessment, confidence,
                                       chosen["note"], keep=keep, downgrade=downgrade)
        except ResponseError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        if not form.errors:
            messages.success(request, _logged_message(cable, logged, set(existing)))
            return redirect("question-detail", pk=logged[0].question_id) if len(logged) == 1 else redirect(cable)
    # shown again: the questions this cable may answer, as on GET (and why a chosen one is not among them)
    return _render_form(request, form, cable, reference_id, chosen_ids, existing)


def _refuse_lowering(form: ResponseForm, reasons: list) -> None:
    """Logging would lower existing responses: said at the top of the form, in words, each response linked;
    the box to tick is marked too."""
    for reason in reasons[:-1]:
        form.add_error(None, reason)
    form.add_error(None, format_html("{} Tick “Lower the existing response” below to do so, or choose its current "
                                     "values.", reasons[-1]))
    form.add_error("downgrade", "Tick this to lower the existing response to what you chose.")


def _cable_form(request, cable: Cable | None, reference_id: str, loaded: str):
    """The form for a cable, keeping what the analyst typed on the form of another cable: a GET from the
    page's script (`question`, `note`, `assessment` and `confidence` chosen, `paragraphs` typed for this
    cable, `cleared`: the old cable's, from `cleared_from`), or the POST of a form whose cable was changed
    without it (the old cable, `loaded`, had the paragraphs). Another cable's paragraph numbers mean other
    text: they are cleared, and the page says so."""
    user = request.user
    if request.method == "POST":  # the old cable's paragraphs, ticked (without the script) or typed, are cleared
        data, chosen_ids = request.POST, _form_ids(request.POST.getlist("questions"))
        ticked = [number.strip() for number in data.getlist("ticked_paragraphs") if number.strip()]
        cleared = ", ".join(dict.fromkeys([*ticked, *paragraph_numbers(data.get("paragraphs", ""))]))
        paragraphs, cleared_from = "", loaded
    else:
        data, chosen_ids = request.GET, _form_ids(request.GET.getlist("question"))
        paragraphs, cleared = data.get("paragraphs", "").strip(), data.get("cleared", "").strip()
        cleared_from = data.get("cleared_from", "").strip().upper()
    offered = _loggable_questions(user, cable)
    kept = list(offered.filter(pk__in=chosen_ids).values_list("pk", flat=True))
    existing = responses.current_responses(cable, kept, user)
    shown = dict(ResponseForm.DEFAULTS)
    for field in shown:
        values = {getattr(response, field) for response in existing.values()}
        if len(values) == 1:  # start from what the existing responses say
            shown[field] = values.pop()
        elif values:  # they differ: each keeps its own unless the analyst chooses a value for all
            shown[field] = ResponseForm.EACH_OWN
    initial = {"cable": reference_id, "questions": kept, "note": data.get("note", ""), "paragraphs": paragraphs,
               **shown, "shown_assessment": shown["assessment"], "shown_confidence": shown["confidence"],
               **_chosen_values(data)}
    form = ResponseForm(initial=initial, questions=offered)
    numbers = ", ".join(paragraph_numbers(cleared))
    cleared = {"numbers": numbers, "cable": cleared_from} if numbers else None
    return _render_form(request, form, cable, reference_id, chosen_ids, existing, cleared)


def _render_form(request, form: ResponseForm, cable: Cable | None, reference_id: str, chosen_ids: list[int],
                 existing: dict, cleared: dict | None = None):
    """The form for this cable: the questions it may answer (and why a chosen one is not among them), its
    paragraphs, the responses it already made to the chosen questions."""
    user = request.user
    offered = _loggable_questions(user, cable)
    form.fields["questions"].queryset = offered
    offered_ids = set(offered.filter(pk__in=list(existing)).values_list("pk", flat=True))
    paragraphs = list(cable.paragraphs.visible_to(user).exclude(number=None)) if cable else []
    # the questions offered (their text, their sets' titles) and the cable's paragraphs shown
    shown = chain.from_iterable(offered.values_list("marking", "requirement_set__tasking_cable__classification"))
    banner = markings.banner([*shown, *([cable.classification] if cable else []),
                              *(markings.stored_access(p.level, p.noforn) for p in paragraphs)])
    return render(request, "tracker/response_form.html", {
        "form": form, "cable": cable, "paragraphs": paragraphs, "banner": banner,
        "existing": [response for pk, response in existing.items() if pk in offered_ids],
        "unknown_cable": reference_id if reference_id and cable is None else "",
        "cleared": cleared, "dropped_questions": _dropped_questions(user, cable, chosen_ids, offered),
        "no_questions": "" if offered.exists() else _no_questions(user, cable),
    }, status=400 if form.errors else 200)


def _no_questions(user, cable: Cable | None) -> str:
    """Why the form offers no question, without saying whether questions are withheld from this user."""
    if cable is None:
        return "There is no open question you may see, so there is nothing to log a response against."
    text = f"There is no open question you may see that {cable.reference_id} could answer, so it cannot be logged here."
    own = RequirementSet.objects.visible_to(user).filter(tasking_cable=cable).first()
    if own is not None:
        text += f" (It is the tasking cable of “{own.title}”, and a cable does not answer its own questions.)"
    return text


def _visible_response(request, pk: int) -> Response:
    return get_object_or_404(Response.objects.visible_to(request.user).select_related(
        "question__requirement_set__tasking_cable", "cable"), pk=pk)


@permission_required("tracker.change_response", raise_exception=True)
def response_edit(request, pk: int):
    """Edit a response; a retracted one is not edited: the page says who retracted it and when, and offers
    to restore it (POST `restore`)."""
    response = _visible_response(request, pk)
    if request.method == "POST" and request.POST.get("restore"):
        return _restore(request, response)
    initial = {"paragraphs": ", ".join(response.paragraph_numbers), "assessment": response.assessment,
               "confidence": response.confidence, "note": response.note}
    form = ResponseEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and response.retracted:  # retracted while the form was open
        form.add_error(None, "Not saved: this response is retracted. Restore it first, then edit it.")
    elif request.method == "POST" and form.is_valid():
        try:
            responses.edit(response, request.user, paragraph_numbers=form.cleaned_data["paragraphs"],
                           assessment=form.cleaned_data["assessment"], confidence=form.cleaned_data["confidence"],
                           note=form.cleaned_data["note"])
        except ResponseError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, "Response saved.")
            return redirect("question-detail", pk=response.question_id)
    return _render_edit(request, response, form)


def _render_edit(request, response: Response, form: ResponseEditForm, restore_error: str = ""):
    """The response's page: its form (or, retracted, who retracted it and whether it can be restored) and its
    history, assessments and confidences in words. A change made while the response linked a paragraph the
    user may not read says only who made it and when: its note and paragraphs were those of text withheld
    from them."""
    history = list(response.changes.select_related("user")[:50])
    readable = set(response.cable.paragraphs.visible_to(request.user).exclude(number=None)
                   .values_list("number", flat=True))
    for change in history:
        linked = {*change.before.get("paragraphs", ()), *change.after.get("paragraphs", ())}
        change.lines = (describe_change(_in_words(change.before), _in_words(change.after)) if linked <= readable
                        else ["Withheld: the response then linked paragraphs beyond your clearance."])
    context = {"form": form, "response": response, "history": history,
               "banner": _response_banner(response, response.paragraphs.visible_to(request.user))}
    if response.retracted:
        context.update(
            retraction=next((change for change in history if change.action == "response retracted"), None),
            paragraphs=response.paragraphs.visible_to(request.user), restore_error=restore_error,
            not_restorable=responses.why_not_restorable(response, request.user),
            current=responses.current_responses(response.cable, [response.question_id],
                                                request.user).get(response.question_id))
    return render(request, "tracker/response_edit.html", context,
                  status=400 if form.errors or restore_error else 200)


def _in_words(values) -> dict:
    """A response's recorded state with its assessment and confidence in words, for its history."""
    if not isinstance(values, dict):
        return values
    return {field: _label(field, value) for field, value in values.items()}


def _restore(request, response: Response):
    """Restore a retracted response (its page's button); where it cannot be, its page says why."""
    if not response.retracted:
        return redirect("response-edit", pk=response.pk)
    try:
        responses.restore(response, request.user)
    except ResponseError as error:
        response.refresh_from_db()
        return _render_edit(request, response, ResponseEditForm(), restore_error=str(error))
    messages.success(request, f"The response of {response.cable.reference_id} to {_question_name(response.question)} "
                              "is restored: it counts again towards the question's status.")
    return redirect("response-edit", pk=response.pk)


@permission_required("tracker.change_response", raise_exception=True)
def response_retract(request, pk: int):
    """GET: what would be retracted, and a button to confirm; POST with `confirm`: retract it."""
    response = _visible_response(request, pk)
    if request.method == "POST" and request.POST.get("confirm"):
        responses.retract(response, request.user)
        messages.success(request, f"Response of {response.cable.reference_id} retracted (kept in the history).")
        return redirect("question-detail", pk=response.question_id)
    if request.method == "POST":
        return redirect("response-retract", pk=response.pk)
    if response.retracted:
        messages.info(request, f"The response of {response.cable.reference_id} is already retracted.")
        return redirect("response-edit", pk=response.pk)
    paragraphs = list(response.paragraphs.visible_to(request.user))
    return render(request, "tracker/response_retract.html", {"response": response, "paragraphs": paragraphs,
                                                             "banner": _response_banner(response, paragraphs)})


def _response_banner(response: Response, paragraphs) -> dict:
    """A response's page shows its question (its set's title), its cable and the paragraphs it links."""
    question = response.question
    return markings.banner([question.marking, question.requirement_set.tasking_cable.classification,
                            response.cable.classification,
                            *(markings.stored_access(p.level, p.noforn) for p in paragraphs)])


@require_POST
@permission_required("tracker.change_response", raise_exception=True)
def response_confirm(request, pk: int):
    response = _visible_response(request, pk)
    responses.confirm(response, request.user)
    messages.success(request, f"Response of {response.cable.reference_id} confirmed for the reworded question.")
    return redirect("question-detail", pk=response.question_id)


@require_POST
@permission_required("tracker.change_suggestion", raise_exception=True)
def suggestion_decide(request, pk: int):
    suggestion = get_object_or_404(Suggestion.objects.visible_to(request.user).select_related(
        "cable", "question__requirement_set"), pk=pk)
    decision = request.POST.get("decision")
    try:
        if decision == "accept":
            if not request.user.has_perm("tracker.add_response"):
                return JsonResponse({"detail": "You may not log responses"}, status=403)
            _accept(request, suggestion)
        elif decision == "restore":
            state = responses.restore_suggestion(suggestion, request.user)
            messages.success(request, f"Suggestion of {suggestion.cable.reference_id} {suggestion.place} restored: "
                             + ("it is open again." if state == Suggestion.OPEN else
                                "a response already links it to the question, so it counts as accepted."))
        else:
            responses.reject(suggestion, request.user, request.POST.get("note", ""))
            messages.success(request, format_html(
                "Suggestion of {} {} rejected: it will not be suggested again (<a href=\"{}\">restore it</a>).",
                suggestion.cable.reference_id, suggestion.place,
                reverse("question-detail", args=[suggestion.question_id]) + "?restore=1#rejected"))
    except ResponseError as error:
        messages.error(request, str(error))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts=None) and back.startswith("/"):  # this site's path
        return redirect(back)
    return redirect(reverse("question-detail", args=[suggestion.question_id]) + "#suggestions")


@require_POST
@permission_required("tracker.change_suggestion", raise_exception=True)
def suggestions_reject(request, pk: int):
    """Reject the ticked suggestions of a question's page at once, with one reason: the noise of a question
    triaged in one go. Each is rejected as alone (and restored alone); one decided meanwhile, or not the
    user's to see, is left out and counted."""
    question = _visible_question(request, pk)
    ticked = set(request.POST.getlist("suggestion"))
    chosen = list(Suggestion.objects.visible_to(request.user).filter(question=question, pk__in=_form_ids(ticked),
                                                                      state=Suggestion.OPEN))
    note = request.POST.get("note", "")
    for suggestion in chosen:
        responses.reject(suggestion, request.user, note)
    if not ticked:
        messages.error(request, "Tick the suggestions to reject first: the reason you typed is kept.")
        if note.strip():  # kept on the server, not in the address: it may quote classified text
            request.session[f"reject-note-{question.pk}"] = note
    else:
        skipped = len(ticked) - len(chosen)
        messages.success(request, format_html(
            "{} suggestion{} rejected{}: {} not be suggested again (<a href=\"{}\">restore one</a>).",
            len(chosen), "s" if len(chosen) != 1 else "",
            f"; {skipped} left out, decided meanwhile or not yours to see" if skipped else "",
            "they will" if len(chosen) != 1 else "it will",
            reverse("question-detail", args=[question.pk]) + "?restore=1#rejected"))
    return redirect(reverse("question-detail", args=[question.pk]) + "#suggestions")


def _accept(request, suggestion: Suggestion) -> None:
    """Accept from a suggestion's card, with the assessment, confidence and note the analyst gave there (no
    note: the ranker's evidence). Where the cable already answers the question the paragraph is added to that
    response, which keeps its assessment and confidence unless the analyst chose others than the card showed;
    lowering them is refused here, linking the response's own page (which does that)."""
    reference = f"{suggestion.cable.reference_id} {suggestion.place}"
    question = _question_name(suggestion.question)
    chosen = {field: request.POST.get(field) or default for field, default in ResponseForm.DEFAULTS.items()}
    keep = {field for field, default in ResponseForm.DEFAULTS.items()
            if chosen[field] == (request.POST.get(f"shown_{field}") or default)}
    note = request.POST.get("note", "").strip()  # the analyst's own; without one, the ranker's evidence
    downgrade = request.POST.get("downgrade") == "1"
    existing = responses.current_responses(suggestion.cable, [suggestion.question_id],
                                           request.user).get(suggestion.question_id)
    if existing is not None and not downgrade:
        lowered = responses.lowering(existing, chosen["assessment"], chosen["confidence"], keep)
        if lowered:
            messages.error(request, format_html(
                "Nothing changed: {} To lower it, <a href=\"{}\">edit that response</a>.{}",
                _lowering_message(existing, lowered, f"accepting {suggestion.place}"),
                reverse("response-edit", args=[existing.pk]),
                format_html(" Your note, not saved: “{}”", note) if note else ""))
            return
    response = responses.accept(suggestion, request.user, chosen["assessment"], chosen["confidence"], note,
                                keep=keep, downgrade=downgrade)
    if existing is None:
        messages.success(request, f"{reference} logged as a response to {question}: {_said(response)}.")
    else:
        messages.success(request, f"{reference} added to the existing response to {question}: {_said(response)}.")


def cable_lookup(request):
    """Search as you type: visible cables whose reference ID starts with, or subject contains, the text."""
    text = request.GET.get("q", "").strip()
    if len(text) < 2:
        return JsonResponse({"results": []})
    visible = Cable.objects.visible_to(request.user).only("reference_id", "subject", "created")
    by_id = list(visible.filter(reference_id__istartswith=text).order_by("reference_id")[:LOOKUP_LIMIT])
    by_subject = list(visible.filter(subject__icontains=text).exclude(reference_id__istartswith=text)
                      .order_by("-created")[:LOOKUP_LIMIT - len(by_id)]) if len(by_id) < LOOKUP_LIMIT else []
    return JsonResponse({"results": [
        {"reference_id": c.reference_id, "subject": c.subject, "created": c.created.date().isoformat()
         if c.created else None} for c in by_id + by_subject]})


def waiting_list(request):
    """Cables citing a collection reference whose tasking cable is not in the store yet, grouped by it.
    (REF lines naming a STATE cable wait too, and attach silently; most such cables task nothing.) A set the
    user may not see is not in the store for them: its replies wait here as any others would."""
    hidden = ~Q(requirement_set__in=RequirementSet.objects.visible_to(request.user))
    citations = (Citation.objects.visible_to(request.user)
                 .filter(Q(requirement_set=None) | hidden, kind=Citation.COLLECTION_REFERENCE,
                         cable__in=Cable.objects.visible_to(request.user))
                 .select_related("cable").order_by("reference", "cable__created"))
    groups: dict[str, list] = {}
    for citation in citations:
        groups.setdefault(citation.reference, []).append(citation)
    return render(request, "tracker/waiting_list.html", {
        "groups": sorted(groups.items()), "banner": markings.banner(c.cable.classification for c in citations)})
