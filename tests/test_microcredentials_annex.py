"""The element list skillmap checks is Annex I of the Council Recommendation on micro-credentials, word for word."""

from __future__ import annotations

from skillmap.microcredentials.annex import annex_elements

# Council Recommendation of 16 June 2022 on a European approach to micro-credentials for lifelong learning and
# employability (2022/C 243/02), OJ C 243, 27.6.2022, p. 10, Annex I "European standard elements to describe a
# micro-credential", as published (list dashes dropped, one element per line).
ANNEX_I_MANDATORY = """\
Identification of the learner
Title of the micro-credential
Country(ies)/Region(s) of the issuer
Awarding body(ies)
Date of issuing
Learning outcomes
Notional workload needed to achieve the learning outcomes (in European Credit Transfer and Accumulation System – \
ECTS, wherever possible)
Level (and cycle, if applicable) of the learning experience leading to the micro-credential (European \
Qualifications Framework (EQF), Qualifications Frameworks in the European Higher Education Area (QF-EHEA)), if \
applicable
Type of assessment
Form of participation in the learning activity
Type of quality assurance used to underpin the micro-credential"""
ANNEX_I_OPTIONAL = """\
Prerequisites needed to enrol in the learning activity
Supervision and identity verification during assessment (unsupervised with no identity verification, supervised \
with no identity verification, supervised online or onsite with identity verification)
Grade achieved
Integration/stackability options (stand-alone, independent micro-credential/integrated, stackable towards another \
credential)
Further information"""


def test_the_sixteen_elements_are_the_recommendations_wording_in_its_order() -> None:
    wording = ANNEX_I_MANDATORY.splitlines() + ANNEX_I_OPTIONAL.splitlines()
    assert [e.wording for e in annex_elements()] == wording
    assert [e.number for e in annex_elements()] == list(range(1, 17))


def test_eleven_elements_are_mandatory_the_level_where_applicable_and_five_are_optional() -> None:
    mandatory = ANNEX_I_MANDATORY.splitlines()
    for element in annex_elements():
        if element.wording in mandatory:
            expected = "mandatory_if_applicable" if element.wording.endswith("if applicable") else "mandatory"
        else:
            expected = "optional"
        assert element.requirement == expected, element.element
    assert sum(e.requirement != "optional" for e in annex_elements()) == 11


def test_every_element_names_the_elm_property_that_holds_it_and_a_column_role() -> None:
    for element in annex_elements():
        assert element.elm_property and element.column_roles, element.element
