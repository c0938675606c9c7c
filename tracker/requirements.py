"""Requirement sets: made from a tasking cable by the extractor, corrected by analysts, re-extracted.

Every write goes through here, so every change is recorded (RequirementChange, and the audit log) with
who, when, before and after. Re-extraction updates only what no analyst has touched; where an analyst
has, it files a Proposal beside their edit and changes nothing until someone accepts it.
"""
from __future__ import annotations

import os
import re
from contextlib import closing

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from cables.importing import parse_source
from cables.markings import canonical_marking, highest, marking_access, may_see, stored_access, unread_marking_access
from cables.models import Cable, Paragraph
from cables.parsing import ParsedCable
from tracker import linking
from tracker.extraction import Extraction, NoQuestions, QuestionDraft, SectionDraft, extract, split_sentences
from tracker.models import AuditEvent, Post, Proposal, Question, RequirementChange, RequirementSet, Section
from tracker.responses import flag_for_review, follow_merge


class RequirementError(ValueError):
    """An edit or extraction that cannot be done; the message says why, in the analyst's terms. `field`: the
    field at fault where there is one ("code", "marking", "text", "section"), for the API to key it by."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


# ----------------------------------------------------------------------------- history


def record(requirement_set: RequirementSet, user, action: str, *, question: Question | None = None,
           section: Section | None = None, before: dict | None = None, after: dict | None = None) -> RequirementChange:
    """One change, in the set's history and in the audit log."""
    change = RequirementChange.objects.create(
        requirement_set=requirement_set, question=question, section=section, user=_user(user), action=action,
        before=before or {}, after=after or {},
    )
    target = requirement_set.tasking_cable.reference_id + (f" {question.code}" if question else "")
    AuditEvent.objects.create(action=AuditEvent.REQUIREMENTS, user=_user(user), target=target[:300],
                              details={"action": action, "before": before or {}, "after": after or {}})
    return change


