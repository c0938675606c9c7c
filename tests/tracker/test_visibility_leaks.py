"""What a user not cleared for something must not learn of it through the requirements pages: the title of a
set cited by a cable they may read, an extractor's proposal beside a question marked above them, the old text
kept in a set's history, a response resting on paragraphs withheld from them, the posts of sets they may not
see. Each is checked absent for the uncleared user and present for a cleared one."""
import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from cables.importing import import_paths
from cables.models import Cable
from tracker import dashboard, reports, requirements, responses
from tests.conftest import exported_csv
from tests.tracker.tasking import SECRET_TASKING
from tracker.models import Proposal, Question, Response, Section

pytestmark = pytest.mark.django_db

# A SECRET reply to the Gulf of Guinea tasking (tests/tracker/tasking.py), one of whose paragraphs is (S//NF).
SECRET_REPLY = """\
R 021200Z APR 09
FM AMEMBASSY ABUJA
TO SECSTATE WASHDC 0456
BT
S E C R E T ABUJA 000123

E.O. 12958: DECL: 04/02/2019
TAGS: PINR PREL NI
SUBJECT: (U) PIRACY FINANCING IN THE DELTA (C-AF9-00421)

Classified By: Ambassador R. Sanders for reasons 1.4 (b) and (d).

1. (U) Post offers the following on the financing of offshore attacks.

2. (S) Local bankers describe cash moved through exchange houses in Lagos.

3. (S//NF) A liaison contact named the fleet commander HALCYONWARD as paid by the gangs.

4. (U) Post will report further.
SANDERS
"""

# An UNCLASSIFIED cable from another post citing the same (SECRET) collection reference.
UNCLASSIFIED_CITING = """\
R 031200Z APR 09
FM AMEMBASSY ACCRA
TO SECSTATE WASHDC 0789
BT
UNCLAS ACCRA 000456

E.O. 12958: N/A
TAGS: PREL GH
SUBJECT: (U) HARBOUR SECURITY CONFERENCE (C-AF9-00421)

1. (U) Ghana hosted a regional harbour security conference this week.

2. (U) Post will report on its outcome.
TEDESCO
"""

WITHHELD_NOTE = "HALCYONWARD is on the gangs' payroll"


@pytest.fixture
def gulf(secret_tasking, tmp_path):
    """The Gulf of Guinea set (its tasking cable SECRET), with a SECRET reply and an UNCLASSIFIED cable citing it."""
    requirement_set = requirements.create_set(secret_tasking)
    for name, text in (("reply.txt", SECRET_REPLY), ("citing.txt", UNCLASSIFIED_CITING)):
        (tmp_path / name).write_text(text)
    report = import_paths([tmp_path / "reply.txt", tmp_path / "citing.txt"])
    assert report.new == 2, report.rejected
    return requirement_set


def _reply() -> Cable:
    return Cable.objects.get(reference_id="09ABUJA123")


def _citing() -> Cable:
    return Cable.objects.get(reference_id="09ACCRA456")


# ----------------------------------------------------------------------------- 1. the cable page's "Cites:"


def _links_box(content: bytes) -> bytes:
    return re.search(rb'<section class="box cable-links">.*?</section>', content, re.S).group(0)


def _main(content: bytes) -> bytes:
    return re.search(rb"<main.*?</main>", content, re.S).group(0)


def test_a_cable_page_names_only_the_cited_sets_the_user_may_see(client, gulf, role_user):
    """Beyond the user's clearance a cited set is as absent as one never made: the citation waits, as any
    reply to a tasking not in the store does, so that the page tells nothing of the hidden set."""
    citing = _citing()
    assert citing.classification == "UNCLASSIFIED"
    assert citing.citations.get().requirement_set == gulf  # the citation is attached to the SECRET set
    title, link = escape(gulf.title).encode(), gulf.get_absolute_url().encode()

    client.force_login(role_user("unclassified", "reader", "UNCLASSIFIED", noforn=False))
    page = client.get(citing.get_absolute_url())
    assert page.status_code == 200
    assert title not in page.content and link not in page.content
    assert b"tasking not in the store yet" in page.content  # as if there were no set at all
    assert client.get(gulf.get_absolute_url()).status_code == 404  # the same rule as the set's own page
    waiting = client.get(reverse("waiting-list")).content
    assert b"09ACCRA456" in waiting and gulf.collection_reference.encode() in waiting
    citing.citations.update(requirement_set=None)  # a reference with no set: the very same pages
    assert _links_box(client.get(citing.get_absolute_url()).content) == _links_box(page.content)
    assert _main(client.get(reverse("waiting-list")).content) == _main(waiting)
    citing.citations.update(requirement_set=gulf)

    client.force_login(role_user("cleared", "reader", "SECRET", noforn=False))
    page = client.get(citing.get_absolute_url())
    assert b"Cites:" in page.content and title in page.content and link in page.content


