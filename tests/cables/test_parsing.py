"""parse_cable_text on cable text as it was sent: header fields, references, paragraphs, headings, the
damaged-text detector and the signature. Pure: runs without Django (-p no:django)."""
from datetime import UTC, datetime

import pytest

from cables.parsing import (
    ParseError,
    Reference,
    collection_references,
    is_damaged,
    origin_from_sender,
    parse_cable_text,
    resolve_reference,
)


@pytest.fixture(autouse=True)
def _media_root():
    """These tests touch no files and no settings: stand in for the project's Django-settings fixture."""


RAW_CABLE = """\
VZCZCXRO1234
PP RUEHAG RUEHROV
DE RUEHMO #0412/01 0621530
ZNY SSSSS ZZH
P 031530Z MAR 09
FM AMEMBASSY MOSCOW
TO RUEHC/SECSTATE WASHDC PRIORITY 2345
INFO RUEHXD/MOSCOW POLITICAL COLLECTIVE PRIORITY
RUEHUB/USINT HAVANA PRIORITY 0031
RHEHNSC/NSC WASHDC PRIORITY
RUEKJCS/SECDEF WASHDC PRIORITY
BT
S E C R E T SECTION 01 OF 02 MOSCOW 000412

NOFORN
SIPDIS

E.O. 12958: DECL: 03/03/2019
TAGS: PREL PINR MARR RS CU VE
SUBJECT: (C) RUSSIAN OUTREACH TO CUBA AND VENEZUELA: RESPONSE
TO INR QUESTIONS (C-AL8-02836)

REF: A. STATE 6423
     B. 08 MOSCOW 3526

Classified By: Political Minister Counselor Alice G. Wells for
reasons 1.4 (b) and (d).

-------
Summary
-------

1. (S/NF) This cable answers the questions in ref A.
Moscow sees Havana and Caracas as customers, not allies.  End
summary.

-------------------
Arms and Customers
-------------------

2. (S//NF) Rosoboronexport officials told us that arms sales to
Caracas would continue "as long as Chavez pays," and that the

MOSCOW 00000412  002 OF 002

Cuban debt still stands at USD 20 billion.

S E C R E T SECTION 02 OF 02 MOSCOW 000412

A. (C) For Havana watchers: contacts saw no new credit line.

1) (S/NF) The MFA's Latin America department said the
credit talks stalled in February.

2) (C/NF) A think-tank expert disagreed.

Comment
-------

3. (U) Expect more visits, and few deliveries.  End
comment.
BEYRLE
BT
#0412
NNNN
"""


@pytest.fixture(scope="module")
def cable():
    return parse_cable_text(RAW_CABLE)


def test_a_raw_cable_gets_its_identity_from_the_classification_line_and_the_dtg(cable):
    assert cable.reference_id == "09MOSCOW412"
    assert cable.created == datetime(2009, 3, 3, 15, 30, tzinfo=UTC)
    assert cable.released is None
    assert cable.classification == "SECRET//NOFORN"
    assert cable.origin == "Embassy Moscow"
    assert cable.form == "raw"
    assert cable.partial is False


def test_a_raw_cable_has_its_routing_fields_without_routing_prefixes(cable):
    assert cable.dtg == "031530Z MAR 09"
    assert cable.sender == "AMEMBASSY MOSCOW"
    assert cable.to == ("SECSTATE WASHDC",)
    assert cable.info == ("MOSCOW POLITICAL COLLECTIVE", "USINT HAVANA", "NSC WASHDC", "SECDEF WASHDC")


def test_a_raw_cable_has_its_tags_subject_and_classification_authority(cable):
    assert cable.tags == ("PREL", "PINR", "MARR", "RS", "CU", "VE")
    assert cable.subject == "(C) RUSSIAN OUTREACH TO CUBA AND VENEZUELA: RESPONSE TO INR QUESTIONS (C-AL8-02836)"
    assert cable.classified_by == "Political Minister Counselor Alice G. Wells"
    assert cable.classification_reason == "1.4 (b) and (d)"
    assert cable.signature == "BEYRLE"


def test_lettered_refs_resolve_to_reference_ids_with_the_citing_cables_year(cable):
    assert cable.references == (
        Reference("A", "STATE 6423", "09STATE6423"),
        Reference("B", "08 MOSCOW 3526", "08MOSCOW3526"),
    )
    assert cable.collection_references == ("C-AL8-02836",)


def test_paragraphs_carry_numbers_markings_and_the_headings_printed_above_them(cable):
    assert [(p.number, p.marking, p.heading) for p in cable.paragraphs] == [
        ("1", "S//NF", "Summary"),
        ("2", "S//NF", "Arms and Customers"),
        ("A", "C", ""),
        ("A.1", "S//NF", ""),
        ("A.2", "C//NF", ""),
        ("3", "U", "Comment"),
    ]
    assert not any(p.damaged for p in cable.paragraphs)
    assert cable.paragraphs[0].text.startswith("This cable answers the questions in ref A.")
    assert cable.paragraphs[-1].text == "Expect more visits, and few deliveries.  End\ncomment."


def test_a_sentence_cut_by_a_page_break_joins_up_again(cable):
    assert cable.paragraphs[1].text.endswith('and that the\nCuban debt still stands at USD 20 billion.')