def _user(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def markings_in(state) -> set[str]:
    """Every marking a change's saved state holds (question_state, and the states nested in a merge, a
    split or a proposal), however deep."""
    found: set[str] = set()
    if isinstance(state, dict):
        for key, value in state.items():
            if key == "marking" and isinstance(value, str):
                found.add(value)
            else:
                found |= markings_in(value)
    elif isinstance(state, list):
        for value in state:
            found |= markings_in(value)
    return found


def change_visible_to(change: RequirementChange, user) -> bool:
    """A history entry is shown only to a user who may see every marking saved in it, before and after:
    the question's marking today may be lower than when the entry was written."""
    return all(may_see(user, marking) for marking in markings_in(change.before) | markings_in(change.after))


def visible_history(requirement_set: RequirementSet, user, limit: int = 100) -> list[RequirementChange]:
    """The latest `limit` entries of a set's history that the user may see (RequirementChange.visible_to,
    then the markings saved in each entry). One query."""
    shown = []
    with closing(requirement_set.changes.visible_to(user).select_related("user", "question")
                 .iterator(chunk_size=limit)) as entries:
        for change in entries:
            if change_visible_to(change, user):
                shown.append(change)
                if len(shown) == limit:
                    break
    return shown


def describe(change: RequirementChange, limit: int = 160) -> list[str]:
    """A history entry as lines a reader can follow: a split, a merge and a move told in words (which
    question kept what, which section a question moved into), anything else field by field."""
    before = change.before if isinstance(change.before, dict) else {}
    after = change.after if isinstance(change.after, dict) else {}
    if change.action == "question split" and isinstance(after.get("kept"), dict):
        return _describe_split(after, limit)
    if change.action == "questions merged" and isinstance(after.get("into"), dict):
        return _describe_merge(before, after, limit)
    if change.action.startswith("question moved"):
        return _describe_move(before, after, change.action)
    return describe_change(before, after, limit)


def _describe_split(after: dict, limit: int) -> list[str]:
    kept, new = after["kept"], after.get("new") or {}
    kept_count, new_count = len(kept.get("sentences") or []), len(new.get("sentences") or [])
    total = kept_count + new_count
    return [f"{kept.get('code')}: keeps {sentence_span(1, kept_count)} of {total}: "
            f"{_cut(_text(kept.get('text')), limit)}",
            f"{new.get('code')}: new, from {sentence_span(kept_count + 1, total)}: "
            f"{_cut(_text(new.get('text')), limit)}"]


def _describe_merge(before: dict, after: dict, limit: int) -> list[str]:
    into_before, into = before.get("into") or {}, after["into"]
    merged = after.get("merged") or before.get("merged") or {}
    had, added = len(into_before.get("sentences") or []), len(merged.get("sentences") or [])
    lines = [f"{merged.get('code')}: merged into {into.get('code')} and retired",
             f"{into.get('code')}: takes {merged.get('code')}'s text as its {sentence_span(had + 1, had + added)}: "
             f"{_cut(_text(merged.get('text')), limit)}"]
    if into_before.get("marking") and into_before.get("marking") != into.get("marking"):
        lines.append(f"{into.get('code')}: marking {into_before['marking']} → {into.get('marking')}, the stricter "
                     "of the two")
    return lines


def _describe_move(before: dict, after: dict, action: str) -> list[str]:
    """A move in words, without places: a place counts the questions around it, some of which a reader of
    the history may not be cleared to know of."""
    direction = "up" if action.endswith("up") else "down"
    if "order" in after or "section" not in after:  # as moves were first recorded: every code of the set
        return [f"moved {direction} in the set"]
    old_section, new_section = before.get("section", ""), after.get("section", "")
    if old_section == new_section:
        return [f"moved {direction} {_in_section(new_section)}"]
    return [f"moved out of {_section_called(old_section)} into {_section_called(new_section)}, as its "
            f"{'last' if direction == 'up' else 'first'} question"]


def sentence_span(first: int, last: int) -> str:
    """"sentence 2", "sentences 2–4"."""
    return f"sentence {first}" if first >= last else f"sentences {first}–{last}"


def _in_section(name: str) -> str:
    return f"in {_section_called(name)}" if name else "outside any section"


def _section_called(name: str) -> str:
    """A section as a sentence names it, from its _section_name: "section B", "section “FOR HAVANA”"."""
    if not name:
        return "no section"
    if name == _UNNAMED:
        return "the unnamed section"
    return f"section {name}" if len(name) <= 8 and " " not in name else f"section “{name}”"


def section_called(section: Section | None) -> str:
    """"section B", "section “FOR HAVANA”", "the unnamed section": for messages."""
    return _section_called(_section_name(section)) if section is not None else "no section"


def describe_change(before, after, limit: int = 160) -> list[str]:
    """A change's before and after as lines a reader can follow: "field: old → new" for what changed,
    "field: value" for what was set from nothing (a response logged, a question added); nested states (a
    proposal's) prefixed by their part: "proposed · text: ..."."""
    before = before if isinstance(before, dict) else {}
    after = after if isinstance(after, dict) else {}
    lines: list[str] = []
    for key in [*before, *(k for k in after if k not in before)]:
        old, new = before.get(key, _MISSING), after.get(key, _MISSING)
        if old == new:
            continue
        label = str(key).replace("_", " ")
        if isinstance(old, dict) or isinstance(new, dict):
            nested = describe_change(old if isinstance(old, dict) else {}, new if isinstance(new, dict) else {}, limit)
            lines.extend(f"{label} · {line}" for line in nested)
        elif old is _MISSING:
            if new not in (None, "", [], False):  # set from nothing: what it holds, not every empty field
                lines.append(f"{label}: {_shown(new, limit)}")
        elif new is _MISSING:
            lines.append(f"{label}: {_shown(old, limit)} → (none)")
        else:
            lines.append(f"{label}: {_shown_pair(old, new, limit)}")
    return lines


_MISSING = object()


def _shown(value, limit: int) -> str:
    return _cut(_text(value), limit)


def _text(value) -> str:
    if value is None or value == "" or value == []:
        text = "(none)"
    elif isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, (list, tuple)):
        text = ", ".join(str(v) for v in value)
    else:
        text = str(value)
    return " ".join(text.split())


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _shown_pair(old, new, limit: int) -> str:
    """"old → new"; two long values that start alike are shown from a few words before they differ, so
    that a change past the first `limit` characters is not cut off on both sides."""
    old_text, new_text = _text(old), _text(new)
    same = len(os.path.commonprefix([old_text, new_text]))
    if max(len(old_text), len(new_text)) > limit and same > 40:
        start = old_text.rfind(" ", 0, same - 30) + 1
        if start > 0:
            old_text, new_text = "…" + old_text[start:], "…" + new_text[start:]
    return f"{_cut(old_text, limit)} → {_cut(new_text, limit)}"


def proposal_visible_to(proposal: Proposal, user) -> bool:
    """markings.may_see on the proposal's marking and on its question's current one (Proposal.visible_to)."""
    question = proposal.question
    return may_see(user, proposal.marking) and (question is None or may_see(user, question.marking))


def question_state(question: Question) -> dict:
    return {
        "code": question.code,
        "marking": question.marking,
        "text": question.text,
        "sentences": list(question.sentences),
        "section": _section_name(question.section) if question.section_id else "",
        "retired": question.retired,
    }


def _section_name(section: Section) -> str:
    """Its letter; a section without one by its audience (unless marked apart from its cable: the history of
    a question names it to readers of the question), so that leaving it shows in the history."""
    if section.letter or section.marking:
        return section.letter or _UNNAMED
    return " ".join(section.audience.split())[:40] or _UNNAMED


_UNNAMED = "(unnamed section)"


def section_state(section: Section) -> dict:
    state = {"letter": section.letter, "audience": section.audience,
             "posts": sorted(p.name for p in section.posts.all())}
    return {**state, "marking": section.marking} if section.marking else state  # read by change_visible_to


# ----------------------------------------------------------------------------- extraction


def parsed_cable(cable: Cable) -> ParsedCable:
    """The cable parsed again from its fullest stored source, as the extractor needs its paragraphs."""
    source = cable.sources.order_by("-fullness", "-imported").first()
    if source is None:
        raise RequirementError(f"{cable.reference_id} has no stored source to extract from")
    return parse_source(source.raw, source.form)


