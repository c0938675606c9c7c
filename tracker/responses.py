"""Responses: which cable paragraphs answer which question, logged by analysts or accepted from the
ranker's suggestions. Every write goes through here and is recorded (ResponseChange, and the audit log);
nothing is deleted, a response is retracted. Two analysts writing at once lose nothing: rows are locked
while they change, and a second response to the same question from the same cable becomes an edit of the
first (its paragraphs added, its note appended) instead of an error.
"""
from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from cables.models import Cable
from tracker.models import AuditEvent, Post, Question, RequirementSet, Response, ResponseChange, Suggestion


class ResponseError(ValueError):
    """Bad input for a response; `field` names what was wrong."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


ASSESSMENTS = [value for value, _ in Response.ASSESSMENT_CHOICES]
CONFIDENCES = [value for value, _ in Response.CONFIDENCE_CHOICES]
# how strong each value is: logging again never lowers a response's assessment or confidence unasked
RANKS = {"assessment": {Response.CONTEXT: 0, Response.PARTLY: 1, Response.ANSWERS: 2},
         "confidence": {Response.LOW: 0, Response.MEDIUM: 1, Response.HIGH: 2}}
ASSESSED = ("assessment", "confidence")


def state(response: Response) -> dict:
    return {"question": response.question.code, "cable": response.cable.reference_id,
            "paragraphs": list(response.paragraph_numbers), "assessment": response.assessment,
            "confidence": response.confidence, "note": response.note, "retracted": response.retracted,
            "to_review": response.to_review}


def _record(response: Response, user, action: str, before: dict | None, after: dict | None) -> None:
    user = user if user is not None and getattr(user, "is_authenticated", False) else None
    ResponseChange.objects.create(response=response, user=user, action=action, before=before or {}, after=after or {})
    question = response.question
    target = f"{response.cable.reference_id} -> {question.requirement_set.tasking_cable.reference_id} {question.code}"
    AuditEvent.objects.create(action=AuditEvent.REQUIREMENTS, user=user, target=target[:300],
                              details={"action": action, "before": before or {}, "after": after or {}})


def check(user, cable: Cable, questions: list[Question], paragraph_numbers: list[str], assessment: str,
          confidence: str) -> list:
    """Validate a response's parts for this user; returns the cable's paragraphs named. Raises
    ResponseError naming the field."""
    if assessment not in ASSESSMENTS:
        raise ResponseError("assessment", f"'{assessment}' is not an assessment: use one of {', '.join(ASSESSMENTS)}")
    if confidence not in CONFIDENCES:
        raise ResponseError("confidence", f"'{confidence}' is not a confidence: use one of {', '.join(CONFIDENCES)}")
    if not questions:
        raise ResponseError("question", "Choose at least one question")
    visible = {p.number: p for p in cable.paragraphs.visible_to(user).exclude(number=None)}
    unknown = [n for n in paragraph_numbers if n not in visible]
    if unknown:
        raise ResponseError("paragraphs", f"{cable.reference_id} has no paragraph {', '.join(unknown)}")
    for question in questions:  # a cable citing one set may still answer another's: analysts judge that
        if question.retired:
            raise ResponseError("question", f"{question.code} is retired: nothing can be logged against it")
        if question.requirement_set.status != RequirementSet.ACTIVE:
            raise ResponseError("question", f"{question.code} is in “{question.requirement_set.title}”, which is "
                                            "closed: nothing can be logged against it")
        if question.requirement_set.tasking_cable_id == cable.pk:
            raise ResponseError("cable", f"{cable.reference_id} is the tasking cable itself")
    return [visible[n] for n in paragraph_numbers]


def current_responses(cable: Cable | None, questions, user=None) -> dict[int, Response]:
    """The current responses of a cable to these questions (ids or questions), by question id; with a user,
    those that exist for that user (Response.visible_to)."""
    if cable is None:
        return {}
    found = Response.objects.visible_to(user) if user is not None else Response.objects.all()
    return {r.question_id: r for r in found.current().filter(cable=cable, question__in=list(questions))
            .select_related("question__requirement_set", "cable")}


def is_lower(field: str, new: str, current: str) -> bool:
    ranks = RANKS[field]
    return new in ranks and current in ranks and ranks[new] < ranks[current]


def lowering(existing: Response, assessment: str, confidence: str, keep=()) -> dict[str, tuple[str, str]]:
    """What logging these values against an existing response would lower: {field: (now, asked)}. Fields in
    `keep` (the analyst did not choose them) are left alone, so they lower nothing."""
    asked = {"assessment": assessment, "confidence": confidence}
    return {field: (getattr(existing, field), asked[field]) for field in ASSESSED
            if field not in keep and is_lower(field, asked[field], getattr(existing, field))}


def log(user, cable: Cable, questions: list[Question], paragraph_numbers: list[str], assessment: str,
        confidence: str = Response.MEDIUM, note: str = "", suggestion: Suggestion | None = None, *,
        keep=(), downgrade: bool = True) -> list[Response]:
    """One response per question. Where a current response of this cable to that question exists, it is
    updated instead: the paragraphs added, the note appended, the assessment and confidence given taken,
    except the fields named in `keep` (those the analyst left as the form showed them: adding a paragraph
    keeps what the response says) and, with `downgrade=False`, any value lower than the response's (the
    pages lower one only when the analyst says so). A new response takes the values given."""
    paragraph_numbers = list(dict.fromkeys(n.strip() for n in paragraph_numbers if n and n.strip()))
    paragraphs = check(user, cable, questions, paragraph_numbers, assessment, confidence)
    post = Post.for_cable(cable)
    responses = []
    for question in questions:
        for attempt in range(3):  # another analyst may create the same response at the same moment
            try:
                with transaction.atomic():
                    responses.append(_log_one(user, cable, question, paragraphs, paragraph_numbers, assessment,
                                              confidence, note, suggestion, post, set(keep), downgrade))
                break
            except IntegrityError:
                if attempt == 2:
                    raise
    return responses


def _log_one(user, cable, question, paragraphs, numbers, assessment, confidence, note, suggestion, post,
             keep=frozenset(), downgrade=True) -> Response:
    existing = Response.objects.select_for_update().filter(question=question, cable=cable, retracted=False).first()
    if existing is not None and user is not None and not Response.objects.visible_to(user).filter(
            pk=existing.pk).exists():
        # It links paragraphs this user may not read: they may not change it (nor learn what it says).
        raise ResponseError("question", _held_by_others(cable, question))
    if existing is not None:
        before = state(existing)
        existing.paragraph_numbers = list(dict.fromkeys([*existing.paragraph_numbers, *numbers]))
        for field, value in (("assessment", assessment), ("confidence", confidence)):
            if field in keep or (is_lower(field, value, getattr(existing, field)) and not downgrade):
                continue  # adding a paragraph keeps what the response says
            setattr(existing, field, value)
        if note and note not in existing.note:
            existing.note = f"{existing.note}\n{note}".strip()
        existing.save()
        existing.paragraphs.add(*paragraphs)
        _take_up_suggestions(existing, user, numbers, suggestion)
        _record(existing, user, "response updated", before, state(existing))
        return existing
    tasked = question.requirement_set.tasked
    response = Response.objects.create(
        question=question, cable=cable, paragraph_numbers=numbers, assessment=assessment, confidence=confidence,
        note=note, post=post, prior_reporting=bool(tasked and cable.created and cable.created < tasked),
        origin=Response.SUGGESTION if suggestion else Response.MANUAL, suggestion=suggestion,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    response.paragraphs.set(paragraphs)
    _take_up_suggestions(response, user, numbers, suggestion)
    _record(response, user, "response logged", None, state(response))
    return response


def _take_up_suggestions(response: Response, user, numbers, suggestion: Suggestion | None = None) -> None:
    """The open suggestions of paragraphs this response now links to its question are taken up by it: they
    are no longer offered (the suggestion being accepted is decided by `accept`). So is that of the cable's
    unnumbered text, which stands for the whole cable: the cable answers the question now."""
    open_ones = Suggestion.objects.filter(question_id=response.question_id, cable_id=response.cable_id,
                                          paragraph_number__in=[*numbers, ""], state=Suggestion.OPEN)
    if suggestion is not None:
        open_ones = open_ones.exclude(pk=suggestion.pk)
    open_ones.update(state=Suggestion.ACCEPTED, decided=timezone.now(),
                     decided_by=user if getattr(user, "is_authenticated", False) else None)


def edit(response: Response, user, *, assessment: str | None = None, confidence: str | None = None,
         note: str | None = None, paragraph_numbers: list[str] | None = None) -> Response:
    with transaction.atomic():
        response = Response.objects.select_for_update().select_related("question", "cable").get(pk=response.pk)
        if response.retracted:
            raise ResponseError("response", "This response was retracted")
        numbers = response.paragraph_numbers if paragraph_numbers is None else paragraph_numbers
        paragraphs = check(user, response.cable, [response.question], numbers, assessment or response.assessment,
                           confidence or response.confidence)
        before = state(response)
        response.assessment = assessment or response.assessment
        response.confidence = confidence or response.confidence
        response.note = response.note if note is None else note
        response.paragraph_numbers = list(numbers)
        response.save()
        response.paragraphs.set(paragraphs)
        _take_up_suggestions(response, user, numbers)
        if state(response) != before:
            _record(response, user, "response edited", before, state(response))
    return response


def retract(response: Response, user) -> None:
    with transaction.atomic():
        response = Response.objects.select_for_update().select_related("question", "cable").get(pk=response.pk)
        if response.retracted:
            return
        before = state(response)
        response.retracted = True
        response.save(update_fields=["retracted", "updated"])
        _record(response, user, "response retracted", before, state(response))


def why_not_restorable(response: Response, user=None) -> str:
    """Why a retracted response cannot be restored now, as a sentence ("" where it can): its question is
    retired or its set closed (nothing is logged against those), or its cable has another current response
    to the question (only one may count). One the user may not see is named as logging again names it: by
    who may change it, never by what it is."""
    question = response.question
    if question.retired:
        return f"Its question {question.code} is retired: nothing can be logged against it."
    if question.requirement_set.status != RequirementSet.ACTIVE:
        return f"The requirement set “{question.requirement_set.title}” is closed: nothing can be logged against it."
    other = Response.objects.current().filter(question=question, cable=response.cable).exclude(pk=response.pk)
    if user is not None and other.exists() and not Response.objects.visible_to(user).filter(
            pk__in=other.values("pk")).exists():
        return _held_by_others(response.cable, question) + "."
    if other.exists():
        return (f"{response.cable.reference_id} has another current response to {question.code}: "
                "add to that one instead.")
    return ""


def _held_by_others(cable, question) -> str:
    """Why a cable cannot be logged against a question whose current response the user may not see."""
    return (f"{cable.reference_id} is already logged against {question.code} of “{question.requirement_set.title}” "
            "by someone cleared for more of it; ask them to add your paragraphs")


def restore(response: Response, user) -> Response:
    """A retracted response counts again, as it was when retracted; recorded in its history like the other
    changes. Raises ResponseError (saying why) where it cannot be restored; one not retracted is left alone."""
    try:
        with transaction.atomic():
            response = Response.objects.select_for_update().select_related(
                "question__requirement_set__tasking_cable", "cable").get(pk=response.pk)
            if not response.retracted:
                return response
            if why := why_not_restorable(response, user):
                raise ResponseError("response", why)
            before = state(response)
            response.retracted = False
            response.save(update_fields=["retracted", "updated"])
            _record(response, user, "response restored", before, state(response))
    except IntegrityError:  # another current response was logged at the same moment
        raise ResponseError("response", why_not_restorable(response, user) or (
            f"{response.cable.reference_id} has another current response to {response.question.code}")) from None
    return response


def confirm(response: Response, user) -> None:
    """An analyst has looked at a response whose question changed: it stands."""
    with transaction.atomic():
        response = Response.objects.select_for_update().select_related("question", "cable").get(pk=response.pk)
        if not response.to_review:
            return
        before = state(response)
        response.to_review = False
        response.save(update_fields=["to_review", "updated"])
        _record(response, user, "response confirmed", before, state(response))


def flag_for_review(questions) -> int:
    """A question reworded, split or merged: its responses are to review until an analyst confirms them."""
    return Response.objects.filter(question__in=questions, retracted=False).update(to_review=True)


def follow_merge(merged: Question, into: Question, user) -> int:
    """A question merged into another: its current responses now answer that one, so coverage loses none. A
    cable that already answers `into` keeps one response, holding both's paragraphs and notes and the
    stronger assessment and confidence; the merged question's own is retracted. Each change is recorded.
    Returns how many responses moved or were joined."""
    moved = 0
    for response in Response.objects.filter(question=merged, retracted=False).select_related("cable", "question"):
        before = state(response)
        there = (Response.objects.select_for_update().filter(question=into, cable=response.cable_id, retracted=False)
                 .select_related("cable", "question").first())
        if there is None:
            response.question = into
            response.save(update_fields=["question"])
            _record(response, user, "response moved by a merge", before, state(response))
        else:
            kept = state(there)
            there.paragraph_numbers = list(dict.fromkeys([*there.paragraph_numbers, *response.paragraph_numbers]))
            there.paragraphs.add(*response.paragraphs.all())
            for field in ASSESSED:
                if RANKS[field][getattr(response, field)] > RANKS[field][getattr(there, field)]:
                    setattr(there, field, getattr(response, field))
            there.note = "\n\n".join(note for note in (there.note, response.note) if note)
            there.save()
            _record(there, user, "response joined by a merge", kept, state(there))
            response.retracted = True
            response.save(update_fields=["retracted"])
            _record(response, user, "response retracted by a merge", before, state(response))
        moved += 1
    return moved


def accept(suggestion: Suggestion, user, assessment: str = Response.ANSWERS, confidence: str = Response.MEDIUM,
           note: str = "", *, keep=(), downgrade: bool = True) -> Response:
    """The suggestion becomes a response (keeping it as its origin), or, where its cable already answers its
    question, its paragraph is added to that response (`keep` and `downgrade` as for `log`). Only once,
    however many click."""
    with transaction.atomic():
        suggestion = Suggestion.objects.select_for_update().select_related("question__requirement_set", "cable").get(
            pk=suggestion.pk)
        if suggestion.state != Suggestion.OPEN:
            raise ResponseError("suggestion", f"This suggestion was already {suggestion.state}")
        note = note or "Accepted suggestion: " + ", ".join(
            [*suggestion.evidence.get("terms", [])[:5], *suggestion.evidence.get("organisations", [])[:3]])
        response = log(user, suggestion.cable, [suggestion.question], [suggestion.paragraph_number], assessment,
                       confidence, note, suggestion=suggestion, keep=keep, downgrade=downgrade)[0]
        _decide(suggestion, user, Suggestion.ACCEPTED)
    return response


def reject(suggestion: Suggestion, user, note: str = "") -> None:
    """Never suggest the pair again; `note` says why, for whoever reads the rejected ones."""
    with transaction.atomic():
        suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
        if suggestion.state != Suggestion.OPEN:
            raise ResponseError("suggestion", f"This suggestion was already {suggestion.state}")
        _decide(suggestion, user, Suggestion.REJECTED, note.strip())


def restore_suggestion(suggestion: Suggestion, user) -> str:
    """A rejected suggestion open again (a rejection made by mistake), or, where a current response has linked
    its paragraph to the question since, taken up by it as accepted: nothing would be left to accept. Returns
    the state it is in. An accepted one is a response: that is retracted, not restored."""
    with transaction.atomic():
        suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
        if suggestion.state != Suggestion.REJECTED:
            raise ResponseError("suggestion", f"Only a rejected suggestion can be restored: this one is "
                                              f"{suggestion.state}")
        # Judged by the responses the user may see: one they may not see is not named, not even as a state.
        linked = Response.objects.visible_to(user).current().filter(
            question_id=suggestion.question_id, cable_id=suggestion.cable_id,
            paragraphs__number=suggestion.paragraph_number).exists()
        _decide(suggestion, user, Suggestion.ACCEPTED if linked else Suggestion.OPEN,
                reopened=True)
    return suggestion.state


def _decide(suggestion: Suggestion, user, new_state: str, note: str = "", reopened: bool = False) -> None:
    """The suggestion's new state, and an audit entry saying so; a rejection's reason goes in the entry too,
    so a restore, which clears it from the suggestion, loses nothing (the audit log is for those who see every
    paragraph)."""
    by = user if getattr(user, "is_authenticated", False) else None
    was = suggestion.decision_note
    suggestion.state, suggestion.decision_note = new_state, note
    open_again = new_state == Suggestion.OPEN
    suggestion.decided_by, suggestion.decided = (None, None) if open_again else (by, timezone.now())
    suggestion.save(update_fields=["state", "decided_by", "decided", "decision_note"])
    details = {"action": "suggestion restored" if reopened else f"suggestion {new_state}",
               "question": suggestion.question_id, "cable": suggestion.cable_id,
               "paragraph": suggestion.paragraph_number}
    if reopened and new_state != Suggestion.OPEN:
        details["now"] = new_state
    if note or (reopened and was):
        details["reason" if note else "reason rejected"] = note or was
    AuditEvent.objects.create(action=AuditEvent.REQUIREMENTS, user=by, target=f"suggestion {suggestion.pk}",
                              details=details)