def test_page_break_and_section_lines_are_gone_from_header_body_and_paragraphs(cable):
    texts = [cable.header, cable.body, *(p.text for p in cable.paragraphs)]
    assert not any("002 OF 002" in text or "SECTION 02 OF 02" in text for text in texts)
    assert "SECTION 01 OF 02 MOSCOW 000412" in cable.header  # the classification line stays in the header


def test_the_signature_and_end_of_message_marks_are_not_paragraph_text(cable):
    last = cable.paragraphs[-1].text
    assert "BEYRLE" not in last and "NNNN" not in last and "#0412" not in last


# ----------------------------------------------------------------------------- other layouts


def minimal_cable(body: str, header: str = "") -> str:
    """A cable around `body`: routing, classification line and E.O., then `header` lines."""
    return (
        "R 051200Z JAN 09\nFM AMEMBASSY ROME\nTO SECSTATE WASHDC 1234\n\n"
        "C O N F I D E N T I A L ROME 000123\n\nSIPDIS\n\nE.O. 12958: DECL: 01/05/2019\n"
        f"{header}\n\n{body}"
    )


def test_tags_without_a_colon_subj_and_reftel_are_read_like_their_long_forms():
    cable = parse_cable_text(minimal_cable(
        "1. (C) Text.\n", "TAGS PGOV, PREL, IT\nSUBJ: ITALY: A SHORT SUBJECT\nREFTEL: STATE 1234\n"))
    assert cable.tags == ("PGOV", "PREL", "IT")
    assert cable.subject == "ITALY: A SHORT SUBJECT"
    assert cable.references == (Reference("", "STATE 1234", "09STATE1234"),)


def test_tags_on_the_eo_line_and_a_ref_line_without_subject_are_read():
    cable = parse_cable_text(minimal_cable(
        "1. (S/NF) Text.\n", "E.O. 12958: DECL: 06/29/2034 TAGS: PINR PREL PGOV CU RS\n\nREF: STATE 40419\n"))
    assert cable.tags == ("PINR", "PREL", "PGOV", "CU", "RS")
    assert cable.subject == ""
    assert cable.references == (Reference("", "STATE 40419", "09STATE40419"),)


def test_header_fields_a_reflowed_page_ran_onto_one_line_are_each_read():
    header = ("TAGS: ECON EFIN LY\n\nSUBJECT: CHINESE FIRMS IN LIBYA REF: A) TRIPOLI 901; B) STATE 117546 "
              "CLASSIFIED BY: Gene A. Cretz, Ambassador. REASON: 1.4 (b), (d)")
    cable = parse_cable_text(minimal_cable("1.(C) Text.\n", header))
    assert cable.subject == "CHINESE FIRMS IN LIBYA"
    # a cable of 5 January 2009 cannot cite the Department's 117,546th cable of that year: it is 2008's
    assert [r.reference_id for r in cable.references] == ["09TRIPOLI901", "08STATE117546"]
    assert (cable.classified_by, cable.classification_reason) == ("Gene A. Cretz, Ambassador", "1.4 (b), (d)")


def test_a_subject_label_alone_takes_the_next_line_without_the_caveat_run_onto_it():
    header = "TAGS: ECON EG\nSUBJECT:\n\nINVESTMENT SCANDAL ADDS TO STOCK MARKET WOES Sensitive but unclassified. Ple"
    cable = parse_cable_text(minimal_cable("1. (U) Text.\n", header))
    assert cable.subject == "INVESTMENT SCANDAL ADDS TO STOCK MARKET WOES"


def test_a_capitalised_line_between_tags_and_ref_is_the_subject_even_without_a_label():
    header = "TAGS: PGOV PHUM EG\n\nBLOGGERS MOVING FROM ACTIVISM TO BROADER DISCOURSE\n\nREF: CAIRO 468"
    cable = parse_cable_text(minimal_cable("1. (C) Text.\n", header))
    assert cable.subject == "BLOGGERS MOVING FROM ACTIVISM TO BROADER DISCOURSE"


def test_tags_run_together_are_split_into_subject_tags_and_the_country():
    cable = parse_cable_text(minimal_cable("1. (U) Text.\n", "TAGS: KFRDCVISCMGTCASCEG\n"))
    assert cable.tags == ("KFRD", "CVIS", "CMGT", "CASC", "EG")