def wording(text: str) -> str:
    """A question's words alone: "What do they say?" and "what do  they say" read alike."""
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


def repeated_questions(questions) -> list[list[str]]:
    """The codes of current questions that ask in the same words (case, spacing and punctuation aside), group
    by group: a tasking cable that lists a question twice, or an analyst's copy. Only among the questions
    given, so a page names only those its reader may see."""
    groups: dict[str, list[str]] = {}
    for question in questions:
        if not question.retired and (words := wording(question.text)):
            groups.setdefault(words, []).append(question.code)
    return [codes for codes in groups.values() if len(codes) > 1]


def create_set(cable: Cable, user=None) -> RequirementSet:
    """The requirement set of a tasking cable, extracted. Raises RequirementError when the cable holds no
    questions or already has its set; nothing is created then."""
    if RequirementSet.objects.filter(tasking_cable=cable).exists():
        raise RequirementError(f"{cable.reference_id} already has its requirement set")
    try:
        extraction = extract(parsed_cable(cable))
    except NoQuestions as error:
        raise RequirementError(str(error)) from error
    with transaction.atomic():
        requirement_set = RequirementSet.objects.create(
            tasking_cable=cable, title=extraction.title[:300] or cable.subject[:300] or cable.reference_id,
            collection_reference=extraction.collection_reference, tasked=extraction.tasked or cable.created,
            issuer=extraction.issuer[:120], classifier=extraction.classifier[:300], created_by=_user(user),
            owner=_user(user),
        )
        requirement_set.addressed_posts.set(Post.for_addressees(extraction.addressed))
        paragraphs = _paragraphs_by_number(cable)
        accesses = _paragraph_accesses(cable)
        order = 0
        for position, draft_section in enumerate(extraction.sections):
            section = Section.objects.create(requirement_set=requirement_set, letter=draft_section.letter,
                                             audience=draft_section.audience, order=position,
                                             marking=heading_marking(draft_section, accesses, cable))
            section.posts.set(Post.for_addressees(draft_section.posts))
            for draft in draft_section.questions:
                order += 1
                _create_question(requirement_set, section, draft, order, paragraphs, cable)
        record(requirement_set, user, "extracted",
               after={"sections": len(extraction.sections), "questions": len(extraction.questions)})
        waiting = linking.attach_waiting(requirement_set)
        _rank_later(cable_ids=waiting, question_ids=list(requirement_set.questions.values_list("pk", flat=True)))
    requirement_set.extraction_notes = extraction.notes  # what the analyst should check in the draft
    return requirement_set


def _rank_later(cable_ids=(), question_ids=()) -> None:
    """Queue the ranking, once this transaction commits: cited cables against the open questions, the
    store against new or reworded questions."""
    from tracker.tasks import suggest_for_cables, suggest_for_questions

    if cable_ids:
        suggest_for_cables.delay_on_commit(list(cable_ids))
    if question_ids:
        suggest_for_questions.delay_on_commit(list(question_ids))


def question_marking(draft: QuestionDraft, cable: Cable) -> str:
    """A drafted question's marking: the extraction's, else its cable's classification; raised where its text
    opens with a marking too garbled to read that still names a level or NOFORN ("(C//NF//X1) What ...?"), as
    the importer raises such a paragraph (markings.unread_marking_access)."""
    marking = draft.marking or cable.classification
    unread = unread_marking_access(draft.text)
    if unread is None:
        return marking
    level, noforn = marking_access(marking)
    raised = (max(level, unread[0]), noforn or unread[1])
    return marking if raised == (level, noforn) else stored_access(*raised)


def _paragraph_accesses(cable: Cable) -> list[tuple[str, str, str, tuple[int, bool]]]:
    """(number, heading, text, stored access) of each of the cable's paragraphs, in order."""
    return [(number or "", heading, text, (level, noforn)) for number, heading, text, level, noforn in
            cable.paragraphs.order_by("position").values_list("number", "heading", "text", "level", "noforn")]


def heading_marking(draft: SectionDraft, paragraphs, cable: Cable) -> str:
    """The marking a section's audience is read at, where stricter than its tasking cable's classification
    (else "": the cable's). The audience's words stand in the paragraphs (text or heading) that hold them;
    shown wherever the least restricted of those is, they are as classified as it. Words the extraction
    rewrote beyond finding take the least restricted paragraph of the section's questions: they head them."""
    words = " ".join(re.sub(r"[\W_]+", " ", draft.audience.casefold()).split())
    if not words:
        return ""

    def said(text: str) -> str:
        return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())

    found = [access for _, heading, text, access in paragraphs  # whole words: "Iran" is not in "Iranian"
             if f" {words} " in f" {said(heading)} " or f" {words} " in f" {said(text)} "]
    if not found:
        numbers = {question.paragraph for question in draft.questions}
        found = [access for number, _, _, access in paragraphs if number in numbers]
    if not found:
        return ""
    least = min(found)
    cable_access = marking_access(cable.classification)
    if least[0] <= cable_access[0] and (cable_access[1] or not least[1]):
        return ""
    return stored_access(*least)


