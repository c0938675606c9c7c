"""Automatic links: citations attach responding cables to their set on import (or wait for the tasking
cable), suggestions are stored with their evidence, and a rejected pair is never suggested again."""
import re

import pytest

from cables.importing import import_paths
from cables.models import Cable
from tests.conftest import PAGES, TEXT_PAGE_SEED
from tracker import linking, ranking, requirements, responses
from tracker.ranking import Background, Ranker
from tracker.models import Citation, Post, RequirementSet, Response, Suggestion, TaskingCandidate

pytestmark = pytest.mark.django_db

C_NE8 = ["08BOGOTA4036", "08LAPAZ751", "08SANJOSE710", "08SANTIAGO678"]


def _import(*names):
    import_paths([PAGES / f"{name}.html" for name in names])


def test_a_cable_citing_the_tasking_by_its_ref_line_attaches_to_the_set(db):
    _import("09STATE40419")
    requirement_set = requirements.create_set(Cable.objects.get(reference_id="09STATE40419"))
    _import("09MOSCOW1730")  # a REF line only: no SUBJECT line
    citation = Citation.objects.get(cable__reference_id="09MOSCOW1730", reference="09STATE40419")
    assert citation.requirement_set == requirement_set and citation.kind == Citation.TASKING_CABLE


def test_responses_to_an_absent_tasking_wait_under_its_reference_and_attach_when_it_arrives(db, tmp_path):
    _import(*C_NE8)
    waiting = Citation.objects.filter(requirement_set=None, reference="C-NE8-00834")
    assert sorted(waiting.values_list("cable__reference_id", flat=True)) == C_NE8
    # The tasking arrives (a stand-in cable citing the same collection reference, with questions).
    tasking = tmp_path / "tasking.txt"
    tasking.write_text(TASKING_C_NE8)
    import_paths([tasking])
    cable = Cable.objects.get(reference_id="08STATE64659")
    requirement_set = requirements.create_set(cable)
    assert requirement_set.collection_reference == "C-NE8-00834"
    attached = Citation.objects.filter(requirement_set=requirement_set)
    assert sorted(set(attached.values_list("cable__reference_id", flat=True))) == C_NE8
    # each cites both the collection reference and the tasking cable (REF: STATE 64659)
    assert set(attached.values_list("reference", flat=True)) == {"C-NE8-00834", "08STATE64659"}
    assert not Citation.objects.filter(requirement_set=None, reference__in=["C-NE8-00834", "08STATE64659"]).exists()
    assert not Citation.objects.filter(reference__contains="SANJOSE").exists()  # REFs to posts' cables: no tasking


def test_suggestions_carry_score_and_evidence_and_a_rejection_is_final(db, role_user):
    _import("09STATE6423")
    requirement_set = requirements.create_set(Cable.objects.get(reference_id="09STATE6423"))
    _import(*C_NE8)
    ids = list(Cable.objects.filter(reference_id__in=C_NE8).values_list("pk", flat=True))
    stored = linking.suggest_for_cables(ids)
    assert stored > 0
    suggestion = Suggestion.objects.filter(question__requirement_set=requirement_set).order_by("-score").first()
    assert 0 < suggestion.score <= 1 and suggestion.evidence["terms"]
    assert set(suggestion.evidence) == {"terms", "places", "organisations", "people"}
    assert not Suggestion.objects.filter(cable__reference_id="09STATE6423").exists()  # not the tasking itself
    analyst = role_user("ana")
    responses.reject(suggestion, analyst)
    Suggestion.objects.exclude(pk=suggestion.pk).delete()
    linking.suggest_for_cables(ids)  # ranking again brings the others back, never the rejected pair
    again = Suggestion.objects.filter(question=suggestion.question, cable=suggestion.cable,
                                      paragraph_number=suggestion.paragraph_number)
    assert list(again.values_list("state", flat=True)) == [Suggestion.REJECTED]


