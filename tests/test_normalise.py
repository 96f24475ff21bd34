"""Normalisation folds tricks away but every span still points into the text the user wrote."""

from __future__ import annotations

from boundaries.screening.normalise import Document, normalise


def _find(view_text: str, needle: str) -> tuple[int, int]:
    start = view_text.index(needle)
    return start, start + len(needle)


def test_plain_ascii_text_is_left_as_it_is() -> None:
    view = normalise("Sports day at 3.30pm")
    assert view.text == "Sports day at 3.30pm"
    assert view.to_original(0, 6) == (0, 6)


def test_zero_width_characters_are_removed_and_offsets_map_back() -> None:
    text = "well f\u200bu\u200bc\u200bk me"
    doc = Document(text)
    assert doc.text == "well fuck me"
    s, e = doc.norm.to_original(*_find(doc.text, "fuck"))
    assert text[s:e] == "f\u200bu\u200bc\u200bk"


def test_fullwidth_letters_and_ligatures_are_folded_by_nfkc() -> None:
    doc = Document("ｓｈｉｔ happens, ﬁne")
    assert doc.text == "shit happens, fine"


def test_cyrillic_look_alike_letters_are_folded_to_latin() -> None:
    doc = Document("fu\u0441k")  # Cyrillic es
    assert doc.text == "fuck"


def test_accented_letters_keep_their_accent_in_norm_and_lose_it_in_plain() -> None:
    text = "Zoë and fück"
    doc = Document(text)
    assert doc.text == "Zoë and fück"
    assert doc.plain.text == "zoe and fuck"
    s, e = doc.plain.to_original(*_find(doc.plain.text, "zoe"))
    assert text[s:e] == "Zoë"


def test_decomposed_accents_map_back_to_the_whole_letter() -> None:
    text = "Zoe\u0308 Smith"
    doc = Document(text)
    assert doc.text == "Zoë Smith"
    s, e = doc.norm.to_original(0, 3)
    assert text[s:e] == "Zoe\u0308"


def test_leetspeak_inside_words_becomes_letters_but_numbers_stay() -> None:
    doc = Document("sh1t, b@stard, sh!te and $hite in 2024 for £5")
    assert doc.plain.text == "shit, bastard, shite and shite in 2024 for £5"


def test_punctuation_at_the_edge_of_a_word_is_not_leetspeak() -> None:
    assert Document("Hello! Ask @dave, Year 6").plain.text == "hello! ask @dave, year 6"


def test_letters_spaced_out_are_joined_and_map_back() -> None:
    text = "what the f u c k is this"
    doc = Document(text)
    assert "fuck" in doc.plain.text
    s, e = doc.plain.to_original(*_find(doc.plain.text, "fuck"))
    assert text[s:e] == "f u c k"


def test_dotted_letters_are_joined() -> None:
    assert "shit" in Document("s.h.i.t day").plain.text


def test_ordinary_single_letter_words_are_not_joined() -> None:
    assert Document("I am a teacher").plain.text == "i am a teacher"


def test_lower_has_the_same_length_as_norm_even_for_dotted_capital_i() -> None:
    doc = Document("İstanbul trip")
    assert len(doc.lower) == len(doc.text)


def test_an_analysis_shared_between_detectors_is_computed_once_per_document() -> None:
    calls: list[str] = []

    def words(doc: Document) -> list[str]:
        calls.append(doc.original)
        return doc.text.split()

    doc = Document("one two")
    assert doc.shared(words) == ["one", "two"]
    assert doc.shared(words) == ["one", "two"]
    assert Document("three").shared(words) == ["three"]
    assert calls == ["one two", "three"]


def test_a_span_moves_between_views_through_the_original_offsets() -> None:
    text = "\u200b\u200bsod this job, honestly"
    doc = Document(text)
    s, e = doc.plain.to_original(0, 3)
    assert text[s:e] == "sod"
    ns, ne = doc.norm.from_original(s, e)
    assert doc.text[ns:ne] == "sod"