def _paragraphs_by_number(cable: Cable) -> dict[str, Paragraph]:
    return {p.number: p for p in cable.paragraphs.exclude(number=None).only("id", "number", "cable_id")}


def _draft_state(draft: QuestionDraft) -> dict:
    return {"code": draft.code, "marking": draft.marking, "text": draft.text, "sentences": list(draft.sentences)}


def _create_question(requirement_set, section, draft: QuestionDraft, order: int, paragraphs, cable) -> Question:
    question = Question.objects.create(
        requirement_set=requirement_set, section=section, code=draft.code[:20],
        marking=question_marking(draft, cable), text=draft.text, sentences=list(draft.sentences),
        audience=draft.audience, paragraph=paragraphs.get(draft.paragraph), paragraph_number=draft.paragraph[:20],
        order=order, extracted=_draft_state(draft),
    )
    posts = Post.for_addressees(draft.posts)
    question.posts.set(posts)
    if section is not None and section.marking and posts and {p.pk for p in posts} <= set(
            section.posts.values_list("pk", flat=True)):  # its section's, read from a heading marked apart
        question.posts_marking = section.marking
        question.save(update_fields=["posts_marking"])
    return question


def reextract(requirement_set: RequirementSet, user=None) -> dict[str, int]:
    """Run the extractor again (after a parser fix, say). Questions no analyst has touched take the new
    extraction; for the others, and for questions the extractor no longer finds, a Proposal is filed.
    Returns counts: updated, added, proposed, unchanged, of the questions the user may see (whose markings,
    before and after, they are cleared for); what befell the others is counted once, as withheld."""
    cable = requirement_set.tasking_cable
    try:
        extraction: Extraction = extract(parsed_cable(cable))
    except NoQuestions as error:
        raise RequirementError(str(error)) from error
    counts = {"updated": 0, "added": 0, "proposed": 0, "unchanged": 0, "withheld": 0}
    every = {"updated": 0, "added": 0, "proposed": 0, "unchanged": 0}  # what befell all of them, for the history
    touched: list[str] = []  # the markings of the questions it updated, added or proposed for

    def tally(outcome: str, *marks: str) -> None:
        seen_by_user = _user(user) is None or all(may_see(user, mark) for mark in marks)
        counts[outcome if seen_by_user else "withheld"] += 1
        every[outcome] += 1
        if outcome != "unchanged":
            touched.extend(marks)

    with transaction.atomic():
        questions = {q.code: q for q in requirement_set.questions.select_related("section")}
        by_paragraph = {q.paragraph_number: q for q in questions.values() if q.paragraph_number}
        sections = {s.letter: s for s in requirement_set.sections.all()}
        # what was proposed before and is waiting, or was dismissed: not proposed again
        pending = {(p.kind, p.code, _key(p.proposed)) for p in requirement_set.proposals.filter(
            state__in=[Proposal.PENDING, Proposal.DISMISSED])}
        paragraphs = _paragraphs_by_number(cable)
        accesses = _paragraph_accesses(cable)
        for draft_section in extraction.sections:  # a section made before headings were marked takes its marking
            section = sections.get(draft_section.letter)
            if section is not None and section.audience == draft_section.audience and (
                    marking := heading_marking(draft_section, accesses, cable)) != section.marking:
                section.marking = marking
                section.save(update_fields=["marking"])
        seen: set[int] = set()
        order = requirement_set.questions.aggregate(m=Max("order"))["m"] or 0
        for draft_section in extraction.sections:
            for draft in draft_section.questions:
                state = _draft_state(draft) | {"section": draft_section.letter}
                question = questions.get(draft.code) or by_paragraph.get(draft.paragraph)
                if question is None:
                    section = sections.get(draft_section.letter)
                    if section is None:
                        section = Section.objects.create(
                            requirement_set=requirement_set, letter=draft_section.letter,
                            audience=draft_section.audience, order=len(sections),
                            marking=heading_marking(draft_section, accesses, cable))
                        section.posts.set(Post.for_addressees(draft_section.posts))
                        sections[section.letter] = section
                        record(requirement_set, user, "section added by re-extraction", section=section,
                               after=section_state(section))
                    order += 1
                    added = _create_question(requirement_set, section, draft, order, paragraphs, cable)
                    record(requirement_set, user, "question added by re-extraction", question=added,
                           after=question_state(added))
                    tally("added", added.marking)
                    continue
                seen.add(question.pk)
                extracted_before = {k: question.extracted.get(k) for k in ("code", "marking", "text", "sentences")}
                if extracted_before == _draft_state(draft):
                    tally("unchanged", question.marking)
                    continue
                if question.edited or question.retired:
                    if (Proposal.CHANGE, question.code, _key(state)) not in pending:
                        Proposal.objects.create(requirement_set=requirement_set, question=question,
                                                kind=Proposal.CHANGE, code=question.code,
                                                marking=question_marking(draft, cable), proposed=state)
                        tally("proposed", question.marking, question_marking(draft, cable))
                    continue
                before = question_state(question)
                question.marking = question_marking(draft, cable)
                question.text, question.sentences = draft.text, list(draft.sentences)
                question.extracted = _draft_state(draft)
                question.paragraph = paragraphs.get(draft.paragraph) or question.paragraph
                question.save()
                record(requirement_set, user, "re-extracted", question=question, before=before,
                       after=question_state(question))
                tally("updated", before["marking"], question.marking)
        for question in questions.values():
            if question.pk in seen or question.retired or question.origin != Question.EXTRACTED:
                continue
            if (Proposal.RETIRE, question.code, _key({})) not in pending:
                Proposal.objects.create(requirement_set=requirement_set, question=question, kind=Proposal.RETIRE,
                                        code=question.code, marking=question.marking, proposed={})
                tally("proposed", question.marking)
        # the run's entry tells of every question it touched: shown only to readers of all of them
        record(requirement_set, user, "re-extraction run",
               after={**every, **({"marking": highest(touched)} if touched else {})})
    return counts