def test_the_ranker_is_fitted_once_until_the_open_questions_change(db, monkeypatch):
    _import("09STATE6423", *C_NE8)
    requirement_set = requirements.create_set(Cable.objects.get(reference_id="09STATE6423"))
    ids = list(Cable.objects.filter(reference_id__in=C_NE8).values_list("pk", flat=True))
    fitted = []  # the questions of each ranker of the open questions (the others are a cited set's)

    def ranker(questions, **kwargs):
        if "background" in kwargs:
            fitted.append(questions)
        return Ranker(questions, **kwargs)

    monkeypatch.setattr(ranking, "Ranker", ranker)  # linking loads the ranking module when it first ranks
    monkeypatch.setattr(linking, "_fitted", None)
    linking.suggest_for_cables(ids)
    linking.suggest_for_cables(ids)
    assert len(fitted) == 1 and len(fitted[0]) == requirement_set.questions.count()

    question = requirement_set.questions.get(code="C.1")
    requirements.edit_question(question, None, text="Who funds Hizballah in the Tri-Border Area?")
    linking.suggest_for_cables(ids)
    assert (question.pk, "Who funds Hizballah in the Tri-Border Area?") in fitted[-1]
    requirements.retire_question(question, None)
    linking.suggest_for_cables(ids)
    assert question.pk not in dict(fitted[-1])
    requirements.add_question(requirement_set, None, section=None, text="What does Iran sell Bolivia?", marking="S")
    linking.suggest_for_cables(ids)
    assert "What does Iran sell Bolivia?" in dict(fitted[-1]).values()
    RequirementSet.objects.filter(pk=requirement_set.pk).update(status=RequirementSet.CLOSED)
    assert linking.suggest_for_cables(ids) == 0  # no open question
    assert len(fitted) == 4


def test_suggestions_are_stored_once_whatever_the_database(db):
    _import("09STATE6423", *C_NE8)
    requirements.create_set(Cable.objects.get(reference_id="09STATE6423"))
    ids = list(Cable.objects.filter(reference_id__in=C_NE8).values_list("pk", flat=True))
    stored = linking.suggest_for_cables(ids)
    assert stored == Suggestion.objects.count() > 0  # COPY on PostgreSQL, bulk_create elsewhere
    assert linking.suggest_for_cables(ids) == 0 and Suggestion.objects.count() == stored
    suggestion = Suggestion.objects.order_by("-score").first()
    assert suggestion.state == Suggestion.OPEN and suggestion.created and isinstance(suggestion.evidence, dict)
    assert suggestion.paragraph.number == suggestion.paragraph_number


def test_a_batch_of_cables_is_read_ranked_and_stored_with_the_cycle_collector_held_off(db):
    import gc

    _import("09STATE6423", *C_NE8)
    requirements.create_set(Cable.objects.get(reference_id="09STATE6423"))
    ids = list(Cable.objects.filter(reference_id__in=C_NE8).values_list("pk", flat=True))
    linking.open_questions_ranker()
    runs = []

    def count(phase, info):
        runs.append(info["generation"]) if phase == "start" else None

    gc.collect()  # from zero: no collection is due as the batch starts
    gc.callbacks.append(count)
    try:
        stored = linking.suggest_for_cables(ids)
    finally:
        gc.callbacks.remove(count)
    assert stored > 0 and runs in ([], [0]) and gc.isenabled()  # at most the one due as it comes back on


def test_accepting_a_suggestion_makes_a_response_that_keeps_it_as_its_origin(db, role_user):
    _import("09STATE6423", *C_NE8)
    requirement_set = requirements.create_set(Cable.objects.get(reference_id="09STATE6423"))
    linking.suggest_for_questions(requirement_set.questions.values_list("pk", flat=True))
    suggestion = Suggestion.objects.order_by("-score").first()
    analyst = role_user("ana")
    response = responses.accept(suggestion, analyst, assessment=Response.PARTLY)
    suggestion.refresh_from_db()
    assert suggestion.state == Suggestion.ACCEPTED and response.suggestion == suggestion
    assert response.origin == Response.SUGGESTION and response.paragraph_numbers == [suggestion.paragraph_number]
    assert response.created_by == analyst and response.assessment == Response.PARTLY
    with pytest.raises(responses.ResponseError, match="already accepted"):
        responses.accept(suggestion, analyst)