def test_a_distribution_list_is_no_addressee_and_a_telegram_page_line_is_no_text():
    text = """\
This record is a partial extract of the original cable. The full text of the original cable is not available.

291359Z Nov 00

                           CONFIDENTIAL     PTQ1859

PAGE 01        HARARE  06677  01 OF 03  291400Z
ACTION AF-00

INFO  LOG-00   NP-00    AID-00   ACQ-00   CEA-01
      SAS-00   SWCI-00    /012W
                  ------------------A54E38  291401Z /38
FM AMEMBASSY HARARE
TO SECSTATE WASHDC IMMEDIATE 7738
INFO NSC WASHDC IMMEDIATE
AMEMBASSY NAIROBI

C O N F I D E N T I A L SECTION 01 OF 03 HARARE 006677
EO 12958 DECL: 11/29/10
TAGS PGOV, PREL, ZI
SUBJECT: ASSISTANT SECRETARY MEETS WITH ZIMBABWE
 CONFIDENTIAL
PAGE 02 HARARE 06677 01 OF 03 291400Z OPPOSITION LEADER
REFTEL: HARARE 6584
CLASSIFIED BY AMBASSADOR TOM MCDONALD FOR REASONS 1.5 (B) AND (D).
1. (C) SUMMARY: THE MDC WANTS A TRANSITIONAL GOVERNMENT, ESSENTIALLY, A  CONFIDENTIAL
PAGE 03 HARARE 06677 01 OF 03 291400Z COALITION GOVERNMENT. END SUMMARY.
2. (U) A/S RICE HAS CLEARED THIS MESSAGE.
MCDONALD
 CONFIDENTIAL
>
"""
    cable = parse_cable_text(text)
    assert cable.partial is True
    assert cable.reference_id == "00HARARE6677"
    assert (cable.sender, cable.to, cable.info) == ("AMEMBASSY HARARE", ("SECSTATE WASHDC",),
                                                    ("NSC WASHDC", "AMEMBASSY NAIROBI"))
    assert cable.subject == "ASSISTANT SECRETARY MEETS WITH ZIMBABWE OPPOSITION LEADER"
    assert cable.references == (Reference("", "HARARE 6584", "00HARARE6584"),)
    assert cable.paragraphs[0].text == ("SUMMARY: THE MDC WANTS A TRANSITIONAL GOVERNMENT, ESSENTIALLY, A\n"
                                        "COALITION GOVERNMENT. END SUMMARY.")
    assert cable.signature == "MCDONALD"


def test_a_from_line_with_a_colon_names_the_sender():
    cable = parse_cable_text(
        "301931Z OCT 09\nFrom: AMCONSUL TIJUANA\n\nUNCLAS TIJUANA 001116\n\nTAGS: KCRM MX\n\n(SBU) SUMMARY: Text.\n")
    assert (cable.sender, cable.origin) == ("AMCONSUL TIJUANA", "Consulate Tijuana")
    assert cable.reference_id == "09TIJUANA1116"
    assert [(p.number, p.marking) for p in cable.paragraphs] == [(None, "SBU")]


# ----------------------------------------------------------------------------- paragraphs


def test_paragraphs_without_markings_count_only_where_they_continue_the_numbering():
    body = ("1. Embassy delivered the demarche.\n\n2. The MFA said it would\nconsider it; the vote is on\n"
            "7. March, so we will follow up.\n\n3. Comment: we expect support.\n")
    cable = parse_cable_text(minimal_cable(body).replace("C O N F I D E N T I A L", "UNCLAS"))
    assert [p.number for p in cable.paragraphs] == ["1", "2", "3"]
    assert "7. March" in cable.paragraphs[1].text


def test_a_classification_reason_wrapped_onto_its_own_line_is_no_paragraph():
    header = "TAGS: PREL IT\nSUBJECT: S\n\nClassified By: Ambassador Ronald P. Spogli, Reasons\n1.4 (b) and (d).\n"
    cable = parse_cable_text(minimal_cable("1. (C) Text.\n", header))
    assert cable.classification_reason == "1.4 (b) and (d)"
    assert [p.number for p in cable.paragraphs] == ["1"]


def test_paragraphs_a_reflowed_page_ran_together_are_split_again():
    body = "1. (C) First point ends here. 2.  (S/NF) Second point. 3. (C) Third point.\n"
    cable = parse_cable_text(minimal_cable(body))
    assert [(p.number, p.marking, p.text) for p in cable.paragraphs] == [
        ("1", "C", "First point ends here."), ("2", "S//NF", "Second point."), ("3", "C", "Third point.")]


def test_lettered_sections_and_items_without_markings_nest_under_the_numbered_paragraph():
    body = ("1. (S/NF) Priority issues outline:\nA. Terrorism and Crime\n1) Terrorist Threats (TERR-2)\n"
            "2) Money Laundering (MONY-3)\nB. Political Dynamics\n1) Political Stability (DEPS-3)\n"
            "2. (S/NF) Reporting needs: the Embassy met with\nA. RAHMAN, the director.\n")
    cable = parse_cable_text(minimal_cable(body))
    assert [p.number for p in cable.paragraphs] == ["1", "A", "A.1", "A.2", "B", "B.1", "2"]
    assert cable.paragraphs[-1].text.endswith("met with\nA. RAHMAN, the director.")


def test_text_before_the_first_numbered_paragraph_is_an_unnumbered_paragraph_with_its_marking():
    body = "(SBU) SUMMARY: Violence is down.  END SUMMARY.\n\n2. (SBU) Local officials agree.\n"
    cable = parse_cable_text(minimal_cable(body).replace("C O N F I D E N T I A L", "UNCLAS"))
    assert [(p.number, p.marking, p.text) for p in cable.paragraphs] == [
        (None, "SBU", "SUMMARY: Violence is down.  END SUMMARY."), ("2", "SBU", "Local officials agree.")]


