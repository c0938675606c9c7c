"""tracker.extraction.tasking_signals on a Department cable made only of requests that name the posts they ask
("Embassy Baku is requested to report on ...", "Posts in the region are asked to assess ...", "Embassy Ankara should
seek ..."): no question mark, no collection reference to cite, no numbered question list. `extract` reads such
requests as questions; detection now reads them alike. What stays none: a readout that tells what posts were asked
or requested, a demarche's requests to report how it was received, a lone request, a post's own cable. Invented
cables, each read as sent and (the Department's) as its flattened viewer page. Pure: runs without a database."""
import pytest

from cables.parsing import parse_cable_text
from tests.tracker.test_extraction_session14 import both, raw
from tracker.extraction import extract, tasking_signals


@pytest.fixture(autouse=True)
def _media_root():
    """These tests touch no files and no settings: stand in for the project's Django-settings fixture."""


CASPIAN = ["AMEMBASSY BAKU", "AMEMBASSY ANKARA", "AMEMBASSY TBILISI", "AMEMBASSY ASHGABAT"]
CASPIAN_BODY = """\
1. (C) The Department is preparing for the Caspian energy ministerial in Ashgabat in November and is reviewing the
prospects for gas transit across the Caspian.

2. (C) Embassy Baku is requested to report on the state of SOCAR's negotiations with Gazprom over 2010 volumes.

3. (C) Posts in the region are asked to assess host government interest in a trans-Caspian pipeline.

4. (C) Embassy Ankara should seek the views of BOTAS officials on the transit tariffs they will propose.
"""


def cable(body: str, to: list[str], form: int, **fields):
    return both(body, to, classification="C O N F I D E N T I A L", **fields)[form]


@pytest.mark.parametrize("form", [0, 1], ids=["written", "flattened"])
def test_a_department_cable_made_only_of_requests_naming_posts_is_a_tasking(form):
    """Before, none: the requests were no questions to detection, though `extract` read three."""
    caspian = cable(CASPIAN_BODY, CASPIAN, form, subject="(C) CASPIAN GAS TRANSIT")
    assert tasking_signals(caspian) == ("asks 3 questions addressed to posts", "'posts are asked to report'")
    assert len(extract(caspian).questions) == 3  # the count detection gives is the set's


@pytest.mark.parametrize("form", [0, 1], ids=["written", "flattened"])
def test_requests_of_the_posts_by_kind_or_code_in_capitals_are_a_tasking(form):
    body = """\
1. (S) SUMMARY: WASHINGTON AGENCIES ARE ASSESSING THE SECURITY COUNCIL'S OPTIONS ON NORTH KOREAN SHIPPING.

2. (S) USUN SHOULD SEEK THE VIEWS OF THE PANEL OF EXPERTS COORDINATOR ON CARGO INSPECTIONS IN THIRD COUNTRIES.

3. (S) ALL ADDRESSEES ARE REQUESTED TO IDENTIFY ANY NORTH KOREAN-FLAGGED VESSEL CALLING AT HOST COUNTRY PORTS SINCE
JUNE.
"""
    shipping = cable(body, ["USUN NEW YORK", "AMEMBASSY SINGAPORE", "AMEMBASSY KUALA LUMPUR"], form)
    signals = tasking_signals(shipping)
    assert signals[0].startswith("asks 2 questions")
    assert "'posts are asked to report'" in signals


def test_one_named_request_beside_a_request_of_no_one_named_is_a_tasking():
    body = """\
1. (C) The Department is reviewing Georgia's readiness for the donors' conference in Brussels.

2. (C) Embassy Tbilisi is asked to report on the government's plans to spend the reconstruction aid pledged in
2008.

3. (C) Please also describe any steps the opposition has taken to monitor the spending.
"""
    tbilisi = cable(body, ["AMEMBASSY TBILISI", "USEU BRUSSELS"], 0)
    assert tasking_signals(tbilisi)[0] == "asks 2 questions addressed to posts"


# ----------------------------------------------------------------------------- what stays no tasking

READOUT = """\
1. (C) Summary: Under Secretary Burns met Turkish Foreign Minister Davutoglu on March 3. Embassy Ankara was asked by
the MFA to explain the U.S. position on the talks. Posts requested a meeting with the Greek Foreign Minister, and we
requested that the minister provide the text of the Greek proposal. End summary.

2. (C) Davutoglu said Embassy Ankara should report his concerns to Washington, and that Embassy Athens must seek
clarification from the Greeks. He asked whether the United States would attend the Geneva meeting.

3. (C) Posts are requested to respond by March 20. Embassy Ankara is to provide a readout of the Prime Minister's
remarks no later than March 25.
"""
NON_PAPER = """\
1. (C) Action request: Embassies Ankara and Athens are requested to deliver the non-paper in paragraph 3 to host
government officials at the highest appropriate level before the leaders meet in New York.

2. (C) Embassy Ankara should report the MFA's reaction, and Embassy Athens that of the Greek government.

3. (C) Begin non-paper:
-- The United States welcomes the resumption of direct talks on Cyprus.
-- We urge both governments to avoid public statements that could prejudge the outcome.
End non-paper.

4. (C) Embassy Nicosia should report any reaction from the two community leaders to the non-paper.
"""
DEMARCHE = """\
1. (C) Action request: The Department requests that posts demarche host governments on the Cyprus talks before the
leaders meet in New York.

2. (C) Embassy Ankara should report the reaction of the MFA to the demarche.

3. (C) Embassy Athens should report the reaction of the Greek government to the demarche.
"""
LONE = """\
1. (C) The Department is reviewing Cyprus's plans for its EU presidency. Embassy Nicosia is requested to report on
the government's priorities for the presidency.
"""


@pytest.mark.parametrize("form", [0, 1], ids=["written", "flattened"])
@pytest.mark.parametrize("body", [READOUT, NON_PAPER, DEMARCHE, LONE], ids=["readout", "non-paper", "demarche", "lone"])
def test_what_posts_were_asked_a_demarche_s_reporting_and_a_lone_request_task_nothing(body, form):
    """A readout tells what posts were asked or asked for (reported speech, dates to reply by); a demarche asks how
    what posts delivered was received, though `extract` reads its requests (the non-paper's two); one request alone
    is no set of questions."""
    assert tasking_signals(cable(body, ["AMEMBASSY ANKARA", "AMEMBASSY ATHENS", "AMEMBASSY NICOSIA"], form)) == ()


def test_a_post_s_cable_naming_posts_in_its_requests_tasks_nothing():
    """A post writing to Washington about what posts should find out asks for guidance, not collection."""
    text = raw("""\
1. (C) Summary: Embassy Baku was asked by SOCAR on March 3 whether Washington would back a trans-Caspian pipeline.
Post requested a meeting with the Energy Minister, who asked that the Embassy report his views. End summary.

2. (C) Embassy Baku should report further developments septel. Embassy Ashgabat is requested to report on
Turkmen views of the pipeline, as SOCAR's officials told us they had none.
""", ["SECSTATE WASHDC", "AMEMBASSY ASHGABAT"], classification="C O N F I D E N T I A L", sender="AMEMBASSY BAKU",
        subject="(C) AZERBAIJAN: SOCAR ON TRANS-CASPIAN GAS")
    assert tasking_signals(parse_cable_text(text)) == ()