def test_prior_reporting_and_the_post_that_sent_the_cable(db, role_user):
    _import("09STATE6423")
    import_paths([TEXT_PAGE_SEED])
    requirement_set = requirements.create_set(Cable.objects.get(reference_id="09STATE6423"))
    analyst = role_user("ana")
    moscow = Cable.objects.get(reference_id="08MOSCOW3526")
    response = responses.log(analyst, moscow, [requirement_set.questions.get(code="A.1")], ["1"], "partly")[0]
    assert response.prior_reporting  # December 2008, before the January 2009 tasking
    assert response.post.key == "MOSCOW" and response.post.name == "Moscow"
    assert Post.objects.filter(key="MOSCOW").count() == 1
    _import("08LAPAZ751", "09MOSCOW2528")
    la_paz = Cable.objects.get(reference_id="08LAPAZ751")  # April 2008: prior reporting too
    earlier = responses.log(analyst, la_paz, [requirement_set.questions.get(code="C.1")], [], "context")[0]
    assert earlier.prior_reporting
    later = responses.log(analyst, Cable.objects.get(reference_id="09MOSCOW2528"),
                          [requirement_set.questions.get(code="C.2")], [], "context")[0]
    assert not later.prior_reporting and later.post == response.post  # October 2009, the same post
    # the same post as "AMEMBASSY LA PAZ" in the tasking's TO list
    later = earlier
    assert later.post in requirement_set.addressed_posts.all()


TASKING_C_NE8 = """\
R 181500Z JUN 08
FM SECSTATE WASHDC
TO AMEMBASSY BOGOTA 0101
AMEMBASSY LA PAZ 0202
AMEMBASSY SAN JOSE 0303
AMEMBASSY SANTIAGO 0404
BT
S E C R E T STATE 064659

E.O. 12958: DECL: 06/18/2018
TAGS: PINR PREL IR
SUBJECT: (U) IRANIAN ACTIVITIES IN LATIN AMERICA (C-NE8-00834)

Classified By: Director INR/OPS for reasons 1.4 (b) and (d).

1. (S) Washington analysts seek information on Iranian activities in the region.

A. (U) FOR LATIN AMERICAN POSTS:

1) (S) What is the extent of Iranian diplomatic and commercial activity in the host country?

2) (S) Is there evidence of Hizballah presence or fundraising in the host country?

2. (U) Please cite C-NE8-00834 in the subject line of reporting in response to the above questions.
RICE
"""


def test_importing_a_cable_queues_its_ranking_through_the_worker(celery_worker):
    """On PostgreSQL with a broker (CI), a real Celery worker ranks the imported cables; eagerly otherwise."""
    from tests.conftest import ensure_roles, wait_for

    ensure_roles()
    _import("09STATE6423")
    requirement_set = requirements.create_set(Cable.objects.get(reference_id="09STATE6423"))
    _import(*C_NE8)  # the import's transaction commits: the suggestion task is queued
    found = wait_for(lambda: Suggestion.objects.filter(cable__reference_id__in=C_NE8,
                                                       question__requirement_set=requirement_set).count())
    assert found > 0


def test_after_an_import_the_statistics_of_the_citations_are_refreshed_with_the_store_s(db, monkeypatch):
    from tracker import on_import

    calls = []
    monkeypatch.setattr(on_import, "refresh_statistics", lambda written, tables: calls.append((written, tables)))
    import_paths([PAGES / "09STATE6423.html", PAGES / "08LAPAZ751.html"])
    assert calls == [(2, ["tracker_citation", "tracker_taskingcandidate"])]


def test_a_batch_s_paragraphs_are_read_by_their_own_index_without_touching_the_cables():
    """The model's default order (the cables' dates) joined the whole cable table to every ranking batch:
    its cost grew with the store. The batch is read in (cable, position) order instead."""
    _import(*C_NE8)
    ids = list(Cable.objects.values_list("pk", flat=True))
    query = linking._rankable_paragraphs(ids)
    assert "cables_cable" not in str(query.query)
    rows = list(query)
    assert rows and rows == sorted(rows, key=lambda row: (row[1], row[0]))  # ids grow with position


