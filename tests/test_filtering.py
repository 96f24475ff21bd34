"""The school's filtering decisions (5.1): each with its reason and who decided, history kept
when superseded or withdrawn, in the monitoring audit chain, and exported as Squid ACLs (checked
by Squid itself when it is installed) and as plain domain lists. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete
from sqlalchemy.orm import Session

from boundaries.audit import verify_chain
from boundaries.monitoring import filtering as flt
from boundaries.monitoring.authorisations import Caller, chain_for
from boundaries.store import FilteringAction, FilteringDecision, School
from tests.test_monitoring_authorisations import Place
from tests.test_monitoring_authorisations import place as place

AT = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


@pytest.fixture
def clean(place: Place) -> Iterator[Place]:
    def wipe() -> None:
        with place.sessions() as session:
            session.execute(delete(FilteringDecision))
            session.commit()

    wipe()
    yield place
    wipe()


def _head(place: Place, session: Session) -> Caller:
    return place.caller(session, "headteacher")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Facebook.com", "facebook.com"),
        ("https://www.TikTok.com/@someone?x=1", "www.tiktok.com"),
        ("*.reddit.com", "reddit.com"),
        (".twitch.tv.", "twitch.tv"),
        ("forum.example.co.uk:8443", "forum.example.co.uk"),
        ("bücher.example", "xn--bcher-kva.example"),
    ],
)
def test_a_domain_is_kept_as_squid_matches_it(typed: str, stored: str) -> None:
    assert flt.normalise_domain(typed) == stored


@pytest.mark.parametrize(
    "typed", ["", "localhost", "10.0.0.1", "exa mple.com", "-bad-.com", "a..b"]
)
def test_what_is_not_a_domain_is_refused_with_a_reason(typed: str) -> None:
    with pytest.raises(ValueError, match=r"domain|address"):
        flt.normalise_domain(typed)


def test_a_decision_needs_a_reason_and_names_who_decided(clean: Place) -> None:
    with clean.sessions() as session:
        with pytest.raises(flt.InvalidDecision) as refused:
            flt.decide(
                session, clean.school, _head(clean, session), "x.com", FilteringAction.BLOCK, ""
            )
        assert set(refused.value.errors) == {"reason"}
        made = flt.decide(
            session,
            clean.school,
            _head(clean, session),
            "https://www.instagram.com/",
            FilteringAction.BLOCK,
            "Not needed for work",
        )
        session.commit()
        assert (made.domain, made.decided_by_name) == ("www.instagram.com", "Ashgrove Headteacher")


def test_a_new_decision_supersedes_the_old_and_both_are_kept(clean: Place) -> None:
    with clean.sessions() as session:
        head = _head(clean, session)
        first = flt.decide(
            session, clean.school, head, "youtube.com", FilteringAction.BLOCK, "Distracting"
        )
        second = flt.decide(
            session,
            clean.school,
            head,
            "YouTube.com",
            FilteringAction.ALLOW,
            "Teachers use it for lessons",
        )
        session.commit()
        assert first.superseded_by_id == second.id
        assert [d.id for d in flt.current_decisions(session, clean.school)] == [second.id]
        assert {d.id for d in flt.history(session, clean.school)} == {first.id, second.id}


def test_a_withdrawn_decision_stays_in_the_history_and_leaves_the_exports(clean: Place) -> None:
    with clean.sessions() as session:
        head = _head(clean, session)
        made = flt.decide(session, clean.school, head, "polls.example", FilteringAction.BLOCK, "x")
        with pytest.raises(flt.InvalidDecision):
            flt.revoke_decision(session, made, head, " ")
        flt.revoke_decision(session, made, head, "Blocked by mistake")
        session.commit()
        assert flt.current_decisions(session, clean.school) == []
        assert [d.revoked_reason for d in flt.history(session, clean.school)] == [
            "Blocked by mistake"
        ]
        with pytest.raises(flt.InvalidDecision):
            flt.revoke_decision(session, made, head, "again")


def test_decisions_are_in_the_monitoring_audit_chain(clean: Place) -> None:
    with clean.sessions() as session:
        flt.decide(
            session, clean.school, _head(clean, session), "x.com", FilteringAction.BLOCK, "Why"
        )
        session.commit()
        report = verify_chain(session, chain_for(clean.school))
        assert report.ok and report.entries >= 1


def test_one_schools_decisions_are_not_anothers(clean: Place) -> None:
    with clean.sessions() as session:
        flt.decide(
            session, clean.other_school, _head(clean, session), "x.com", FilteringAction.BLOCK, "y"
        )
        session.commit()
        assert flt.current_decisions(session, clean.school) == []


# -- exports -------------------------------------------------------------------------------------
def _decision(domain: str, action: FilteringAction, reason: str, who: str) -> FilteringDecision:
    return FilteringDecision(
        domain=domain, action=action, reason=reason, decided_by_name=who, decided_at=AT
    )


SCHOOL = School(name="Ashgrove Primary", urn="910001")
DECISIONS = [
    _decision("facebook.com", FilteringAction.BLOCK, "Social networking (section 3)", "A Head"),
    _decision("www.facebook.com", FilteringAction.BLOCK, "Duplicate\nof the above", "A Head"),
    _decision("tiktok.com", FilteringAction.BLOCK, "Not needed for work", "I T Admin"),
    _decision("education.example.org", FilteringAction.ALLOW, "Curriculum resource", "A Head"),
]


def test_the_squid_acl_file_lists_dotted_domains_after_comments_naming_reason_and_decider() -> None:
    text = flt.squid_acl_file(SCHOOL, DECISIONS, FilteringAction.BLOCK, AT)
    lines = text.splitlines()
    assert all(line.startswith("#") or line.startswith(".") for line in lines)
    entries = [line for line in lines if line.startswith(".")]
    assert entries == [".facebook.com", ".tiktok.com"]
    assert (
        "# tiktok.com: block decided 2026-11-25 by I T Admin. Reason: Not needed for work" in lines
    )
    # A name under a listed domain is left out, with the reason, or Squid would refuse the list.
    assert "# left out: .facebook.com already covers it" in lines
    assert (
        "# www.facebook.com: block decided 2026-11-25 by A Head. Reason: Duplicate of the above"
        in lines
    )


def test_the_plain_list_has_only_domains() -> None:
    assert flt.domain_list(DECISIONS, FilteringAction.BLOCK) == "facebook.com\ntiktok.com\n"
    assert flt.domain_list(DECISIONS, FilteringAction.ALLOW) == "education.example.org\n"


def test_the_squid_fragment_allows_before_it_denies() -> None:
    text = flt.squid_conf(SCHOOL, DECISIONS, AT)
    rules = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert rules == [
        "acl boundaries_allowed dstdomain .education.example.org",
        "http_access allow boundaries_allowed",
        "acl boundaries_blocked dstdomain .facebook.com",
        "acl boundaries_blocked dstdomain .tiktok.com",
        "http_access deny boundaries_blocked",
    ]


SQUID = shutil.which("squid") or ("/usr/sbin/squid" if Path("/usr/sbin/squid").exists() else None)


@pytest.mark.skipif(SQUID is None, reason="Squid is not installed (apt-get install squid)")
def test_squid_itself_accepts_both_exports(tmp_path: Path) -> None:
    assert SQUID is not None
    acl = tmp_path / "boundaries_blocked.acl"
    acl.write_text(flt.squid_acl_file(SCHOOL, DECISIONS, FilteringAction.BLOCK, AT))
    fragment = tmp_path / "boundaries.conf"
    fragment.write_text(flt.squid_conf(SCHOOL, DECISIONS, AT))
    for body in (
        f'acl from_file dstdomain "{acl}"\nhttp_access deny from_file\n',
        f"include {fragment}\n",
    ):
        conf = tmp_path / "squid.conf"
        conf.write_text(
            f"{body}http_access deny all\nhttp_port 127.0.0.1:3128\n"
            f"cache_log {tmp_path / 'cache.log'}\npid_filename none\n"
        )
        done = subprocess.run(
            [SQUID, "-k", "parse", "-f", str(conf)], capture_output=True, text=True, timeout=60
        )
        complaints = [
            line
            for line in (done.stdout + done.stderr).splitlines()
            if "ERROR" in line or "WARNING" in line or "FATAL" in line
        ]
        assert done.returncode == 0 and not complaints, done.stdout + done.stderr