@pytest.mark.parametrize(
    ("between", "heading"),
    [
        ("\n-------\nCOMMENT\n-------\n\n", "COMMENT"),
        ("\n\n--------------------------------------------- ---\n\nUK BELIEVES MEGRAHI DEATH IMMINENT\n\n"
         "--------------------------------------------- ---\n\n", "UK BELIEVES MEGRAHI DEATH IMMINENT"),
        ('\n\n"Pragmatic Cooperation"\n-----------------------\n\n', "Pragmatic Cooperation"),
        ("\n\n----------------------- LULA AND THE SUCCESSION -----------------------\n\n", "LULA AND THE SUCCESSION"),
        ("\n\nComment\n\n", "Comment"),
        (" Ali Salman Appeals for Calm ---------------------------------\n\n", "Ali Salman Appeals for Calm"),
        ("\n\nA POLITICAL GESTURE...\n----------------------\n\n", "A POLITICAL GESTURE..."),
    ],
    ids=["framed", "framed-with-blank-lines", "quoted-underlined", "dashes-both-sides", "set-off", "run-on",
         "ellipsis"],
)
def test_a_heading_above_a_paragraph_is_moved_to_it_and_out_of_the_text_before(between, heading):
    cable = parse_cable_text(minimal_cable(f"1. (C) There were no disturbances.{between}2. (C) Text.\n"))
    assert [(p.number, p.heading) for p in cable.paragraphs] == [("1", ""), ("2", heading)]
    assert cable.paragraphs[0].text == "There were no disturbances."


@pytest.mark.parametrize("line", ["The talks went well.", "-- the Minister of Defense", "SENSITIVE BUT UNCLASSIFIED"])
def test_a_sentence_a_bullet_or_a_caveat_before_a_paragraph_is_no_heading(line):
    cable = parse_cable_text(minimal_cable(f"1. (C) Text.\n\n{line}\n\n2. (C) Text.\n"))
    assert cable.paragraphs[1].heading == ""
    assert cable.paragraphs[0].text.endswith(line)


# ----------------------------------------------------------------------------- damaged text

CORRUPTED = [
    "yielded many substantive cooperative arrangementsbm+h$\\[QQ6DQ--",
    "Medvedev in VenezujAD=QKmQQqd aluminum",
    'PDVSA were also reached for joint exploration of t~{2"y agreement,',
    "signed, and included dialogu2$y-QQ- (SBU) Although no time tables",
    "a stretch with a control byte \x07 in it",
]
ORDINARY = [
    "a loan of USD $350 million, R$20 billion and about ~50 percent of $1.2bn",
    "numerous land and property \"pi$atas\" that bring huge amounts",  # one mis-encoded letter, not noise
    "Visit http://www.state.sgov.gov/p/wha/mexicocity?id=3&x=y or write to RSO@state.gov",
    "DE RUEHMO #3526/01 3401423 and the #1 priority",
    "=======================CABLE ENDS============================",
    "| Country | 2007 | 2008 |",
    "+---------+------+------+",
    "X = Y + Z, so a=b; <<quoted>> ==> next; C++ and G8+5",
    "GRISHNA DANAELOV[2] GANCHEV said [sic] the [recent] violence",
    "(C) Shelter ХХХХХХХХХХХХ told XXXXXXXXXXXX that HRDF provides a homelike environment",
    "Lula,s oldest brother (&Vava8) and the GCC,S plan",
]


@pytest.mark.parametrize("line", CORRUPTED)
def test_line_noise_fused_into_words_is_damage(line):
    assert is_damaged(line)


@pytest.mark.parametrize("line", ORDINARY)
def test_ordinary_symbols_urls_tables_redactions_and_garbled_quotes_are_not_damage(line):
    assert not is_damaged(line)


def test_a_corrupted_stretch_is_split_off_into_an_unnumbered_damaged_paragraph():
    body = ("5. (SBU) Russia was still in the early stages and had not yet\n"
            "yielded many cooperative arrangementsbm+h$\\[QQ6DQ--\nMedvedev in VenezujAD=QKmQQqd aluminum\n\n"
            "8. (SBU) In Peru, Medvedev signed one accord.\n")
    cable = parse_cable_text(minimal_cable(body))
    assert [(p.number, p.damaged) for p in cable.paragraphs] == [("5", False), (None, True), ("8", False)]
    assert cable.paragraphs[0].text.endswith("had not yet")
    assert "QQ6DQ" in cable.paragraphs[1].text


# ----------------------------------------------------------------------------- references and CAL numbers


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("STATE 6423", "09", "09STATE6423"),
        ("SECSTATE 146213", "05", "05STATE146213"),
        ("08 MOSCOW 3526", "09", "08MOSCOW3526"),
        ("2008 BRASILIA 1636", "09", "08BRASILIA1636"),
        ("KABUL 5679 06", "07", "06KABUL5679"),
        ("THE HAGUE 1196", "07", "07THEHAGUE1196"),
        ("STATE 006210 (C-NE9-00043) (NOTAL)", "09", "09STATE6210"),
        ("SAN JOSE 1841 (ALL NOTAL)", "08", "08SANJOSE1841"),
        ("TD-314/40895-07", "08", None),
        ("IIR 6 876 0037 08", "09", None),
        ("KUBISKE-MCMULLEN 9/11 TELCON", "08", None),
        ("MAY 1 GILLARD-TREMONT LETTER", "08", None),
        ("PREVIOUS", "09", None),
    ],
)
def test_a_cited_cable_resolves_to_its_reference_id_and_other_documents_do_not(text, year, expected):
    assert resolve_reference(text, year) == expected


