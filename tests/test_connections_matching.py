"""Finding pupils among a member of staff's connections: names, nicknames, accents, typing
slips, user names and initials; and, as much, not finding those who are not pupils.

Every person here is invented. The last test runs the benchmark's generator at a small size
with a fixed seed and holds the matcher to the benchmark's targets.
"""

from __future__ import annotations

from datetime import date

import pytest

from boundaries.connections.audit import Declared, Outcome, audit_reading
from boundaries.connections.matching import (
    PupilStatus,
    Roster,
    RosterIndex,
    RosterParent,
    RosterPupil,
    match_connection,
)
from boundaries.connections.model import Connection, ConnectionKind, ExportReading, Platform
from boundaries.connections.names import fold, tokens
from boundaries.connections.nicknames import nicknames, parse
from boundaries.connections.synthetic import generate, score

TODAY = date(2026, 11, 25)
PUPILS = [
    RosterPupil("p1", "Amelia", "Fairbairn", "Millie", date(2013, 4, 2), pupil_id=1),
    RosterPupil("p2", "William", "Okoro", None, date(2012, 11, 30), pupil_id=2),
    RosterPupil("p3", "Zoë", "O'Brien", None, date(2014, 1, 15), pupil_id=3),
    RosterPupil("p4", "Margaret", "Ashworth", None, date(2011, 6, 6), pupil_id=4),
    RosterPupil("p5", "Dmitri", "Volkov", None, date(2013, 9, 9), pupil_id=5),
    RosterPupil("p6", "Priya", "Chaudhry", None, date(2012, 3, 3), pupil_id=6),
    RosterPupil("p7", "Amy", "Johnston", None, date(2013, 7, 7), pupil_id=7),
    RosterPupil("p8", "Theo", "Castellan-Reyes", None, date(2014, 2, 2), pupil_id=8),
    RosterPupil("p9", "Harry", "Styles", None, date(2012, 8, 8), pupil_id=9),
    # Left last summer: under 18 and still covered, and 18 and no longer.
    RosterPupil("p10", "Kasia", "Nowicka", None, date(2009, 5, 1), date(2025, 7, 18), pupil_id=10),
    RosterPupil("p11", "Rhodri", "Pennant", None, date(2008, 1, 1), date(2025, 7, 18), pupil_id=11),
]
PARENTS = [RosterParent("c1", "Joanne", "Fairbairn", ("Millie (Amelia) Fairbairn",), 21)]


@pytest.fixture(scope="module")
def index() -> RosterIndex:
    return RosterIndex(Roster(PUPILS, PARENTS), TODAY)


def friend(name: str = "", handle: str = "") -> Connection:
    return Connection(Platform.INSTAGRAM, ConnectionKind.FOLLOWER, name, handle)


def who(index: RosterIndex, name: str = "", handle: str = "") -> list[str]:
    return [c.person.key for c in match_connection(index, friend(name, handle))]


# -- names ---------------------------------------------------------------------------------------
def test_folding_drops_accents_and_reads_other_alphabets_and_fancy_fonts() -> None:
    assert tokens("Zoë O’Brien") == ["zoe", "obrien"]
    assert tokens("Дмитрий Волков") == ["dmitriy", "volkov"]
    assert tokens("𝓜𝓲𝓵𝓵𝓲𝓮") == ["millie"]
    assert fold("Łukasz Straße") == "lukasz strasse"


def test_a_nickname_belongs_to_its_formal_name_but_two_formal_names_stay_apart() -> None:
    table = nicknames()
    assert table.related("bill", "william") and table.related("peggy", "margaret")
    assert table.related("alfie", "alfred")
    assert not table.related("alexander", "alexandra")  # both Alex, different people
    assert not table.related("mia", "amy")  # both short for Amelia, not each other


def test_the_nickname_table_is_read_from_csv_with_comments_and_a_header() -> None:
    table = parse("# comment\nformal,nickname\nWilliam,Bill\nWilliam,Will\n")
    assert table.variants("william") == {"bill", "will"}
    assert table.variants("bill") == {"william"}


