"""Site categories: the built-in social networking category covers what section 3 of the
policy names, UT1 folders load (with their noise), hosts match by registered domain and
subdomain and never above it, and each distinct host is worked out once."""

from __future__ import annotations

from pathlib import Path

import pytest

from boundaries.monitoring import categories as categories_module
from boundaries.monitoring.categories import SOCIAL_NETWORKING, Categories, registered_domain
from boundaries.monitoring.ingest import ingest_logs

UT1_SAMPLE = Path("/work/shared/data/ut1-sample")
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "proxy"


@pytest.mark.parametrize(
    "host",
    [
        "www.facebook.com",  # social networks named in section 3
        "twitter.com",
        "www.linkedin.com",
        "scontent.cdninstagram.com",
        "app.snapchat.com",
        "www.youtube.com",
        "someone.blogspot.com",  # blogs
        "www.mumsnet.com",  # forums and message boards
        "www.tripadvisor.co.uk",  # review sites
        "www.strawpoll.com",  # polls
        "www.podbean.com",  # podcasts
        "podcasts.apple.com",
    ],
)
def test_the_builtin_category_covers_the_kinds_of_site_section_3_names(host: str) -> None:
    found = Categories.builtin()
    assert found.category_of(host) == SOCIAL_NETWORKING
    assert found.is_social(host)


@pytest.mark.parametrize(
    "host",
    ["notfacebook.com", "facebook.com.phish.example", "www.apple.com", "www.bbc.co.uk", ""],
)
def test_lookalikes_and_ordinary_sites_are_not_social_networking(host: str) -> None:
    assert Categories.builtin().category_of(host) is None


def test_a_host_is_matched_by_its_registered_domain_and_never_above_it() -> None:
    found = Categories.empty()
    found.add_lines("news", ["bbc.co.uk", "co.uk"])
    assert registered_domain("www.news.bbc.co.uk") == "bbc.co.uk"
    assert found.category_of("www.news.bbc.co.uk") == "news"
    assert found.category_of("www.itv.co.uk") is None  # "co.uk" is nobody's site
    assert found.lookup("WWW.BBC.CO.UK.").domain == "bbc.co.uk"


def test_the_deepest_listed_name_decides_the_category() -> None:
    found = Categories.empty()
    found.add_lines("search", ["google.com"])
    found.add_lines("maps", ["maps.google.com"])
    assert found.category_of("www.maps.google.com") == "maps"
    assert found.categories_of("www.maps.google.com") == ("maps", "search")
    assert found.category_of("mail.google.com") == "search"


def test_an_ip_address_host_matches_only_itself() -> None:
    found = Categories.empty()
    found.add_lines("proxy", ["192.0.2.10"])
    assert found.category_of("192.0.2.10") == "proxy"
    assert found.category_of("192.0.2.11") is None


def test_the_ut1_sample_loads_every_category_with_the_builtin_one() -> None:
    found = Categories.load_ut1(UT1_SAMPLE)
    assert set(found.names) >= {
        SOCIAL_NETWORKING,
        "social_networks",
        "blog",
        "forums",
        "chat",
        "dating",
        "gambling",
        "audio-video",
        "celebrity",
    }
    # facebook.com is in blog, forums and social_networks: the built-in name comes first.
    assert found.categories_of("www.facebook.com")[0] == SOCIAL_NETWORKING
    assert "social_networks" in found.categories_of("www.facebook.com")
    only_ut1 = Categories.load_ut1(UT1_SAMPLE, include_builtin=False)
    assert only_ut1.category_of("www.facebook.com") == "social_networks"
    assert only_ut1.is_social("www.facebook.com")
    gambling = (UT1_SAMPLE / "gambling" / "domains").read_text().split()
    betting = next(d for d in gambling if only_ut1.categories_of(d) == ("gambling",))
    assert only_ut1.category_of("www." + betting) == "gambling"
    assert not only_ut1.is_social("www." + betting)


def test_a_ut1_folder_with_noise_aliases_and_comments_loads_only_real_entries(
    tmp_path: Path,
) -> None:
    (tmp_path / "gambling").mkdir()
    (tmp_path / "gambling" / "domains").write_text("# comment\nbet.example\n\n.casino.example\n")
    (tmp_path / "gambling" / "urls").write_text(
        "/tmp/titi.lst\n/tmp/tata.lst\nastrolabio.example/casino/\nplain.example/\n"
    )
    (tmp_path / "gambling" / "usage").write_text("# usage\nblack\n")
    (tmp_path / "adult").mkdir()
    (tmp_path / "adult" / "domains.2").write_text("split.example\n")
    (tmp_path / "porn").write_text("adult\n")  # a git mirror's stand-in for a symbolic link
    found = Categories.load_ut1(tmp_path, include_builtin=False)
    assert found.names == ["adult", "gambling"]
    assert found.category_of("www.bet.example") == "gambling"
    assert found.category_of("casino.example") == "gambling"
    assert found.category_of("split.example") == "adult"
    assert found.category_of("plain.example") == "gambling"  # "host/" is the whole host
    assert found.category_of("astrolabio.example") is None
    assert found.category_of_url("http://astrolabio.example/casino/slots") == "gambling"
    assert found.category_of_url("http://astrolabio.example/news") is None
    assert not any(host.startswith("/") or host == "tmp" for host in found.url_rules)


def test_a_missing_folder_is_an_error() -> None:
    with pytest.raises(FileNotFoundError):
        Categories.load_ut1(Path("/nonexistent/blacklists"))


def test_each_distinct_host_is_worked_out_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = categories_module.registered_domain

    def counting(host: str) -> str:
        calls.append(host)
        return real(host)

    monkeypatch.setattr(categories_module, "registered_domain", counting)
    found = Categories.builtin()
    for _ in range(1000):
        found.category_of("www.facebook.com")
        found.is_social("www.bbc.co.uk")
    assert sorted(calls) == ["www.bbc.co.uk", "www.facebook.com"]


def test_an_ingest_looks_up_each_distinct_host_once_not_each_line(tmp_path: Path) -> None:
    looked_up: list[str] = []

    class Counting(Categories):
        def lookup(self, host: str) -> categories_module.HostCategory:
            looked_up.append(host)
            return super().lookup(host)

    counting = Counting()
    counting.domains = Categories.builtin().domains
    line = (FIXTURES / "squid_access.log").read_text().splitlines()[0]
    log = tmp_path / "repeat.log"
    log.write_text("\n".join([line] * 500) + "\n")
    ingest_logs([log], tmp_path / "data", categories=counting)
    assert looked_up == ["www.facebook.com"]