def _key(state: dict) -> str:
    return repr(sorted(state.items()))


def decide(proposal: Proposal, user, accept: bool) -> None:
    """Accept a proposal (its values replace the question's, recorded as the user's change) or dismiss it."""
    if _user(user) is not None and not proposal_visible_to(proposal, user):
        raise RequirementError("This proposal is beyond your clearance")
    if proposal.state != Proposal.PENDING:
        raise RequirementError(f"This proposal for {proposal.code} was already {proposal.state}")
    with transaction.atomic():
        question = proposal.question
        if accept and question is not None:
            before = question_state(question)
            if proposal.kind == Proposal.RETIRE:
                question.retired = True
            else:
                proposed = proposal.proposed
                question.marking = proposed.get("marking") or question.marking
                question.text = proposed.get("text", question.text)
                question.sentences = proposed.get("sentences", question.sentences)
                question.extracted = {k: proposed.get(k) for k in ("code", "marking", "text", "sentences")}
            question.save()
            record(proposal.requirement_set, user, f"proposal accepted ({proposal.kind})", question=question,
                   before=before, after=question_state(question))
            if proposal.kind != Proposal.RETIRE and (question.text, question.sentences) != (
                    before.get("text"), before.get("sentences")):  # reworded, as an analyst's edit would
                flag_for_review([question])
                _rank_later(question_ids=[question.pk])
        else:
            record(proposal.requirement_set, user, f"proposal dismissed ({proposal.kind})", question=question,
                   before={}, after={"code": proposal.code, "proposed": proposal.proposed})
        proposal.state = Proposal.ACCEPTED if accept else Proposal.DISMISSED
        proposal.decided_by, proposal.decided = _user(user), timezone.now()
        proposal.save(update_fields=["state", "decided_by", "decided"])


# ----------------------------------------------------------------------------- analysts' edits


def clean_marking(text: str) -> str:
    marking = canonical_marking((text or "").strip().strip("()"))
    if not marking:
        raise RequirementError(f"'{text}' is not a marking: write it as U, C, S//NF, C//NF, TS ...", "marking")
    return marking