# -- who is found ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "handle", "expected"),
    [
        ("Millie Fairbairn", "", "p1"),  # preferred name
        ("Amelia Fairbairn", "", "p1"),  # legal name
        ("Bill Okoro", "", "p2"),  # nickname of the legal forename
        ("Peggy Ashworth", "", "p4"),
        ("Zoe OBrien", "", "p3"),  # accent and apostrophe dropped
        ("ZOË O'BRIEN 💫", "", "p3"),
        ("Дмитрий Волков", "", "p5"),  # Cyrillic
        ("Priya Chaudhary", "", "p6"),  # a typing slip in an unusual surname
        ("Pirya Chaudhry", "", "p6"),  # and in the forename
        ("Chaudhry, Priya", "", "p6"),  # surname first, with a comma
        ("", "priya.chaudhry07", "p6"),  # user names that hold the name
        ("", "chaudhrypriya", "p6"),
        ("", "priya_c", "p6"),
        ("", "william_okoro_2012", "p2"),
        ("P. Chaudhry", "", "p6"),  # an initial that fits one pupil
        ("Theo Castellan", "", "p8"),  # one half of a double surname
        ("Theo Castellan-Reyes", "", "p8"),
    ],
)
def test_a_pupil_is_found_by_their_name_in_its_many_forms(
    index: RosterIndex, name: str, handle: str, expected: str
) -> None:
    assert who(index, name, handle) == [expected]


@pytest.mark.parametrize(
    ("name", "handle"),
    [
        ("Amy Johnson", ""),  # a real surname of its own, not a slip for Johnston
        ("Amy Richards", ""),  # same forename, another person
        ("Lucas Okoro", ""),  # same surname, another forename
        ("Okoro", ""),  # a surname alone
        ("Priya", "priya"),  # a forename alone
        ("", "okoro_official"),
        ("", "sunshine_days"),  # ordinary words
        ("", "coffee.and.books"),
        ("Marcus Rashford", "marcusrashford"),  # famous, and not on the roster
        ("Alexandra Okoro", ""),
    ],
)
def test_nobody_is_a_pupil_on_a_shared_forename_or_surname_alone(
    index: RosterIndex, name: str, handle: str
) -> None:
    assert who(index, name, handle) == []


@pytest.mark.parametrize(
    ("pupil", "connection"),
    [
        (("Lucy", "Parker"), "Lucy Parkes"),  # another family's name, one letter off
        (("Tom", "Jenkins"), "Tom Jenkin"),
        (("Emily", "Mathers"), "Emily Mather"),
        (("Ethan", "Woodward"), "Bethan Woodward"),  # a Welsh forename, not a slip for Ethan
        (("Louis", "Carver"), "Louise Carver"),  # Louise is not Louis
        (("Samuel", "Conor"), "Samantha Connor"),  # a nickname and a slip: two doubts
    ],
)
def test_a_real_name_one_letter_from_a_pupils_is_not_taken_for_a_typing_slip(
    pupil: tuple[str, str], connection: str
) -> None:
    index = RosterIndex(Roster([RosterPupil("x", *pupil)]), TODAY)
    assert who(index, connection) == []


def test_a_name_spelt_slightly_differently_is_only_ever_a_possible_match(
    index: RosterIndex,
) -> None:
    for name in ("Priya Chaudhary", "Pirya Chaudhry"):
        [slip] = match_connection(index, friend(name))
        assert slip.person.key == "p6" and not slip.strong, name
    campbell = RosterIndex(Roster([RosterPupil("c", "Isla", "Campbell")]), TODAY)
    assert who(campbell, "Isla Campbel") == ["c"]  # a doubled letter typed once


def test_half_of_a_double_barrelled_surname_is_only_a_possible_match_either_way() -> None:
    index = RosterIndex(
        Roster([RosterPupil("s", "Amy", "Smith"), RosterPupil("d", "Theo", "Castellan-Reyes")]),
        TODAY,
    )
    for name, key in (("Amy Smith-Jones", "s"), ("Theo Reyes", "d")):
        [match] = match_connection(index, friend(name))
        assert match.person.key == key and not match.strong, name
    # The user name saying the same name again is not a second piece of evidence.
    [match] = match_connection(index, friend("Theo Reyes", "theoreyes"))
    assert match.person.key == "d" and not match.strong