@pytest.mark.parametrize(
    "ref_lines",
    [
        "REF: A. (A) STATE 6423\n     B. (B) MOSCOW 3526",
        "REF: A. A. STATE 6423 B. B. MOSCOW 3526",
        "REF: A)STATE 6423 B) MOSCOW 3526",
        "REF: A. STATE 6423\n\n     B. MOSCOW 3526",
        "REF:\nA. STATE 6423\nB. MOSCOW 3526",
    ],
    ids=["labels-repeated-in-parentheses", "labels-doubled", "no-space-after-label", "blank-line-between",
         "refs-below-the-label"],
)
def test_lettered_refs_are_read_in_their_various_spellings(ref_lines):
    cable = parse_cable_text(minimal_cable("1. (C) Text.\n", f"TAGS: PREL\nSUBJECT: S\n{ref_lines}\n"))
    assert [(r.label, r.reference_id) for r in cable.references] == [("A", "09STATE6423"), ("B", "09MOSCOW3526")]


def test_a_ref_the_viewer_cut_off_is_kept_but_not_resolved():
    cable = parse_cable_text(minimal_cable("1. (C) Text.\n", "TAGS: PREL\nREF: A. ROME 1701\n     B. SECSTATE 1...\n"))
    assert cable.references == (Reference("A", "ROME 1701", "09ROME1701"), Reference("B", "SECSTATE 1", None))


def test_cal_numbers_are_collected_once_each_in_canonical_form():
    text = "(C-AL8-02836) PLEASE CITE c-al8-02836 AND C-NE9-00043; CAL802836 IS NOT ONE"
    assert collection_references(text) == ("C-AL8-02836", "C-NE9-00043")


# ----------------------------------------------------------------------------- signatures


@pytest.mark.parametrize(
    ("ending", "signature"),
    [
        ("End comment.\nCLINTON\n", "CLINTON"),
        ("End comment.\n\n\nCLINTON\n\n=======================CABLE ENDS============================\n", "CLINTON"),
        ("End comment.\nMCDONALD\n CONFIDENTIAL\n>\n", "MCDONALD"),
        ("End comment.\nVAN VOORST\nNNNN\nEnd Cable Text\n XXXXXXXXXXXX\n", "VAN VOORST"),
        ("End comment.\nSusman...\n", "Susman"),
        ("End comment.\n\nSULLIVAN\n\nCONFIDENTIAL\n\nDeclassified/Released US Department of State EO\n"
         "Systematic Review 30 JUN 2006\n", "SULLIVAN"),
        ("the region. End comment. CRETZ\n", "CRETZ"),
        ("the region. End comment. Scobey\n", "Scobey"),
        ("ready.  END COMMENT MULFORD\n", "MULFORD"),
        ("Visit London's Classified Website: XXXXXXXXXXXX TUTTLE\n", "TUTTLE"),
        ("********************************************* ******** ERELI\n", "ERELI"),
    ],
)
def test_the_senders_name_closing_the_cable_is_its_signature(ending, signature):
    cable = parse_cable_text(minimal_cable(f"1. (C) Text.\n\n2. (C) More text in {ending}"))
    assert cable.signature == signature
    assert signature not in cable.paragraphs[-1].text


@pytest.mark.parametrize(
    "ending",
    [
        "the Chinese spotlight to push for WTO\n",
        "the Ambassador then met with the\nFOREIGN MINISTER\n",
        "weapons development by\nIRAN?\n",
        "the talks continue.\nEND COMMENT.\n",
        "the talks. The\n",
        "the talks continue.\nK\n",
    ],
)
def test_the_last_words_of_a_paragraph_are_no_signature(ending):
    cable = parse_cable_text(minimal_cable(f"1. (C) Text about {ending}"))
    assert cable.signature == ""


# ----------------------------------------------------------------------------- refusals


def test_empty_text_is_refused():
    with pytest.raises(ParseError, match="empty"):
        parse_cable_text("  \n ")


def test_text_without_a_reference_id_or_classification_line_is_refused():
    with pytest.raises(ParseError, match="no reference ID"):
        parse_cable_text("Some notes about a cable, but no cable.\n")


# ----------------------------------------------------------------------------- caveats, markings, references

def raw_cable(class_line: str, caveat_line: str = "", body: str = "1. (C) Text.") -> str:
    return (
        "R 051200Z JAN 09\nFM AMEMBASSY MOSCOW\nTO SECSTATE WASHDC 1234\nBT\n"
        f"{class_line}\n{caveat_line}\n\nE.O. 12958: DECL: 01/05/2019\nTAGS: PREL\nSUBJECT: TEST\n\n{body}\n\nBEYRLE\n"
    )