def test_a_collection_reference_issued_again_attaches_each_reply_to_the_tasking_of_its_time(tmp_path):
    """A tasking re-issued later under the same CAL number: a reply written after the second cites the
    second; one written between the two, the first."""
    from tests.tracker.tasking import SECRET_TASKING

    again = SECRET_TASKING.replace("R 121500Z MAR 09", "R 151500Z JUN 09").replace("STATE 024680", "STATE 061357")
    reply = ("R {dtg}\nFM AMEMBASSY ABUJA\nTO SECSTATE WASHDC 0101\nBT\nS E C R E T ABUJA {serial}\n\n"
             "E.O. 12958: DECL: 03/12/2019\nTAGS: PINR NI\nSUBJECT: (S) PIRACY FINANCIERS (C-AF9-00421)\n\n"
             "1. (S) Contacts named the financiers of the attacks.\n\nSANDERS\n")
    for name, text in [("first.txt", SECRET_TASKING), ("again.txt", again),
                       ("april.txt", reply.format(dtg="011200Z APR 09", serial="000401")),
                       ("july.txt", reply.format(dtg="011200Z JUL 09", serial="000701"))]:
        (tmp_path / name).write_text(text)
    import_paths([tmp_path / "first.txt", tmp_path / "again.txt"])
    first = requirements.create_set(Cable.objects.get(reference_id="09STATE24680"))
    second = requirements.create_set(Cable.objects.get(reference_id="09STATE61357"))
    assert first.collection_reference == second.collection_reference == "C-AF9-00421"
    import_paths([tmp_path / "april.txt", tmp_path / "july.txt"])
    assert Citation.objects.get(cable__reference_id="09ABUJA401").requirement_set == first
    assert Citation.objects.get(cable__reference_id="09ABUJA701").requirement_set == second


@pytest.mark.parametrize("order", ["first, replies, second", "second, replies, first", "replies, second, first"])
def test_replies_to_a_re_issued_collection_reference_go_to_the_tasking_of_their_time_whatever_the_order(
        tmp_path, order):
    """The sets may be made before, between or after the replies arrive: each reply ends up with the
    tasking it was written under, and a set's own tasking cable cites neither."""
    from tests.tracker.tasking import SECRET_TASKING

    again = SECRET_TASKING.replace("R 121500Z MAR 09", "R 151500Z JUN 09").replace("STATE 024680", "STATE 061357")
    reply = ("R {dtg}\nFM AMEMBASSY ABUJA\nTO SECSTATE WASHDC 0101\nBT\nS E C R E T ABUJA {serial}\n\n"
             "E.O. 12958: DECL: 03/12/2019\nTAGS: PINR NI\nSUBJECT: (S) PIRACY FINANCIERS (C-AF9-00421)\n\n"
             "1. (S) Contacts named the financiers of the attacks.\n\nSANDERS\n")
    for name, text in [("first.txt", SECRET_TASKING), ("again.txt", again),
                       ("april.txt", reply.format(dtg="011200Z APR 09", serial="000401")),
                       ("july.txt", reply.format(dtg="011200Z JUL 09", serial="000701"))]:
        (tmp_path / name).write_text(text)
    import_paths([tmp_path / "first.txt", tmp_path / "again.txt"])
    steps = {"first": lambda: requirements.create_set(Cable.objects.get(reference_id="09STATE24680")),
             "second": lambda: requirements.create_set(Cable.objects.get(reference_id="09STATE61357")),
             "replies": lambda: import_paths([tmp_path / "april.txt", tmp_path / "july.txt"])}
    for step in order.split(", "):
        steps[step]()
    first, second = (RequirementSet.objects.get(tasking_cable__reference_id=ref) for ref in ("09STATE24680",
                                                                                              "09STATE61357"))
    assert Citation.objects.get(cable__reference_id="09ABUJA401").requirement_set == first
    assert Citation.objects.get(cable__reference_id="09ABUJA701").requirement_set == second
    assert not Citation.objects.filter(cable__reference_id__in=["09STATE24680", "09STATE61357"]).exists()


def test_a_set_made_from_a_cable_the_import_did_not_flag_is_never_suggested_for_itself(tmp_path):
    """An analyst may make a set of any cable with questions: its own paragraphs answer none of them."""
    from tests.tracker.tasking import SECRET_TASKING

    quiet = SECRET_TASKING.replace("(C-AF9-00421)", "").replace(
        "2. (U) Please cite C-AF9-00421 in the subject line of reporting in response to the above questions.\n", ""
    ).replace("FOR ABUJA AND ACCRA:", "FINANCING AND COLLUSION:").replace("FOR PARIS:", "PATROLS:").replace(
        "seek information on", "follow")
    (tmp_path / "quiet.txt").write_text(quiet)
    import_paths([tmp_path / "quiet.txt"])
    cable = Cable.objects.get(reference_id="09STATE24680")
    assert not TaskingCandidate.objects.filter(cable=cable).exists()  # the import did not flag it
    requirement_set = requirements.create_set(cable)
    linking.suggest_for_cables([cable.pk])
    linking.suggest_for_questions(requirement_set.questions.values_list("pk", flat=True))
    assert not Suggestion.objects.filter(cable=cable).exists()