def sentences_of(text: str) -> list[str]:
    """Sentences as an analyst typed them, one per line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def may_own(candidate, requirement_set: RequirementSet) -> bool:
    """Whether a user may follow a set: active, allowed to edit sets, and cleared for its tasking cable."""
    return (candidate.is_active and candidate.has_perm("tracker.change_requirementset")
            and may_see(candidate, requirement_set.tasking_cable.classification))


def not_an_owner(username: str) -> str:
    """Why a user may not follow a set: the same words whether the user exists or not."""
    return f"{username} may not follow this set: only an active analyst cleared for its tasking cable may"


def owners_for(requirement_set: RequirementSet) -> set[int]:
    """The ids of the users who may follow the set (may_own): one query, whatever their number."""
    editing = Permission.objects.filter(codename="change_requirementset", content_type__app_label="tracker")
    user_model = get_user_model()
    # Subqueries, not joins: joined, the planner expects users x groups x permissions rows, and on PostgreSQL
    # that estimate alone crosses the JIT threshold (0.8 s compiling a query that reads a handful of rows).
    by_group = user_model.groups.through.objects.filter(group__permissions__in=editing).values("user_id")
    by_grant = user_model.user_permissions.through.objects.filter(permission__in=editing).values("user_id")
    users = user_model.objects.filter(Q(is_superuser=True) | Q(pk__in=by_group) | Q(pk__in=by_grant),
                                      is_active=True).select_related("clearance")
    return {user.pk for user in users if may_see(user, requirement_set.tasking_cable.classification)}


def edit_set(requirement_set: RequirementSet, user, **fields) -> None:
    """Title, status, priority, due date, owner (one who may_own it)."""
    owner = fields.get("owner")
    if owner is not None and owner.pk != requirement_set.owner_id and not may_own(owner, requirement_set):
        raise RequirementError(not_an_owner(owner.get_username()))  # one kept as it was is not handed over
    before = {k: _plain(getattr(requirement_set, k)) for k in fields}
    for name, value in fields.items():
        setattr(requirement_set, name, value)
    after = {k: _plain(getattr(requirement_set, k)) for k in fields}
    if before == after:
        return
    requirement_set.save()
    record(requirement_set, user, "set edited", before=before, after=after)
    if before.get("status", RequirementSet.ACTIVE) != RequirementSet.ACTIVE == after.get("status"):
        # reopened: what came in while it was closed was ranked against no question of it
        _rank_later(question_ids=list(requirement_set.questions.filter(retired=False).values_list("pk", flat=True)))


def _plain(value):
    if hasattr(value, "get_username"):  # the owner, by name
        return value.get_username()
    return value.isoformat() if hasattr(value, "isoformat") else value


UNCHANGED = object()


def edit_question(question: Question, user, *, text: str | None = None, marking: str | None = None,
                  sentences: list[str] | None = None, code: str | None = None, section=UNCHANGED) -> None:
    """Change what is given; `section=None` takes the question out of its section. A question given another
    section (or none) goes to the end of it."""
    before, section_before = question_state(question), question.section_id
    text_before, sentences_before = question.text, list(question.sentences)
    if code is not None:
        code = code.strip()
        if not code:
            raise RequirementError("A question needs a code, such as A.1", "code")
        if code != question.code and (taken := code_taken(question.requirement_set, code, user)):
            raise RequirementError(taken, "code")
        question.code = code
    if text is not None:
        if not text.strip():
            raise RequirementError("A question needs its text", "text")
        question.text = text.strip()
    if marking is not None:
        question.marking = clean_marking(marking)
        _within_clearance(user, question.marking)
    if sentences is not None:
        question.sentences = sentences
    if question.text != text_before and (sentences is None or list(sentences) == sentences_before):
        question.sentences = list(split_sentences(question.text))  # reworded, sentences left alone: split anew
    if section is not UNCHANGED:
        if section is not None and section.requirement_set_id != question.requirement_set_id:
            raise RequirementError("Choose a section of this set")
        question.section = section
    if question_state(question) == before and question.section_id == section_before:
        return
    question.edited = True
    with transaction.atomic():
        question.save()
        if question.section_id != section_before:  # it goes to the end of its new section
            groups = _page_order(question.requirement_set)
            members = next(members for section, members in groups
                           if (section.pk if section else None) == question.section_id)
            moved = next(q for q in members if q.pk == question.pk)
            members.remove(moved)
            members.append(moved)
            _renumber(groups)
            question.order = moved.order
        record(question.requirement_set, user, "question edited", question=question, before=before,
               after=question_state(question))
    if (question.text, question.sentences) != (before["text"], before["sentences"]):
        flag_for_review([question])  # its responses answered the old wording
        _rank_later(question_ids=[question.pk])


def add_question(requirement_set: RequirementSet, user, *, section: Section | None, text: str, marking: str,
                 code: str = "", sentences: list[str] | None = None) -> Question:
    if not text.strip():
        raise RequirementError("A question needs its text")
    marking = clean_marking(marking)
    _within_clearance(user, marking)
    code = code.strip() or next_code(requirement_set, section)
    if taken := code_taken(requirement_set, code, user):
        raise RequirementError(taken)
    order = (requirement_set.questions.filter(section=section).aggregate(m=Max("order"))["m"]
             or requirement_set.questions.aggregate(m=Max("order"))["m"] or 0)
    with transaction.atomic():
        requirement_set.questions.filter(order__gt=order).update(order=F("order") + 1)
        question = Question.objects.create(
            requirement_set=requirement_set, section=section, code=code, marking=marking, text=text.strip(),
            sentences=sentences or [text.strip()], order=order + 1, origin=Question.ANALYST, edited=True,
        )
        record(requirement_set, user, "question added", question=question, after=question_state(question))
        _rank_later(question_ids=[question.pk])
    return question




def _within_clearance(user, marking: str) -> None:
    """A user may not mark a question above their own clearance: they would lose it from sight at once."""
    if _user(user) is not None and not may_see(user, marking):
        raise RequirementError(f"{marking} is above your clearance: a question you mark so would be withheld from "
                               "you. Choose a marking you are cleared for, or ask someone cleared for it.", "marking")


def code_taken(requirement_set: RequirementSet, code: str, user, exclude: Question | None = None) -> str:
    """Why `code` cannot be given to a question of the set, or "" when it can. A code held by a question the
    user may not see is refused without saying that a question holds it."""
    holders = requirement_set.questions.filter(code=code)
    if exclude is not None:
        holders = holders.exclude(pk=exclude.pk)
    if not holders.exists():
        return ""
    if _user(user) is None or Question.objects.visible_to(user).filter(pk__in=holders).exists():
        return f"{code} is already a question of this set"
    return f"{code} cannot be used in this set: choose another code, or leave it empty for the next free one"


def next_code(requirement_set: RequirementSet, section: Section | None) -> str:
    """The next free code in a section: A.5 after A.4."""
    prefix = f"{section.letter}." if section and section.letter else ""
    numbers = [int(m.group(1)) for code in requirement_set.questions.values_list("code", flat=True)
               if (m := re.fullmatch(re.escape(prefix) + r"(\d+)", code))]
    return f"{prefix}{max(numbers, default=0) + 1}"


def _free_code(requirement_set: RequirementSet, base: str) -> str:
    taken = set(requirement_set.questions.values_list("code", flat=True))
    for suffix in "bcdefghijklmnopqrstuvwxyz":
        if f"{base}{suffix}" not in taken:
            return f"{base}{suffix}"
    raise RequirementError(f"No free code after {base}")


def split_question(question: Question, user, at: int) -> Question:
    """Split a question before its sentence number `at` (1-based): the sentences from there on become a
    new question, coded after it (A.1 -> A.1b), placed right after it."""
    sentences = list(question.sentences)
    if not 1 <= at < len(sentences):
        where = "2" if len(sentences) == 2 else f"2 to {len(sentences)}"
        raise RequirementError(f"{question.code} has {len(sentences)} sentences: split before sentence {where}"
                               if len(sentences) > 1 else f"{question.code} has one sentence: nothing to split")
    requirement_set = question.requirement_set
    with transaction.atomic():
        before = question_state(question)
        head, tail = sentences[:at], sentences[at:]
        lead = _lead(question.text, sentences[0])  # "FOR HAVANA: ", a topic: both halves keep it
        question.sentences, question.text, question.edited = head, lead + " ".join(head), True
        question.save()
        requirement_set.questions.filter(order__gt=question.order).update(order=F("order") + 1)
        new = Question.objects.create(
            requirement_set=requirement_set, section=question.section, code=_free_code(requirement_set, question.code),
            marking=question.marking, text=lead + " ".join(tail), sentences=tail, audience=question.audience,
            paragraph=question.paragraph, paragraph_number=question.paragraph_number, order=question.order + 1,
            origin=Question.ANALYST, edited=True, posts_marking=question.posts_marking,
        )
        new.posts.set(question.posts.all())
        record(requirement_set, user, "question split", question=question, before=before,
               after={"kept": question_state(question), "new": question_state(new)})
        flag_for_review([question])
        _rank_later(question_ids=[question.pk, new.pk])
    return new


def _lead(text: str, first_sentence: str) -> str:
    """What a question's text says before its first sentence: an audience ("FOR HAVANA: ") or a topic
    ("Iran (FPOL-1). -- "), which its sentences leave out."""
    at = text.find(first_sentence) if first_sentence else -1
    return text[:at] if at > 0 else ""


def merge_questions(question: Question, into: Question, user) -> None:
    """Merge `question` into `into`: its text and sentences are appended there, and it is retired (kept,
    with the history saying where it went). The stricter marking of the two wins."""
    if question.pk == into.pk or question.requirement_set_id != into.requirement_set_id:
        raise RequirementError("Merge a question into another question of the same set")
    if question.retired or into.retired:
        raise RequirementError("Restore a retired question before merging it")
    with transaction.atomic():
        before_into, before_question = question_state(into), question_state(question)
        into.text = f"{into.text} {question.text}".strip()
        into.sentences = list(into.sentences) + list(question.sentences)
        level, noforn = max(into.level, question.level), into.noforn or question.noforn
        if (level, noforn) != (into.level, into.noforn):
            into.marking = ("U", "C", "S", "TS")[level] + ("//NF" if noforn else "")
        into.edited = True
        into.save()
        question.retired, question.edited = True, True
        question.save()
        follow_merge(question, into, user)  # its responses answer `into` now
        record(into.requirement_set, user, "questions merged", question=into,
               before={"into": before_into, "merged": before_question},
               after={"into": question_state(into), "merged": question_state(question)})
        flag_for_review([into, question])
        _rank_later(question_ids=[into.pk])


def move_question(question: Question, user, direction: str) -> Section | None:
    """Move a question one place up or down its set's page, past the next question in its section that the
    user may see. From the top or bottom of its section it moves into the section above (as its last
    question) or below (as its first), and that section is returned; None when it stays in its own. It
    never leaves every section, nor enters one from outside them: the edit page's section field does that,
    and the error says so, as it says when the question is already the first or last of the set."""
    if direction not in ("up", "down"):
        raise RequirementError(f"{question.code} can move up or down, nothing else.")
    requirement_set = question.requirement_set
    with transaction.atomic():
        groups = _page_order(requirement_set)
        shown = Question.objects.visible_to(user) if _user(user) is not None else Question.objects.all()
        shown = set(shown.filter(requirement_set=requirement_set).values_list("pk", flat=True))
        index, at = next((i, j) for i, (_, members) in enumerate(groups) for j, q in enumerate(members)
                         if q.pk == question.pk)
        section, members = groups[index]
        before = {"section": _section_name(section) if section else ""}
        places = range(at - 1, -1, -1) if direction == "up" else range(at + 1, len(members))
        neighbour = next((j for j in places if members[j].pk in shown), None)
        into = None
        if neighbour is not None:
            members.insert(neighbour, members.pop(at))
        else:
            into, target = _next_section(groups, index, question, direction, shown)
            moving = members.pop(at)
            if direction == "up":
                target.append(moving)
            else:
                target.insert(0, moving)
        _renumber(groups)
        if into is not None:
            question.section, question.edited = into, True
            Question.objects.filter(pk=question.pk).update(edited=True)
        now = into or section
        record(requirement_set, user, f"question moved {direction}", question=question, before=before,
               after={"section": _section_name(now) if now else ""})
    return into


def _next_section(groups, index: int, question: Question, direction: str, shown: set[int]):
    """The section a question at the edge of its own moves into, and that section's questions; or the
    RequirementError that says why it cannot move further."""
    last_section = len(groups) - 2  # groups: the sections in order, then the questions outside any section
    cannot = f"{question.code} cannot move {direction}:"
    if index > last_section:  # outside any section
        if direction == "up" and last_section >= 0:
            raise RequirementError(f"{cannot} it is the first question outside any section. To put it in a "
                                   "section, choose the section on its edit page.")
        raise RequirementError(f"{cannot} it is already the {'first' if direction == 'up' else 'last'} question "
                               "of the set.")
    if direction == "up" and index == 0:
        raise RequirementError(f"{cannot} it is already the first question of the set.")
    if direction == "down" and index == last_section:
        if any(q.pk in shown for q in groups[-1][1]):
            raise RequirementError(f"{cannot} it is the last question of {section_called(groups[index][0])}. To "
                                   "take it out of its section, choose “(no section)” on its edit page.")
        raise RequirementError(f"{cannot} it is already the last question of the set.")
    return groups[index + (-1 if direction == "up" else 1)]


def _page_order(requirement_set: RequirementSet) -> list[tuple[Section | None, list[Question]]]:
    """The set's questions as its page lists them: section by section in the sections' order, then those
    outside any section (section None), each group in the questions' order."""
    groups = {section.pk: (section, []) for section in requirement_set.sections.order_by("order", "pk")}
    loose: tuple[Section | None, list[Question]] = (None, [])
    for question in requirement_set.questions.order_by("order", "pk"):
        groups.get(question.section_id, loose)[1].append(question)
    return [*groups.values(), loose]