@pytest.mark.parametrize("class_line, caveat_line, reference_id, classification", [
    ("SECRET//NOFORN MOSCOW 001730", "", "09MOSCOW1730", "SECRET//NOFORN"),
    ("SECRET NOFORN MOSCOW 001730", "", "09MOSCOW1730", "SECRET//NOFORN"),
    ("UNCLAS SENSITIVE SECTION 01 OF 02 MOSCOW 001730", "", "09MOSCOW1730", "UNCLASSIFIED//FOR OFFICIAL USE ONLY"),
    ("UNCLAS E F T O MOSCOW 001730", "", "09MOSCOW1730", "UNCLASSIFIED"),
    ("C O N F I D E N T I A L MOSCOW 001730 EXDIS", "", "09MOSCOW1730", "CONFIDENTIAL"),
    ("S E C R E T STATE 076000 TOSEC 030047", "", "09STATE76000", "SECRET"),
    ("UNCLAS MOSCOW 001730", "SENSITIVE, SIPDIS", "09MOSCOW1730", "UNCLASSIFIED//FOR OFFICIAL USE ONLY"),
    ("S E C R E T MOSCOW 001730", "SIPDIS NOFORN", "09MOSCOW1730", "SECRET//NOFORN"),
    ("S E C R E T MOSCOW 001730", "EXDIS NOFORN", "09MOSCOW1730", "SECRET//NOFORN"),
    ("C O N F I D E N T I A L MOSCOW 001730", "SIPDIS", "09MOSCOW1730", "CONFIDENTIAL"),
    ("S E C R E T MOSCOW 001730", "NOFORN.", "09MOSCOW1730", "SECRET//NOFORN"),
    ("S E C R E T MOSCOW 001730", "NOFORN-SIPDIS", "09MOSCOW1730", "SECRET//NOFORN"),
    ("S E C R E T MOSCOW 001730", "NOFORNSIPDIS", "09MOSCOW1730", "SECRET//NOFORN"),
])
def test_caveats_beside_or_under_the_classification_line(class_line, caveat_line, reference_id, classification):
    """NOFORN written anywhere among the caveats is kept (it is an access boundary), and no caveat word
    becomes part of the reference ID."""
    cable = parse_cable_text(raw_cable(class_line, caveat_line))
    assert (cable.reference_id, cable.classification) == (reference_id, classification)


def test_a_paragraph_is_as_classified_as_the_most_classified_block_in_it():
    body = "1. (C) First.\n\n(S/NF) Second, unnumbered.\n\n(U) Third.\n\n2. (U) A list:\n(A) one\n(B) two\n(C) three"
    first, second = parse_cable_text(raw_cable("S E C R E T MOSCOW 001730", "NOFORN", body)).paragraphs
    assert (first.number, first.marking) == ("1", "S//NF")
    assert (second.number, second.marking) == ("2", "U")  # "(C)" there labels a list item


@pytest.mark.parametrize("mark, marking", [
    ("S//REL TO USA, GBR", "S//REL"), ("C/REL EU MEMBER STATES", "C//REL"), ("S//REL TO USA, FVEY", "S//REL")])
def test_release_markings_with_country_lists_are_markings(mark, marking):
    body = f"1. (U) Intro.\n\n2. ({mark}) Separate tearline indicates a plan."
    paragraph = parse_cable_text(raw_cable("S E C R E T MOSCOW 001730", "", body)).paragraphs[1]
    assert (paragraph.number, paragraph.marking) == ("2", marking)
    assert paragraph.text == "Separate tearline indicates a plan."


def test_items_numbered_like_paragraphs_under_a_lettered_section_are_its_items():
    body = ("1. (U) Questions follow.\n\nA. (U) FOR ALL POSTS:\n\n1. (S/NF) WHO?\n\n2. (C) WHAT?\n\n"
            "B. (U) FOR MOSCOW:\n\n1. (C) WHEN?\n\n2. (C) WHERE?\n\n3. (C) HOW?\n\n2. (U) Please cite C-AL9-01234.")
    paragraphs = parse_cable_text(raw_cable("S E C R E T MOSCOW 001730", "", body)).paragraphs
    assert [p.number for p in paragraphs] == ["1", "A", "A.1", "A.2", "B", "B.1", "B.2", "B.3", "2"]


@pytest.mark.parametrize("ref, resolved", [
    ("STATE 40419, MOSCOW 1234", ["09STATE40419", "09MOSCOW1234"]),
    ("STATE 1111 AND 6423", ["09STATE1111", "09STATE6423"]),
    ("ROME 123, PARIS 456, AND BERLIN 789", ["09ROME123", "09PARIS456", "09BERLIN789"]),
    ("09 STATE 6423, 2008", ["09STATE6423"]),  # a year after a comma is no serial
    ("1. STATE 6423 2. MOSCOW 123", ["09STATE6423", "09MOSCOW123"]),
    ("A: STATE 6423 B: STATE 40419", ["09STATE6423", "09STATE40419"]),
    ("STATE 6423, 08 LA PAZ 751", ["09STATE6423", "08LAPAZ751"]),  # a post named in two-letter words
    ("DEPTEL 6423", ["09STATE6423"]),  # a Department telegram, as posts cite one
    ("08 DEPTEL 1234; STATE-6423", ["08STATE1234", "09STATE6423"]),
])
def test_unlabelled_references_in_a_list(ref, resolved):
    cable = parse_cable_text(minimal_cable("1. (C) Text.", header=f"SUBJECT: TEST\nREF: {ref}"))
    assert [r.reference_id for r in cable.references] == resolved


@pytest.mark.parametrize("where", ["subject", "ref"])
def test_a_collection_reference_in_the_subject_or_the_ref_line_is_cited(where):
    header = "SUBJECT: REPLY (CAL9-01234)\n" if where == "subject" else "SUBJECT: REPLY\nREF: C-AL9-01234\n"
    assert parse_cable_text(minimal_cable("1. (C) Text.", header=header)).collection_references == ("C-AL9-01234",)