def test_a_user_name_initial_does_not_outweigh_a_display_name_naming_someone_else() -> None:
    index = RosterIndex(Roster([RosterPupil("l", "Luke", "Pereira")]), TODAY)
    assert who(index, "", "luke_p") == ["l"]
    assert who(index, "Luke Pain", "luke_p") == []  # luke_p is Luke Pain's own user name


@pytest.mark.parametrize("name_or_handle", ["amys", "Jacks", "tomj"])
def test_a_last_letter_without_a_separator_is_not_read_as_an_initial(name_or_handle: str) -> None:
    pupils = [RosterPupil("a", "Amy", "Sanderson"), RosterPupil("j", "Jack", "Smith")]
    index = RosterIndex(Roster([*pupils, RosterPupil("t", "Tom", "Jenkins")]), TODAY)
    assert who(index, name_or_handle) == []
    assert who(index, "", name_or_handle) == []
    assert who(index, "", "amy_s") == ["a"]


def test_initials_alone_never_make_a_strong_match_however_often_they_agree() -> None:
    index = RosterIndex(Roster([RosterPupil("j", "Jack", "Smith")]), TODAY)
    [match] = match_connection(index, friend("J. Smith", "jsmith"))
    assert match.by_initial and not match.strong


def test_an_initial_that_fits_many_pupils_is_not_reported() -> None:
    many = [RosterPupil(f"s{i}", f, "Sandhu") for i, f in enumerate(("Aman", "Arjun", "Anika"))]
    index = RosterIndex(Roster(many), TODAY)
    assert who(index, "A. Sandhu") == []
    assert who(index, "Arjun Sandhu") == ["s1"]


def test_each_match_has_a_score_and_a_reason_in_words(index: RosterIndex) -> None:
    [exact] = match_connection(index, friend("Millie Fairbairn"))
    assert exact.score == 1.0 and exact.strong
    assert exact.reason == "The name “Millie Fairbairn” matches the preferred name and the surname."
    [slip] = match_connection(index, friend("Priya Chaudhary"))
    assert slip.score < exact.score
    assert "spelt slightly differently" in slip.reason
    [both] = match_connection(index, friend("Priya Chaudhry", "priya.chaudhry07"))
    assert both.score > 0.95 and "user name" in both.reason


def test_a_display_name_and_a_user_name_agreeing_count_for_more_than_either(
    index: RosterIndex,
) -> None:
    initial = match_connection(index, friend("P. Chaudhry"))[0].score
    together = match_connection(index, friend("P. Chaudhry", "priya_c"))[0].score
    assert together > initial


# -- what a match means --------------------------------------------------------------------------
def _audit(index: RosterIndex, names: list[str], declared: Declared | None = None) -> list[str]:
    reading = ExportReading(
        platforms=[Platform.FACEBOOK],
        connections=[Connection(Platform.FACEBOOK, ConnectionKind.FRIEND, n) for n in names],
    )
    report = audit_reading(reading, index, declared)
    return [f"{f.person_name}: {f.outcome.value}, {f.status_label}" for f in report.findings]


def test_status_is_current_left_under_18_or_out_of_scope(index: RosterIndex) -> None:
    assert PUPILS[9].status(TODAY) is PupilStatus.LEFT
    assert PUPILS[10].status(TODAY) is PupilStatus.OUT_OF_SCOPE
    assert _audit(index, ["Kasia Nowicka", "Rhodri Pennant", "Priya Chaudhry"]) == [
        "Kasia Nowicka: not_declared, left, under 18",
        "Priya Chaudhry: not_declared, current pupil",
        "Rhodri Pennant: out_of_scope, 18 or over and out of scope",
    ]