# ----------------------------------------------------------------------------- 2. proposals and history


def _noforn_edit(requirement_set, cleared):
    """A cleared analyst marks A.1 (S//NF) with text only NOFORN-eligible users may read; the extractor
    then proposes its own (S) wording beside it."""
    a1 = requirement_set.questions.get(code="A.1")
    requirements.edit_question(a1, cleared, marking="S//NF", text="NFSECRET: asset CARDINAL names the financiers.")
    Question.objects.filter(pk=a1.pk).update(extracted={**a1.extracted, "text": "what an older parser said"})
    assert requirements.reextract(requirement_set, cleared)["proposed"] == 1
    return a1, Proposal.objects.get(question=a1, state=Proposal.PENDING)


def test_a_proposal_beside_a_question_above_the_users_clearance_is_neither_shown_nor_decided(
        client, secret_tasking, role_user):
    requirement_set = requirements.create_set(secret_tasking)
    cleared = role_user("cleared", "analyst", "SECRET", noforn=True)
    uncleared = role_user("uncleared", "analyst", "SECRET", noforn=False)
    a1, proposal = _noforn_edit(requirement_set, cleared)
    assert proposal.marking == "S"  # the proposal's own marking is within the uncleared analyst's reach

    client.force_login(uncleared)
    page = client.get(requirement_set.get_absolute_url())
    assert page.status_code == 200
    assert b"NFSECRET" not in page.content and f'id="proposal{proposal.pk}"'.encode() not in page.content
    refused = client.post(reverse("proposal-decide", args=[proposal.pk]), {"decision": "accept"})
    assert refused.status_code == 404
    a1.refresh_from_db(), proposal.refresh_from_db()
    assert (a1.marking, proposal.state) == ("S//NF", Proposal.PENDING)  # not downgraded
    with pytest.raises(requirements.RequirementError):
        requirements.decide(proposal, uncleared, accept=True)

    client.force_login(cleared)
    page = client.get(requirement_set.get_absolute_url())
    assert b"NFSECRET" in page.content and f'id="proposal{proposal.pk}"'.encode() in page.content
    assert client.post(reverse("proposal-decide", args=[proposal.pk]), {"decision": "accept"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == Proposal.ACCEPTED


def test_history_entries_are_judged_by_the_markings_they_saved(client, secret_tasking, role_user):
    requirement_set = requirements.create_set(secret_tasking)
    cleared = role_user("cleared", "analyst", "SECRET", noforn=True)
    uncleared = role_user("uncleared", "analyst", "SECRET", noforn=False)
    a1, proposal = _noforn_edit(requirement_set, cleared)
    requirements.decide(proposal, cleared, accept=True)  # back to (S): the question is visible again
    a1.refresh_from_db()
    assert a1.marking == "S" and Question.objects.visible_to(uncleared).filter(pk=a1.pk).exists()

    client.force_login(uncleared)
    page = client.get(requirement_set.get_absolute_url())
    history = page.content.decode().split("<h2>History</h2>")[1]
    assert "NFSECRET" not in history and "S//NF" not in history
    assert "extracted" in history  # entries without a hidden marking stay

    client.force_login(cleared)
    history = client.get(requirement_set.get_absolute_url()).content.decode().split("<h2>History</h2>")[1]
    assert "NFSECRET" in history and "proposal accepted (change)" in history


# ----------------------------------------------------------------------------- 3. responses on withheld paragraphs


def test_a_response_resting_on_withheld_paragraphs_does_not_exist_for_the_user(client, gulf, role_user):
    cleared = role_user("cleared", "analyst", "SECRET", noforn=True)
    uncleared = role_user("uncleared", "analyst", "SECRET", noforn=False)
    a1 = gulf.questions.get(code="A.1")  # (S): both may see it, and the SECRET reply cable
    assert _reply().paragraphs.get(number="3").marking == "S//NF"
    response = responses.log(cleared, _reply(), [a1], ["3"], "answers", note=WITHHELD_NOTE)[0]

    assert not Response.objects.visible_to(uncleared).filter(pk=response.pk).exists()
    assert Response.objects.visible_to(cleared).filter(pk=response.pk).exists()
    # coverage, the dashboard's status and the set's report count it only for the cleared analyst
    assert reports.coverage(gulf, uncleared)["answered"] == 0
    assert reports.coverage(gulf, cleared)["answered"] == 1
    assert dashboard.questions(uncleared).get(pk=a1.pk).derived_status == "unanswered"
    assert dashboard.questions(cleared).get(pk=a1.pk).derived_status == "answered"
    abuja = lambda user: next(r for r in reports.coverage(gulf, user)["by_post"] if "Abuja" in r["post"])  # noqa: E731
    assert abuja(uncleared)["responses"] == 0 and abuja(cleared)["responses"] == 1

    client.force_login(uncleared)
    question_page = client.get(reverse("question-detail", args=[a1.pk]))
    assert question_page.status_code == 200
    assert b"HALCYONWARD" not in question_page.content and b"status-answered" not in question_page.content
    assert client.get(reverse("api-response-list"), {"cable": "09ABUJA123"}).json()["count"] == 0
    assert client.get(reverse("api-response-detail", args=[response.pk])).status_code == 404
    assert client.get(reverse("response-edit", args=[response.pk])).status_code == 404
    assert reverse("question-detail", args=[a1.pk]) not in _responses_on_cable_page(client)

    client.force_login(cleared)
    question_page = client.get(reverse("question-detail", args=[a1.pk]))
    assert b"HALCYONWARD" in question_page.content and b"status-answered" in question_page.content
    assert client.get(reverse("api-response-list"), {"cable": "09ABUJA123"}).json()["count"] == 1
    assert reverse("question-detail", args=[a1.pk]) in _responses_on_cable_page(client)


def test_a_response_the_user_may_not_see_cannot_be_changed_by_logging_again(gulf, role_user):
    """Logging the same cable against the same question would update the response that rests on a withheld
    paragraph: refused, and the response stays as its cleared author left it."""
    cleared = role_user("cleared", "analyst", "SECRET", noforn=True)
    uncleared = role_user("uncleared", "analyst", "SECRET", noforn=False)
    a1 = gulf.questions.get(code="A.1")
    response = responses.log(cleared, _reply(), [a1], ["3"], "answers", "high", note=WITHHELD_NOTE)[0]
    visible = next(p.number for p in _reply().paragraphs.all() if p.marking != "S//NF")
    with pytest.raises(responses.ResponseError, match="someone cleared for more of it"):
        responses.log(uncleared, _reply(), [a1], [visible], "context", "low", note="mine")
    response.refresh_from_db()
    assert (response.assessment, response.confidence, response.paragraph_numbers) == ("answers", "high", ["3"])
    assert "mine" not in response.note


def _responses_on_cable_page(client) -> str:
    page = client.get(_reply().get_absolute_url())
    assert page.status_code == 200
    return page.content.decode().split("<h3>Responses</h3>")[1].split("</ul>")[0]


# ----------------------------------------------------------------------------- 4. the dashboard's post filter


def _post_options(client) -> set[str]:
    page = client.get(reverse("dashboard")).content.decode()
    start = page.index('name="post"')
    return set(re.findall(r'<option value="([^"]+)"', page[start:page.index("</select>", start)]))


def test_the_dashboards_post_filter_offers_only_posts_of_what_the_user_may_see(client, gulf, role_user):
    client.force_login(role_user("unclassified", "reader", "UNCLASSIFIED", noforn=False))
    assert not _post_options(client) & {"ABUJA", "ACCRA", "PARIS"}

    client.force_login(role_user("cleared", "reader", "SECRET", noforn=False))
    assert _post_options(client) >= {"ABUJA", "ACCRA", "PARIS"}


# ----------------------------------------------------------------------------- 5. a withheld question's code


def test_a_code_held_by_a_withheld_question_is_refused_without_naming_a_question(client, secret_tasking, role_user):
    requirement_set = requirements.create_set(secret_tasking)
    cleared = role_user("cleared", "analyst", "SECRET", noforn=True)
    uncleared = role_user("uncleared", "analyst", "SECRET", noforn=False)
    a1 = requirement_set.questions.get(code="A.1")
    requirements.edit_question(a1, cleared, code="A.9", marking="S//NF")
    b1 = requirement_set.questions.get(code="B.1")

    client.force_login(uncleared)
    added = client.post(reverse("question-add", args=[requirement_set.pk]),
                        {"code": "A.9", "section": b1.section_id, "marking": "U", "text": "Who pays them?"})
    renamed = client.post(reverse("question-edit", args=[b1.pk]),
                          {"code": "A.9", "section": b1.section_id, "marking": b1.marking, "text": b1.text,
                           "sentences": "\n".join(b1.sentences)})
    for page in (added, renamed):
        assert page.status_code == 400
        assert b"A.9 cannot be used in this set" in page.content
        assert b"already a question" not in page.content
    with pytest.raises(requirements.RequirementError) as refused:
        requirements.edit_question(b1, uncleared, code="A.9")
    assert "already a question" not in str(refused.value)

    client.force_login(cleared)  # who may see A.9 is told what holds the code
    renamed = client.post(reverse("question-edit", args=[b1.pk]),
                          {"code": "A.9", "section": b1.section_id, "marking": b1.marking, "text": b1.text,
                           "sentences": "\n".join(b1.sentences)})
    assert renamed.status_code == 400 and b"A.9 is already a question of this set" in renamed.content


def test_an_analyst_cannot_mark_a_question_above_their_own_clearance(client, secret_tasking, role_user):
    requirement_set = requirements.create_set(secret_tasking)
    analyst = role_user("secret-only", "analyst", "SECRET", noforn=False)
    b1 = requirement_set.questions.get(code="B.1")
    client.force_login(analyst)
    page = client.post(reverse("question-edit", args=[b1.pk]),
                       {"code": "B.1", "section": b1.section_id, "marking": "TS", "text": b1.text,
                        "sentences": "\n".join(b1.sentences)})
    assert page.status_code == 400 and b"TS is above your clearance" in page.content
    assert b1.text.encode()[:20] in page.content  # what was typed is shown again
    b1.refresh_from_db()
    assert b1.marking == "S"
    with pytest.raises(requirements.RequirementError, match="above your clearance"):
        requirements.add_question(requirement_set, analyst, section=None, text="Who?", marking="S//NF")
    requirements.edit_question(b1, analyst, marking="C")  # below it: allowed
    assert Question.objects.get(pk=b1.pk).marking == "C"


def test_re_extraction_counts_what_befell_a_withheld_question_only_as_withheld(client, secret_tasking, role_user):
    """A.2 is (C//NF): when the extraction changes it, a reader without NOFORN who runs it again is told that
    something beyond their clearance changed, not that a question was updated; a NOFORN reader is told."""
    requirement_set = requirements.create_set(secret_tasking)
    a2 = requirement_set.questions.get(code="A.2")
    assert a2.marking == "C//NF"

    def older_parser_said():
        Question.objects.filter(pk=a2.pk).update(extracted={**a2.extracted, "text": "what an older parser said"})

    older_parser_said()
    uncleared = role_user("uncleared", "analyst", "SECRET", noforn=False)
    assert requirements.reextract(requirement_set, uncleared) == {
        "updated": 0, "added": 0, "proposed": 0, "unchanged": 2, "withheld": 1}
    older_parser_said()
    client.force_login(uncleared)
    page = client.post(reverse("requirement-set-reextract", args=[requirement_set.pk]), follow=True)
    assert ("Extraction run again: 0 updated, 0 added, 0 proposed for your decision, 2 unchanged; 1 more beyond "
            "your clearance.") in page.content.decode()
    older_parser_said()
    cleared = role_user("cleared", "analyst", "SECRET", noforn=True)
    assert requirements.reextract(requirement_set, cleared) == {
        "updated": 1, "added": 0, "proposed": 0, "unchanged": 2, "withheld": 0}


def test_a_patched_question_reports_the_status_its_reader_may_know(client, gulf, role_user):
    """A.1 is answered only by a response linking an (S//NF) paragraph: to a reader without NOFORN it is
    unanswered, in the API's answer to a change as in its list."""
    cleared = role_user("cleared", "analyst", "SECRET", noforn=True)
    uncleared = role_user("uncleared", "analyst", "SECRET", noforn=False)
    a1 = gulf.questions.get(code="A.1")
    responses.log(cleared, _reply(), [a1], ["3"], "answers", note=WITHHELD_NOTE)
    client.force_login(uncleared)
    url = reverse("api-question-detail", args=[a1.pk])
    assert client.get(url).json()["status"] == "unanswered"
    patched = client.patch(url, {"retired": False}, content_type="application/json").json()
    assert patched["status"] == "unanswered" and patched["response_count"] == 0
    client.force_login(cleared)
    assert client.patch(url, {"retired": False}, content_type="application/json").json()["status"] == "answered"


def test_a_responses_history_withholds_what_it_said_while_it_linked_withheld_text(client, gulf, role_user):
    """Logged on the (S//NF) ¶3 with a note about it, then moved to the (S) ¶2: a reader without NOFORN now
    sees the response, and of its history who changed it and when, not the old note nor the old paragraph."""
    cleared = role_user("cleared", "analyst", "SECRET", noforn=True)
    uncleared = role_user("uncleared", "analyst", "SECRET", noforn=False)
    a1 = gulf.questions.get(code="A.1")
    response = responses.log(cleared, _reply(), [a1], ["3"], "answers", note=WITHHELD_NOTE)[0]
    responses.edit(response, cleared, paragraph_numbers=["2"], note="Cash moved through exchange houses.")
    url = reverse("response-edit", args=[response.pk])
    client.force_login(uncleared)
    page = client.get(url).content.decode()
    assert "Cash moved through exchange houses." in page  # the response as it stands
    assert WITHHELD_NOTE not in page and "HALCYONWARD" not in page
    assert page.count("Withheld: the response then linked paragraphs beyond your clearance.") == 2
    client.force_login(cleared)
    page = client.get(url).content.decode()
    assert "Withheld:" not in page and "HALCYONWARD" in page


# ----------------------------------------------------------------------------- a section heading's own marking


def test_a_section_heading_marked_beyond_the_readers_clearance_is_withheld_wherever_it_is_shown(
        client, gulf, role_user):
    """Section A's heading was read from an (S//NF) paragraph of the SECRET tasking: a reader without NOFORN
    sees its letter and its questions they may see, never its words (set page and print, question page and
    form, CSV, API, history), and may not edit it; a NOFORN reader sees it, and the set page's banner says so."""
    secret = "For the HALCYONWARD network's watchers"
    Section.objects.filter(requirement_set=gulf, letter="A").update(marking="S//NF")
    section = gulf.sections.get(letter="A")
    requirements.edit_section(section, role_user("editor", "analyst", "SECRET", noforn=True), audience=secret)
    a1 = gulf.questions.get(code="A.1")
    uncleared = role_user("uncleared", "analyst", "SECRET", noforn=False)
    cleared = role_user("cleared", "analyst", "SECRET", noforn=True)
    pages = {"set": gulf.get_absolute_url(), "print": reverse("requirement-set-print", args=[gulf.pk]),
             "question": reverse("question-detail", args=[a1.pk]), "form": reverse("question-edit", args=[a1.pk]),
             "api": reverse("api-requirement-set-detail", args=[gulf.pk])}
    client.force_login(uncleared)
    for where, url in pages.items():
        page = client.get(url)
        assert page.status_code == 200 and "HALCYONWARD" not in page.content.decode(), where
    assert Section.WITHHELD in client.get(pages["set"]).content.decode()
    assert "HALCYONWARD" not in exported_csv(client.get(reverse("requirement-set-export", args=[gulf.pk, "csv"])))
    assert client.get(reverse("section-edit", args=[section.pk])).status_code == 404
    client.force_login(cleared)
    for where, url in pages.items():
        assert "HALCYONWARD" in client.get(url).content.decode(), where
    assert client.get(reverse("section-edit", args=[section.pk])).status_code == 200
    banner = re.search(r'<div class="banner[^>]*>([^<]*)</div>', client.get(pages["set"]).content.decode())[1]
    assert banner == "SECRET//NOFORN"


def test_a_section_takes_the_marking_of_the_paragraph_its_heading_stands_in_where_stricter_than_its_cable(
        tmp_path, role_user):
    """Read from "A. (S//NF) FOR THE HALCYONWARD WATCHERS ..." of a SECRET cable, section A is marked SECRET//NOFORN;
    section B's "(U) FOR PARIS:" is no stricter than the cable: unmarked, the cable's. Re-extraction keeps it."""
    text = SECRET_TASKING.replace("A. (U) FOR ABUJA AND ACCRA:", "A. (S//NF) FOR THE HALCYONWARD WATCHERS IN ABUJA AND "
                                                                  "ACCRA:")
    path = tmp_path / "tasking.txt"
    path.write_text(text)
    import_paths([path])
    made = requirements.create_set(Cable.objects.get(reference_id="09STATE24680"))
    assert dict(made.sections.values_list("letter", "marking")) == {"A": "SECRET//NOFORN", "B": ""}
    assert "HALCYONWARD" in made.sections.get(letter="A").audience.upper()
    uncleared = role_user("uncleared", "analyst", "SECRET", noforn=False)
    assert made.sections.get(letter="A").audience_for(uncleared) == Section.WITHHELD
    assert made.sections.get(letter="B").audience_for(uncleared) == made.sections.get(letter="B").audience
    made.questions.filter(section__letter="A").delete()
    made.sections.filter(letter="A").delete()
    assert requirements.reextract(made)["added"] == 2
    assert made.sections.get(letter="A").marking == "SECRET//NOFORN"


def test_a_question_written_with_an_unread_noforn_marking_is_noforn(tmp_path, role_user):
    """"2) (C//NF//X1) What do navy officers say ...?": its paragraph is held NOFORN by the importer, and so is
    the question, by creation and by re-extraction alike."""
    path = tmp_path / "tasking.txt"
    path.write_text(SECRET_TASKING.replace("2) (C//NF) What do navy", "2) (C//NF//X1) What do navy"))
    import_paths([path])
    made = requirements.create_set(Cable.objects.get(reference_id="09STATE24680"))
    a2 = made.questions.get(code="A.2")
    assert a2.marking == "SECRET//NOFORN"
    assert not Question.objects.visible_to(role_user("uncleared", "analyst", "SECRET", noforn=False)).filter(
        pk=a2.pk).exists()
    Question.objects.filter(pk=a2.pk).update(marking="S", extracted={**a2.extracted, "text": "older"})
    requirements.reextract(made)
    assert Question.objects.get(pk=a2.pk).marking == "SECRET//NOFORN"


def test_a_heading_is_found_by_whole_words_and_re_extraction_marks_a_section_made_before_headings_were(
        tmp_path, client, role_user):
    from tracker.extraction import SectionDraft

    cable = Cable(classification="SECRET")
    paragraphs = [("1", "", "(U) Iranian trade with Venezuela grew.", (0, False)),
                  ("2", "", "(S//NF) For Iran watchers only:", (2, True))]
    assert requirements.heading_marking(SectionDraft("A", "For Iran watchers"), paragraphs, cable) == "SECRET//NOFORN"
    assert requirements.heading_marking(SectionDraft("A", "Iran"), paragraphs, cable) == "SECRET//NOFORN"

    path = tmp_path / "tasking.txt"
    path.write_text(SECRET_TASKING.replace("A. (U) FOR ABUJA AND ACCRA:", "A. (S//NF) FOR ABUJA AND ACCRA:"))
    import_paths([path])
    made = requirements.create_set(Cable.objects.get(reference_id="09STATE24680"))
    made.sections.update(marking="")  # as made before this rule
    cleared = role_user("cleared", "analyst", "SECRET", noforn=True)
    Question.objects.filter(requirement_set=made, code="A.1").update(extracted={"text": "older"})
    requirements.reextract(made, cleared)
    assert made.sections.get(letter="A").marking == "SECRET//NOFORN"
    assert str(made.sections.get(letter="A")) == "A: (marked heading)"  # as the admin's history names it
    # the run's history entry tells of A.1, an (S) question: a NOFORN-less reader of the set sees it; of A.2
    # (C//NF), it is shown to NOFORN readers alone
    Question.objects.filter(requirement_set=made, code="A.2").update(extracted={"text": "older"})
    requirements.reextract(made, cleared)
    runs = list(made.changes.filter(action="re-extraction run").order_by("pk"))
    uncleared = role_user("uncleared", "analyst", "SECRET", noforn=False)
    shown = requirements.visible_history(made, uncleared)
    assert runs[0] in shown and runs[1] not in shown
    assert runs[1] in requirements.visible_history(made, cleared)

    made.questions.filter(code="A.2").update(marking="C")  # no question NOFORN: the heading alone makes it so
    client.force_login(cleared)
    for url in (reverse("requirement-set-print", args=[made.pk]), reverse("question-add", args=[made.pk])):
        banner = re.search(r'<div class="banner[^>]*>([^<]*)</div>', client.get(url).content.decode())[1]
        assert banner == "SECRET//NOFORN", url
    export = client.get(reverse("requirement-set-export", args=[made.pk, "csv"]) + "?table=sections")
    assert b"".join(export.streaming_content).decode("utf-8-sig").startswith("SECRET//NOFORN")