def test_paragraphs_run_together_after_a_heading_or_past_a_skipped_number_are_split_again():
    """A viewer page that lost its line breaks: "End Summary  GOVERNMENT OVERSIGHT  2. (SBU) ..."
    (08TRIPOLI470), and a number the cable skipped ("5. ... 8. (C) COMMENT", 09CARACAS1333)."""
    body = ("1. (SBU) Summary. Libya is slow. End Summary  GOVERNMENT OVERSIGHT  2. (SBU)  The GOL said no.  "
            "3. (SBU) The EGA said yes. 6. (C) COMMENT: all talk.")
    cable = parse_cable_text(minimal_cable(body, header="SUBJECT: TEST"))
    assert [(p.number, p.marking) for p in cable.paragraphs] == [("1", "SBU"), ("2", "SBU"), ("3", "SBU"), ("6", "C")]
    assert cable.paragraphs[1].text == "The GOL said no."


@pytest.mark.parametrize("tags", ["PREL/PGOV/RS", "PREL - PGOV - RS", "PREL, PGOV, RS", "PREL PGOV RS"])
def test_tags_however_separated(tags):
    assert parse_cable_text(minimal_cable("1. (C) Text.", header=f"TAGS: {tags}\nSUBJECT: TEST")).tags == (
        "PREL", "PGOV", "RS")


@pytest.mark.parametrize("sender, origin", [
    ("USMISSION USNATO", "Mission USNATO"), ("USMISSION USUN NEW YORK", "USUN New York"),
    ("USEU BRUSSELS", "USEU Brussels"), ("AMCONSUL HO CHI MINH CITY", "Consulate Ho Chi Minh City"),
    ("AMEMBASSY LA PAZ", "Embassy La Paz"), ("SECSTATE WASHDC", "Secretary of State")])
def test_origins_keep_the_missions_own_names(sender, origin):
    assert origin_from_sender(sender) == origin


OLD_TELEGRAM = """\
CONFIDENTIAL

PAGE 01  STATE  063245
ORIGIN EUR-12

INFO  OCT-01 ISO-00 SS-15 NSC-05 /033 R

R 211530Z MAR 75
FM SECSTATE WASHDC
TO AMEMBASSY MOSCOW
INFO AMEMBASSY PARIS
C O N F I D E N T I A L STATE 063245

E.O. 11652: GDS
TAGS: PFOR, UR
SUBJECT: TEST

1. THE SITUATION REMAINS

CONFIDENTIAL

PAGE 02  STATE  063245
UNCHANGED.

2. SECOND PARA.

KISSINGER
"""


def test_an_old_telegrams_pages_without_date_time_groups_and_its_distribution_line_are_furniture():
    cable = parse_cable_text(OLD_TELEGRAM)
    assert (cable.reference_id, cable.to, cable.info) == ("75STATE63245", ("AMEMBASSY MOSCOW",), ("AMEMBASSY PARIS",))
    assert [(p.number, p.text) for p in cable.paragraphs] == [("1", "THE SITUATION REMAINS\nUNCHANGED."),
                                                             ("2", "SECOND PARA.")]


def test_an_unmarked_cable_numbered_with_parentheses_has_its_paragraphs():
    body = "1) The minister said no.\n\n2) The deputy said yes:\nA. on trade\n\n3) Comment: both are right."
    cable = parse_cable_text(minimal_cable(body, header="SUBJECT: TEST"))
    assert [(p.number, p.text) for p in cable.paragraphs] == [
        ("1", "The minister said no."), ("2", "The deputy said yes:"), ("A", "on trade"),
        ("3", "Comment: both are right.")]


def test_items_numbered_with_parentheses_after_marked_text_keep_its_marking():
    """In a marked cable "1)" items belong to the marked text before them: they never start unmarked
    paragraphs that anyone cleared for the cable could read."""
    body = "(S/NF) Source reporting follows:\n1) Agent KESTREL met the minister.\n2) KESTREL saw the plans."
    paragraphs = parse_cable_text(raw_cable("S E C R E T MOSCOW 009902", "", body)).paragraphs
    assert [p.marking for p in paragraphs] == ["S//NF"]
    assert "KESTREL saw the plans" in paragraphs[0].text


def test_a_reference_on_a_ref_line_of_its_own_is_read_too():
    header = "SUBJECT: TEST\nREF A: STATE 6423\nREF B: STATE 40419"
    cable = parse_cable_text(minimal_cable("1. (C) Text.", header=header))
    assert [(r.label, r.reference_id) for r in cable.references] == [("A", "09STATE6423"), ("B", "09STATE40419")]


def test_unmarked_items_numbered_like_paragraphs_under_a_lettered_section_are_its_items():
    body = ("1. (S/NF) Analysts would appreciate any information.\n\nA. (U) FOR LATIN AMERICAN POSTS:\n\n"
            "1. WHAT DO THEY WANT?\n\n2. HOW LARGE IS IT?\n\nB. (U) FOR IRAN WATCHERS:\n\n1. WHO?\n\n2. WHY?\n\n"
            "3. WHEN?\n\n2. (U) Please cite C-AL9-01234.")
    paragraphs = parse_cable_text(raw_cable("S E C R E T MOSCOW 001730", "", body)).paragraphs
    assert [p.number for p in paragraphs] == ["1", "A", "A.1", "A.2", "B", "B.1", "B.2", "B.3", "2"]