def _renumber(groups: list[tuple[Section | None, list[Question]]]) -> None:
    """Number the questions 1, 2, ... in the order of these groups, each in its group's section, so that the
    set's order and its sections agree (a report listing by order lists section by section)."""
    position = 0
    for section, members in groups:
        section_id = section.pk if section is not None else None
        for question in members:
            position += 1
            if (question.order, question.section_id) != (position, section_id):
                Question.objects.filter(pk=question.pk).update(order=position, section=section_id)
                question.order, question.section_id = position, section_id


def retire_question(question: Question, user, retired: bool = True) -> None:
    if question.retired == retired:
        return
    before = question_state(question)
    question.retired, question.edited = retired, True
    question.save()
    record(question.requirement_set, user, "question retired" if retired else "question restored",
           question=question, before=before, after=question_state(question))
    if not retired:  # what came in while it was retired was not ranked against it
        _rank_later(question_ids=[question.pk])


def check_section(requirement_set: RequirementSet, letter: str, audience: str,
                  section: Section | None = None) -> None:
    """A section needs a letter or an audience, and its letter is its own in the set."""
    letter, audience = (letter or "").strip(), (audience or "").strip()
    if not letter and not audience:
        raise RequirementError("A section needs a letter or an audience (e.g. \"FOR HAVANA\")")
    taken = requirement_set.sections.filter(letter__iexact=letter)
    if section is not None:
        taken = taken.exclude(pk=section.pk)
    if letter and taken.exists():
        raise RequirementError(f"This set already has a section {letter}")