def test_the_background_sample_is_counted_once_while_the_store_stays_the_same(db, monkeypatch):
    _import("09STATE6423", *C_NE8)
    requirement_set = requirements.create_set(Cable.objects.get(reference_id="09STATE6423"))
    counted = []

    class Counting(Background):
        def __init__(self, texts):
            counted.append(len(texts))
            super().__init__(texts)

    monkeypatch.setattr(ranking, "Background", Counting)
    monkeypatch.setattr(linking, "_background_counted", None)
    question = requirement_set.questions.get(code="C.1")
    for wording in ("Who funds Hizballah in the Tri-Border Area?", "Who funds Hizballah in Ciudad del Este?"):
        requirements.edit_question(question, None, text=wording)
        linking.suggest_for_questions([question.pk])  # what the reworded question's task runs
    assert len(counted) == 1 and counted[0] > 0
    _import("03BRASILIA1550")  # a new cable: a new sample, counted once more
    requirements.edit_question(question, None, text="Who funds Hizballah in Foz do Iguacu?")
    linking.suggest_for_questions([question.pk])
    assert len(counted) == 2


def test_a_citing_paragraph_gets_the_cited_sets_best_three_beside_the_general_best_three(tmp_path):
    """Both rankers propose: all open questions, and the cited set's alone with a lower bar. A reader who
    may not see the cited set still has the general suggestions, as for a cable citing no set."""
    tasking = ["09STATE6423", "08STATE30340"]
    _import(*tasking)
    sets = [requirements.create_set(Cable.objects.get(reference_id=ref)) for ref in tasking]
    (tmp_path / "reply.txt").write_text(
        "R 011200Z APR 09\nFM AMEMBASSY CARACAS\nTO SECSTATE WASHDC 0101\nBT\nS E C R E T CARACAS 000401\n\n"
        "E.O. 12958: DECL: 03/12/2019\nTAGS: PTER VE IR\nSUBJECT: (S) IRAN IN VENEZUELA (C-AL8-02836)\n\n"
        "1. (S) Iranian officials and Hizballah financiers met Venezuelan ministers in Caracas; the IRGC "
        "and Iranian banks expanded flights, factories and military cooperation, and Chavez praised "
        "Ahmadinejad. Terrorism financing through the Tri-Border Area and Margarita Island continues.\n\nDUDDY\n")
    import_paths([tmp_path / "reply.txt"])
    cable = Cable.objects.get(reference_id="09CARACAS401")
    Suggestion.objects.filter(cable=cable).delete()
    linking.suggest_for_cables([cable.pk])
    suggested = list(Suggestion.objects.filter(cable=cable))
    cited = [s for s in suggested if s.cited]
    assert 1 <= len(cited) <= 3 and {s.question.requirement_set_id for s in cited} == {sets[0].pk}
    others = [s for s in suggested if s.question.requirement_set_id == sets[1].pk]
    assert others and not any(s.cited for s in others)  # the general ranker's, kept beside them
    assert len(suggested) <= 6


