"""LK101: links to sites in a category the school blocks (policy 5.1)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import tldextract

from boundaries.screening.context import ScreeningContext
from boundaries.screening.detectors import links
from boundaries.screening.detectors.links import LinkDetector, load_blocklist
from boundaries.screening.normalise import Document
from boundaries.screening.settings import ScreeningSettings
from tests.conftest import shared_file

FIXTURES = Path(__file__).parent / "fixtures" / "blocklists"
GAMBLING = ScreeningSettings(FIXTURES, ("gambling",))
EVERYTHING = ScreeningSettings(FIXTURES)


def found(text: str, settings: ScreeningSettings = EVERYTHING) -> list[tuple[str, str]]:
    detector = LinkDetector(ScreeningContext(), settings)
    return [(text[s.start : s.end], s.reason) for s in detector.detect(Document(text))]


def evidence(text: str, settings: ScreeningSettings = EVERYTHING) -> list[str]:
    return [e for e, _ in found(text, settings)]


def test_with_no_blocklist_configured_nothing_is_reported() -> None:
    detector = LinkDetector(ScreeningContext())
    assert list(detector.detect(Document("Get on https://www.bet365.com now lads"))) == []


@pytest.mark.parametrize(
    ("text", "link"),
    [
        ("Cheeky acca: https://www.bet365.com/#/AC/B1/ lads", "https://www.bet365.com/#/AC/B1/"),
        ("try bet365.com.", "bet365.com"),
        ("WWW.WilliamHill.co.uk!", "WWW.WilliamHill.co.uk"),
        ("(luckyspinz-casino.com) is giving free spins", "luckyspinz-casino.com"),
        ("http://quickbetz.co.uk/promo?ref=abc, honestly", "http://quickbetz.co.uk/promo?ref=abc"),
    ],
)
def test_a_link_to_a_blocked_gambling_site_is_lk101(text: str, link: str) -> None:
    [(got, reason)] = found(text, GAMBLING)
    assert got == link
    assert "gambling" in reason


def test_a_host_entry_blocks_that_host_and_below_but_not_its_parent() -> None:
    text = "see x.sites.gamblinghub.com, sites.gamblinghub.com and gamblinghub.com"
    assert evidence(text) == ["x.sites.gamblinghub.com", "sites.gamblinghub.com"]


def test_a_url_entry_blocks_that_path_only() -> None:
    text = "freegames.example.org/casino/slots is bad, freegames.example.org/puzzles is fine"
    assert evidence(text) == ["freegames.example.org/casino/slots"]


def test_every_black_category_is_blocked_when_none_are_named() -> None:
    [(_, reason)] = found("Met him on tinder.com, he's lovely")
    assert "dating" in reason


def test_only_the_named_categories_are_blocked() -> None:
    assert found("Met him on tinder.com, he's lovely", GAMBLING) == []


@pytest.mark.parametrize(
    "text",
    [
        "Great report on https://www.bbc.co.uk/sport/football tonight",
        "bbc.co.uk/news has the results",
        "Read it on www.theguardian.com",
        "e.g. Mr.Smith said 3.30pm, i.e. later",
        "Email me at someone@bet365.com",
        "Find us at brookfieldprimary.co.uk",
    ],
)
def test_links_to_sites_not_in_a_blocked_category_are_not_lk101(text: str) -> None:
    assert found(text, GAMBLING) == []


def test_a_whitelist_category_is_not_blocked_unless_named() -> None:
    text = "bbc.co.uk/news has the results"
    assert found(text) == []
    assert evidence(text, ScreeningSettings(FIXTURES, ("news",))) == ["bbc.co.uk/news"]


def test_a_public_suffix_in_a_list_does_not_block_every_site_under_it(tmp_path: Path) -> None:
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "domains").write_text("co.uk\n", encoding="utf-8")
    assert found("see bbc.co.uk", ScreeningSettings(tmp_path)) == []


def test_lists_are_loaded_once_per_folder_and_categories() -> None:
    first = LinkDetector(ScreeningContext(), GAMBLING).blocklist
    second = LinkDetector(ScreeningContext(), ScreeningSettings(FIXTURES, ("gambling",))).blocklist
    assert first is second
    assert load_blocklist(FIXTURES, ("gambling",)) is first
    assert load_blocklist(FIXTURES) is not first


def test_a_missing_category_is_recorded_not_fatal() -> None:
    blocklist = load_blocklist(FIXTURES, ("gambling", "no-such-category"))
    assert blocklist.missing == ("no-such-category",)
    assert "bet365.com" in blocklist.domains


def test_domain_checks_make_no_network_call(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("tldextract tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    fresh = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    assert fresh("www.bet365.co.uk").top_domain_under_public_suffix == "bet365.co.uk"
    monkeypatch.setattr(links, "_EXTRACT", fresh)
    assert evidence("www.bet365.com", GAMBLING) == ["www.bet365.com"]


def test_the_real_ut1_sample_blocks_its_own_gambling_domains() -> None:
    domains = shared_file("data/ut1-sample/gambling/domains")
    listed = next(
        line.strip()
        for line in domains.read_text(encoding="utf-8").splitlines()
        if line.strip().endswith(".com")
    )
    settings = ScreeningSettings(domains.parent.parent, ("gambling",))
    text = f"free bets at https://www.{listed}/promo today"
    [(got, reason)] = found(text, settings)
    assert got == f"https://www.{listed}/promo"
    assert "gambling" in reason
    assert found("Great report on https://www.bbc.co.uk/sport tonight", settings) == []


@pytest.mark.parametrize(
    ("text", "link"),
    [
        ("who's up for a flutter? bet365 dot com has the best odds", "bet365 dot com"),
        ("cheeky spins at luckyspinz-casino[.]com tonight", "luckyspinz-casino[.]com"),
        ("quickbetz (dot) co (dot) uk, you're welcome", "quickbetz (dot) co (dot) uk"),
    ],
)
def test_a_blocked_site_with_its_dots_disguised_is_lk101(text: str, link: str) -> None:
    [(got, reason)] = found(text, GAMBLING)
    assert got == link
    assert "gambling" in reason


@pytest.mark.parametrize(
    "text",
    [
        "Bet365 adverts are everywhere during the football",
        "what a match dot on the horizon",
        "I read it on bbc dot co dot uk",
    ],
)
def test_brands_and_unlisted_sites_written_with_dot_are_not_lk101(text: str) -> None:
    assert found(text, GAMBLING) == []