def edit_section(section: Section, user, *, letter: str | None = None, audience: str | None = None,
                 posts: list[Post] | None = None) -> None:
    before = section_state(section)
    new_letter = section.letter if letter is None else letter.strip()[:8]
    new_audience = section.audience if audience is None else audience.strip()
    if (new_letter, new_audience) != (section.letter, section.audience):  # as extracted, it stands
        check_section(section.requirement_set, new_letter, new_audience, section)
    if letter is not None:
        section.letter = letter.strip()[:8]
    if audience is not None:
        section.audience = audience.strip()
    section.save()
    if posts is not None:
        section.posts.set(posts)
    after = section_state(section)
    if after != before:
        record(section.requirement_set, user, "section edited", section=section, before=before, after=after)


def add_section(requirement_set: RequirementSet, user, *, letter: str, audience: str,
                posts: list[Post] | None = None) -> Section:
    """A section the analyst adds, with the posts it tasks (recorded with it in the history)."""
    check_section(requirement_set, letter, audience)
    order = (requirement_set.sections.aggregate(m=Max("order"))["m"] or 0) + 1
    with transaction.atomic():
        section = Section.objects.create(requirement_set=requirement_set, letter=letter.strip()[:8],
                                         audience=audience.strip(), order=order)
        if posts:
            section.posts.set(posts)
        record(requirement_set, user, "section added", section=section, after=section_state(section))
    return section
