"""``boundaries.screen``: the Python interface the web app and scripts call."""

from __future__ import annotations

from boundaries import ScreeningContext, screen
from boundaries.policy import bundled_pack_path, load_pack, load_pack_text

PUPILS = {"pupils": [{"forename": "Amelia", "surname": "Fairbairn", "preferred_name": "Millie"}]}


def test_screen_takes_a_dict_context_and_returns_the_documented_result() -> None:
    result = screen("Well done Millie Fairbairn!", PUPILS)
    data = result.to_dict()
    assert data["verdict"] == "breach" and data["id"] is None
    assert data["findings"][0]["clause"] == "6.10"
    assert data["redacted"] == "Well done [PUPIL]!"


def test_screen_takes_a_context_object_and_no_context_at_all() -> None:
    ctx = ScreeningContext.coerce(PUPILS)
    assert screen("Well done Millie Fairbairn!", ctx).verdict == "breach"
    assert screen("Well done Millie Fairbairn!").verdict == "clear"  # no roster, no pupil


def test_screen_uses_a_schools_own_pack() -> None:
    text = bundled_pack_path().read_text(encoding="utf-8")
    edition = load_pack_text(
        text.replace(
            "  PU101:  # pupil named\n    severity: breach",
            "  PU101:  # pupil named\n    severity: review",
            1,
        )
    )
    assert edition.rules["PU101"].severity.value == "review"
    assert screen("Well done Millie Fairbairn!", PUPILS, pack=edition).verdict == "review"
    assert screen("Well done Millie Fairbairn!", PUPILS, pack=load_pack()).verdict == "breach"
