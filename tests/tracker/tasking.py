"""A tasking cable of our own, SECRET without NOFORN, one of whose questions is marked (C//NF): to show a
question hidden from a reader who may see its set. Written as raw cable text, as sent."""

SECRET_TASKING = """\
R 121500Z MAR 09
FM SECSTATE WASHDC
TO AMEMBASSY ABUJA 0101
AMEMBASSY ACCRA 0202
AMEMBASSY PARIS 0303
BT
S E C R E T STATE 024680

E.O. 12958: DECL: 03/12/2019
TAGS: PINR PREL NI GH
SUBJECT: (U) MARITIME SECURITY IN THE GULF OF GUINEA (C-AF9-00421)

Classified By: Director INR/OPS J. Smith for reasons 1.4 (b) and (d).

1. (S) Washington analysts seek information on piracy and oil theft in the Gulf of Guinea.

A. (U) FOR ABUJA AND ACCRA:

1) (S) Who finances the attacks on offshore platforms? How are the stolen cargoes sold?

2) (C//NF) What do navy officers say privately about collusion with the gangs?

B. (U) FOR PARIS:

1) (S) How does France view a joint patrol scheme? Would it fund one?

2. (U) Please cite C-AF9-00421 in the subject line of reporting in response to the above questions.
CLINTON
"""