def test_declared_relationships_show_as_declared_and_refused_ones_stand_out(
    index: RosterIndex,
) -> None:
    declared = Declared(pupil_ids={6: "accepted", 2: "not_accepted"})
    assert _audit(index, ["Priya Chaudhry", "Bill Okoro"], declared) == [
        "William Okoro: not_accepted, current pupil",
        "Priya Chaudhry: declared, current pupil",
    ]
    by_name = Declared.from_names(["priya chaudhry"])
    assert _audit(index, ["Priya Chaudhry"], by_name) == ["Priya Chaudhry: declared, current pupil"]


def test_a_parent_at_the_school_is_a_caution(index: RosterIndex) -> None:
    reading = ExportReading(
        platforms=[Platform.FACEBOOK],
        connections=[Connection(Platform.FACEBOOK, ConnectionKind.FRIEND, "Jo Fairbairn")],
    )
    [finding] = audit_reading(reading, index).findings
    assert finding.outcome is Outcome.CAUTION
    assert finding.status_label == "parent or carer of Millie (Amelia) Fairbairn"
    assert "6.18" in finding.next_steps[0]


def test_next_steps_say_how_to_remove_the_connection_on_that_platform(index: RosterIndex) -> None:
    reading = ExportReading(
        platforms=[Platform.FACEBOOK],
        connections=[
            Connection(Platform.FACEBOOK, ConnectionKind.REQUEST_RECEIVED, "Priya Chaudhry")
        ],
    )
    [finding] = audit_reading(reading, index).findings
    assert finding.next_steps[0] == "Decline the friend request on Facebook; do not accept it."
    assert "declare it" in finding.next_steps[1]


def test_a_declaration_for_another_platform_is_pointed_out(index: RosterIndex) -> None:
    declared = Declared(pupil_ids={6: "accepted"}, platforms={"pupil:6": frozenset({"Facebook"})})
    reading = ExportReading(
        platforms=[Platform.INSTAGRAM],
        connections=[
            Connection(Platform.INSTAGRAM, ConnectionKind.FOLLOWER, "", "priya.chaudhry07"),
            Connection(Platform.FACEBOOK, ConnectionKind.FRIEND, "Priya Chaudhry"),
        ],
    )
    steps = {
        f.connection.platform: f.next_steps
        for f in audit_reading(reading, index, declared).findings
    }
    assert steps[Platform.INSTAGRAM][-1].startswith(
        "Your declaration names Facebook, not Instagram"
    )
    assert not any("names Facebook" in step for step in steps[Platform.FACEBOOK])


# -- quality and speed ---------------------------------------------------------------------------
def test_the_generated_benchmark_meets_its_targets_at_a_small_size() -> None:
    made = generate(11, pupils=600, connections=800, planted=80, near_misses=80)
    index = RosterIndex(made.roster, made.today)
    reported = [
        [
            c.person.key
            for c in match_connection(
                index, Connection(Platform.SNAPCHAT, ConnectionKind.FRIEND, p.name, p.handle)
            )
            if isinstance(c.person, RosterPupil)
        ]
        for p in made.people
    ]
    scores = score(made.people, reported)
    assert scores.planted == 80
    assert scores.recall >= 0.95, scores
    assert scores.precision >= 0.90, scores


def test_the_reason_mentions_folded_letters_only_when_the_roster_spells_the_name_otherwise(
    index: RosterIndex,
) -> None:
    note = "accents, another alphabet or a decorative font were read as plain letters"
    [same] = match_connection(index, friend("Zoë O'Brien"))
    assert same.person.key == "p3" and note not in same.reasons
    [cyrillic] = match_connection(index, friend("Дмитрий Волков"))
    assert cyrillic.person.key == "p5" and note in cyrillic.reasons


def test_a_name_read_backwards_is_strong_only_when_capitals_mark_the_surname() -> None:
    index = RosterIndex(
        Roster([RosterPupil("o", "Owen", "Craig"), RosterPupil("s", "Amy", "Scott")]), TODAY
    )
    [backwards] = match_connection(index, friend("Craig Owen"))  # most likely a Craig
    assert backwards.person.key == "o" and not backwards.strong
    [marked] = match_connection(index, friend("SCOTT Amy"))
    assert marked.person.key == "s" and marked.strong