def test_a_reply_of_unnumbered_text_alone_is_suggested_and_accepted_as_the_whole_cable(tmp_path, role_user, client):
    """A short reply is often one unnumbered paragraph ("Poloff delivered reftel points ..."): it is ranked
    like any numbered paragraph, suggested once as the cable's unnumbered text (the best of its stretches),
    and accepted it is logged as the whole cable."""
    _import("09STATE6423")
    requirement_set = requirements.create_set(Cable.objects.get(reference_id="09STATE6423"))
    (tmp_path / "reply.txt").write_text(
        "R 011200Z APR 09\nFM AMEMBASSY CARACAS\nTO SECSTATE WASHDC 0101\nBT\nS E C R E T CARACAS 000402\n\n"
        "E.O. 12958: DECL: 03/12/2019\nTAGS: PTER VE IR\nSUBJECT: (S) IRANIAN BANKS IN VENEZUELA\n\n"
        "Classified By: Ambassador Patrick Duddy for reasons 1.4 (b) and (d).\n\n"
        "(S) Iranian officials and Hizballah financiers met Venezuelan ministers in Caracas; the IRGC and "
        "Iranian banks expanded flights, factories and military cooperation, and Chavez praised Ahmadinejad.\n\n"
        "Terrorism financing through the Tri-Border Area and Margarita Island by Iranian banks continues.\n\n"
        "DUDDY\n")
    import_paths([tmp_path / "reply.txt"])
    cable = Cable.objects.get(reference_id="09CARACAS402")
    assert cable.paragraphs.exists() and not cable.paragraphs.exclude(number=None).exists()
    Suggestion.objects.filter(cable=cable).delete()
    assert linking.suggest_for_cables([cable.pk]) > 0
    suggested = list(Suggestion.objects.filter(cable=cable))
    assert suggested and {s.paragraph_number for s in suggested} == {""}
    assert len({s.question_id for s in suggested}) == len(suggested)  # one per question, not per stretch
    assert linking.suggest_for_cables([cable.pk]) == 0  # stored once
    best = max(suggested, key=lambda s: s.score)
    assert best.question.requirement_set == requirement_set and best.place == "unnumbered text"

    analyst = role_user("ana", clearance="SECRET")
    client.force_login(analyst)
    page = client.get(cable.get_absolute_url()).content.decode()
    assert re.search(r"unnumbered text(</a>)? may answer", page) and "¶ may answer" not in page
    response = responses.accept(best, analyst)
    assert response.paragraph_numbers == [] and response.cable == cable  # the whole cable


def test_of_several_unnumbered_stretches_the_best_is_kept_and_unnumbered_text_stricter_than_its_cable_is_not_ranked(
        tmp_path, role_user):
    """`_store` keeps the best scoring of a cable's unnumbered stretches for a question, whichever comes first;
    an unnumbered (S//NF) passage of a SECRET cable is never suggested: accepted, it would be logged as the
    whole cable, which a reader without NOFORN may see. Logging the cable later takes the suggestion up."""
    from types import SimpleNamespace

    _import("09STATE6423")
    requirement_set = requirements.create_set(Cable.objects.get(reference_id="09STATE6423"))
    question = requirement_set.questions.order_by("order").first()
    reply = ("R 011200Z APR 09\nFM AMEMBASSY CARACAS\nTO SECSTATE WASHDC 0101\nBT\nS E C R E T CARACAS 0004{n}\n\n"
             "E.O. 12958: DECL: 03/12/2019\nTAGS: PTER VE IR\nSUBJECT: (S) IRANIAN BANKS IN VENEZUELA\n\n"
             "{mark} Iranian officials and Hizballah financiers met Venezuelan ministers in Caracas; the IRGC "
             "and Iranian banks expanded flights and factories.\n\nMore of the same from Iranian banks.\n\nDUDDY\n")
    for n, mark in (("03", "(S)"), ("04", "(S//NF)")):
        (tmp_path / f"reply{n}.txt").write_text(reply.format(n=n, mark=mark))
    import_paths([tmp_path / "reply03.txt", tmp_path / "reply04.txt"])
    plain, noforn = (Cable.objects.get(reference_id=f"09CARACAS4{n}") for n in ("03", "04"))
    first, second = plain.paragraphs.get(), noforn.paragraphs.get()  # two stretches, as `_store` is told

    def match(paragraph, score):
        return SimpleNamespace(question=question.pk, paragraph=paragraph.pk, score=score,
                               evidence=SimpleNamespace(as_dict=lambda: {"terms": ["iran"]})), False

    Suggestion.objects.all().delete()
    where = {first.pk: (plain.pk, ""), second.pk: (plain.pk, "")}
    assert linking._store([match(first, 0.2), match(second, 0.6)], where) == 1
    assert Suggestion.objects.get().paragraph_id == second.pk  # the better, though it came second
    Suggestion.objects.all().delete()
    linking.suggest_for_cables([plain.pk, noforn.pk])
    assert Suggestion.objects.filter(cable=plain).exists()
    assert not Suggestion.objects.filter(cable=noforn).exists()
    linking.suggest_for_questions([question.pk])
    assert not Suggestion.objects.filter(cable=noforn).exists()
    taken = Suggestion.objects.filter(cable=plain).first()
    responses.log(role_user("ana"), plain, [taken.question], [], "partly")
    taken.refresh_from_db()
    assert taken.state == Suggestion.ACCEPTED  # the cable answers the question now: nothing left to accept