def test_a_raw_cable_without_a_date_time_group_is_refused_saying_so():
    text = ("FM AMEMBASSY ROME\nTO SECSTATE WASHDC\nBT\nC O N F I D E N T I A L  ROME 005149\n\nSUBJECT: TEST\n\n"
            "1. (C) Text.\n")
    with pytest.raises(ParseError, match="has a serial, but no date-time group"):
        parse_cable_text(text)


def test_sections_numbered_in_roman_numerals_with_markings():
    body = ("1. (S/NF) Questions follow.\n\nI. (U) FOR IRAN WATCHERS:\n\n1) (S/NF) WHO?\n\n2) (C) WHAT?\n\n"
            "II. (U) FOR LATIN AMERICAN POSTS:\n\n1) (S/NF) WHEN?\n\nIII. (U) FOR ALL POSTS:\n\n1) (S) WHY?\n\n"
            "2. (U) Please cite C-AL9-01234.\n\nVI. This line is text, unmarked and out of sequence.")
    paragraphs = parse_cable_text(raw_cable("S E C R E T MOSCOW 001730", "", body)).paragraphs
    assert [p.number for p in paragraphs] == ["1", "I", "I.1", "I.2", "II", "II.1", "III", "III.1", "2"]


def test_a_list_numbered_like_paragraphs_inside_a_paragraph_stays_in_it():
    """ "4. Oil theft." continues the list "1. 2. 3." run on inside paragraph 3, not the paragraphs: the
    cable's own 4 and 5 follow, unrepeated and with their markings."""
    body = ("1. (U) Summary follows.\n\n2. (C) Financing is opaque.\n\n3. (C) The minister raised five points:\n"
            "1. The border crossing.\n2. Fuel prices.\n3. Visas.\n4. Oil theft.\n5. Patrols.\n\n"
            "4. (C) Comment: the minister was candid.\n\n5. (U) Next steps follow.")
    paragraphs = parse_cable_text(raw_cable("C O N F I D E N T I A L ABUJA 000321", "", body)).paragraphs
    assert [(p.number, p.marking) for p in paragraphs] == [("1", "U"), ("2", "C"), ("3", "C"), ("4", "C"), ("5", "U")]
    assert paragraphs[2].text.endswith("4. Oil theft.\n5. Patrols.")


def test_an_unmarked_paragraph_after_a_list_that_ends_on_its_number_is_a_paragraph():
    """Paragraph 2's list has one item; "2." after a blank line is the next paragraph, not its second."""
    body = "1. The minister spoke:\n1. On trade.\n\n2. The deputy spoke.\n\n3. Comment."
    paragraphs = parse_cable_text(minimal_cable(body, header="SUBJECT: TEST")).paragraphs
    assert [p.number for p in paragraphs] == ["1", "2", "3"]


@pytest.mark.parametrize("typed", ["C-AL8-02836", "CAL8-02836", "C AL8-02836", "C-AL-8-02836", "C\u2013AL8\u201302836",
                                   "C\u2014AL8\u201402836", "c-al8- 02836"])
def test_cal_numbers_as_people_type_them(typed):
    assert collection_references(f"SUBJECT: IRAN IN BOLIVIA ({typed})") == ("C-AL8-02836",)


@pytest.mark.parametrize("mark, canonical", [("S//NF//FGI", "S//NF"), ("S/NF/PROPIN", "S//NF"), ("C/NC", "C"),
                                             ("U/SBU", "SBU"), ("S//SI//TK", "S")])
def test_a_paragraph_marking_with_a_caveat_of_no_access_meaning_keeps_its_level_and_noforn(mark, canonical):
    body = f"1. (U) Introduction.\n\n2. ({mark}) The liaison service shared a report.\n\n3. (U) Post will follow up."
    paragraphs = parse_cable_text(minimal_cable(body, header="SUBJECT: TEST")).paragraphs
    assert [(p.number, p.marking) for p in paragraphs] == [("1", "U"), ("2", canonical), ("3", "U")]


@pytest.mark.parametrize("name", ["Victoria Nuland", "Peter Copeland", "Mary O'Connor", "Ann Landor"])
def test_a_classifiers_name_ending_in_for_and_or_nor_is_kept_whole(name):
    text = minimal_cable("1. (C) Text.", header=f"SUBJECT: TEST\n\nClassified By: Ambassador {name} for reasons "
                                                "1.4 (b) and (d).")
    assert parse_cable_text(text).classified_by == f"Ambassador {name}"


@pytest.mark.parametrize("ref, expected", [
    ("A. STATE 42211 / B. E-MAIL FROM J. SMITH (INR) 4/10/09 / C. LONDON 850",
     [("A", "09STATE42211"), ("B", None), ("C", "09LONDON850")]),
    ("A. STATE 6423 (S) B. STATE 7777 (C)", [("A", "09STATE6423"), ("B", "09STATE7777")]),
])
def test_a_letter_out_of_the_run_of_ref_labels_is_part_of_a_reference(ref, expected):
    header = f"SUBJECT: TEST\nREF: {ref}"
    references = parse_cable_text(minimal_cable("1. (C) Text.", header=header)).references
    assert [(r.label, r.reference_id) for r in references] == expected
