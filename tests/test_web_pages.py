"""The staff self-check page, the policy page and start-up, as a member of staff sees them.

Runs against SQLite and PostgreSQL. Sign-in, sessions and security have their own modules
(test_web_sign_in, test_web_security); the real browser is in test_browser.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from boundaries.policy.loader import bundled_pack_path
from boundaries.roster.screening_context import SchoolContexts
from boundaries.store import (
    Contact,
    NotMigratedError,
    Pupil,
    PupilContact,
    SavedDraft,
    create_db_engine,
    session_factory,
)
from boundaries.web.app import create_app
from boundaries.web.settings import WebSettings, load_settings
from tests.databases import empty_database
from tests.web_support import SECRET_KEY, World, build_world, csrf_from, sign_in

NAMING_A_PUPIL = "Brilliant trip to the zoo with Olly Hargreaves from my class today!"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    # One world per database for the module (hashing everyone's password is slow); tests that
    # add rows use names and drafts of their own.
    folder = tmp_path_factory.mktemp("pages")
    for url in empty_database(request.param, folder, prefix="test_pages"):
        yield build_world(url)


@pytest.fixture
def teacher(world: World) -> tuple[TestClient, str]:
    client = TestClient(world.app(), base_url="https://testserver")
    token = sign_in(client, world.by_role["staff_teacher"])
    return client, token


def _check(client: TestClient, school: int, token: str, text: str, htmx: bool = True) -> str:
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(
        f"/schools/{school}/check", data={"text": text, "csrf_token": token}, headers=headers
    )
    assert response.status_code == 200, response.text
    return response.text


# -- the self-check -------------------------------------------------------------------------------


def test_a_teacher_with_one_school_lands_on_its_check_page(world: World) -> None:
    client = TestClient(world.app(), base_url="https://testserver")
    sign_in(client, world.by_role["staff_teacher"])
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/schools/{world.meadowbank}/check"


def test_the_check_page_says_drafts_are_not_stored(
    world: World, teacher: tuple[TestClient, str]
) -> None:
    client, _ = teacher
    page = client.get(f"/schools/{world.meadowbank}/check").text
    assert "Your draft is not stored" in page
    assert '<label for="draft">' in page


def test_a_post_naming_a_pupil_shows_the_evidence_clause_fix_and_redaction(
    world: World, teacher: tuple[TestClient, str]
) -> None:
    client, token = teacher
    fragment = _check(client, world.meadowbank, token, NAMING_A_PUPIL)
    assert "Do not post this as it is" in fragment
    assert re.search(r"<mark[^>]*>Olly Hargreaves", fragment)
    link = re.search(
        r'href="(/schools/\d+/policy#clause-([\d.]+))"[^>]*>Clause ([\d.]+): ([^<]+)<', fragment
    )
    assert link, fragment
    assert link.group(2) == link.group(3)
    assert "How to fix it:" in fragment
    assert "[PUPIL]" in fragment
    # The live check answers with the results fragment only, not a whole page.
    assert "<html" not in fragment


def test_every_finding_links_to_a_clause_that_is_on_the_policy_page(
    world: World, teacher: tuple[TestClient, str]
) -> None:
    client, token = teacher
    fragment = _check(
        client,
        world.meadowbank,
        token,
        "Olly Hargreaves was a nightmare today, add me on snapchat olly, my number is 07700 900123",
    )
    anchors = set(re.findall(r'policy#(clause-[\d.]+)"', fragment))
    assert len(anchors) >= 2
    policy = client.get(f"/schools/{world.meadowbank}/policy").text
    for anchor in anchors:
        assert f'id="{anchor}"' in policy


def test_a_clean_post_is_clear(world: World, teacher: tuple[TestClient, str]) -> None:
    client, token = teacher
    fragment = _check(client, world.meadowbank, token, "Lovely walk along the river this morning.")
    assert "No problems found" in fragment
    assert "<mark" not in fragment


def test_without_javascript_the_form_answers_with_the_whole_page(
    world: World, teacher: tuple[TestClient, str]
) -> None:
    client, token = teacher
    page = _check(client, world.meadowbank, token, NAMING_A_PUPIL, htmx=False)
    assert "<html" in page and "Do not post this as it is" in page
    assert "Brilliant trip to the zoo" in page  # the draft stays in the box


def test_the_schools_confidential_terms_feed_the_check(
    world: World, teacher: tuple[TestClient, str]
) -> None:
    client, token = teacher
    fragment = _check(
        client,
        world.meadowbank,
        token,
        "Can't say much but Project Kestrel is going to shake things up at work",
    )
    assert re.search(r"<mark[^>]*>Project Kestrel", fragment)


def test_another_schools_pupils_are_not_this_schools_pupils(
    world: World, teacher: tuple[TestClient, str]
) -> None:
    client, token = teacher
    # Keziah Abernethy is on Brookside's roster, in another trust.
    fragment = _check(client, world.meadowbank, token, "Keziah Abernethy was brilliant in the play")
    assert "matches a pupil on the roster" not in fragment


def test_a_pupil_added_to_the_roster_is_caught_at_once(
    world: World, teacher: tuple[TestClient, str]
) -> None:
    client, token = teacher
    # Read the roster's fingerprint on every check (the app's default is every few seconds).
    client.app.state.boundaries.contexts = SchoolContexts(recheck_seconds=0)  # type: ignore[attr-defined]
    text = "Such a funny moment with Tobias Penhaligon in class today"
    assert "matches a pupil on the roster" not in _check(client, world.meadowbank, token, text)
    engine = create_db_engine(world.url)
    with session_factory(engine)() as session:
        session.add(
            Pupil(
                school_id=world.meadowbank,
                legal_forename="Tobias",
                surname="Penhaligon",
                date_of_birth=date(2016, 1, 9),
                year_group="Year 4",
            )
        )
        session.commit()
    engine.dispose()
    assert "matches a pupil on the roster" in _check(client, world.meadowbank, token, text)


def test_a_past_pupil_under_18_is_still_covered_and_one_over_18_is_not(
    world: World, teacher: tuple[TestClient, str]
) -> None:
    client, token = teacher
    client.app.state.boundaries.contexts = SchoolContexts(recheck_seconds=0)  # type: ignore[attr-defined]
    today = date.today()
    engine = create_db_engine(world.url)
    with session_factory(engine)() as session:
        session.add_all(
            [
                Pupil(
                    school_id=world.meadowbank,
                    legal_forename="Wilhelmina",
                    surname="Treloar",
                    date_of_birth=today.replace(year=today.year - 16),
                    leaving_date=today - timedelta(days=400),
                ),
                Pupil(
                    school_id=world.meadowbank,
                    legal_forename="Ptolemy",
                    surname="Fairweather",
                    date_of_birth=today.replace(year=today.year - 19),
                    leaving_date=today - timedelta(days=800),
                ),
            ]
        )
        session.commit()
    engine.dispose()
    assert "matches a pupil" in _check(
        client, world.meadowbank, token, "Bumped into Wilhelmina Treloar in town"
    )
    assert "matches a pupil" not in _check(
        client, world.meadowbank, token, "Bumped into Ptolemy Fairweather in town"
    )


def test_an_over_long_draft_is_refused_with_a_message(
    world: World, teacher: tuple[TestClient, str]
) -> None:
    client, token = teacher
    response = client.post(
        f"/schools/{world.meadowbank}/check", data={"text": "a" * 10_001, "csrf_token": token}
    )
    assert response.status_code == 400
    assert "too long" in response.text


# -- saved drafts ---------------------------------------------------------------------------------


def test_a_draft_is_saved_only_when_asked_and_can_be_deleted(
    world: World, teacher: tuple[TestClient, str]
) -> None:
    client, token = teacher
    _check(client, world.meadowbank, token, NAMING_A_PUPIL)
    engine = create_db_engine(world.url)
    factory = session_factory(engine)
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(SavedDraft)) == 0
    saved = client.post(
        f"/schools/{world.meadowbank}/drafts", data={"text": NAMING_A_PUPIL, "csrf_token": token}
    )
    assert saved.status_code == 200
    assert "Your draft has been saved" in saved.text and "Brilliant trip to the zoo" in saved.text
    with factory() as session:
        draft = session.scalars(select(SavedDraft)).one()
        assert draft.verdict == "breach"
    token = csrf_from(saved.text)
    client.post(f"/schools/{world.meadowbank}/drafts/{draft.id}/delete", data={"csrf_token": token})
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(SavedDraft)) == 0
    engine.dispose()


# -- the policy page ------------------------------------------------------------------------------


def test_the_policy_page_has_an_anchor_for_every_clause(
    world: World, teacher: tuple[TestClient, str]
) -> None:
    client, _ = teacher
    page = client.get(f"/schools/{world.meadowbank}/policy").text
    app = client.app
    pack = app.state.boundaries.pack  # type: ignore[attr-defined]
    for clause in pack.clauses():
        assert f'id="clause-{clause.id}"' in page
    assert "No review date is set" in page


def _pack_with_review_date(tmp_path: Path, review: date) -> Path:
    data = yaml.safe_load(bundled_pack_path().read_text(encoding="utf-8"))
    data["review_date"] = review.isoformat()
    data["version"] = "2026.1"
    path = tmp_path / "pack.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_the_policy_page_shows_the_review_date_and_a_banner_once_it_has_passed(
    world: World, tmp_path: Path
) -> None:
    overdue = _pack_with_review_date(tmp_path, date(2025, 9, 1))
    client = TestClient(world.app(policy_file=overdue), base_url="https://testserver")
    sign_in(client, world.by_role["staff_teacher"])
    page = client.get(f"/schools/{world.meadowbank}/policy").text
    assert "01/09/2025" in page
    assert 'class="banner banner-warning"' in page and "was due for review on 01/09/2025" in page


def test_no_banner_while_the_review_date_is_ahead(world: World, tmp_path: Path) -> None:
    ahead = _pack_with_review_date(tmp_path, date.today() + timedelta(days=200))
    client = TestClient(world.app(policy_file=ahead), base_url="https://testserver")
    sign_in(client, world.by_role["staff_teacher"])
    page = client.get(f"/schools/{world.meadowbank}/policy").text
    assert "banner-warning" not in page
    assert (date.today() + timedelta(days=200)).strftime("%d/%m/%Y") in page


# -- start-up and settings ------------------------------------------------------------------------


def test_start_up_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    with pytest.raises(NotMigratedError, match="boundaries db upgrade"):
        create_app(WebSettings(database_url=url, secret_key=SECRET_KEY))


def test_settings_come_from_a_toml_file_and_the_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "boundaries.toml"
    config.write_text(
        'base_url = "https://boundaries.example.org/"\nsession_hours = 4\n'
        '[smtp]\nhost = "smtp.example.org"\nport = 2525\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("BOUNDARIES_CONFIG", str(config))
    monkeypatch.setenv("BOUNDARIES_SESSION_HOURS", "2")
    settings = load_settings()
    assert settings.base_url == "https://boundaries.example.org"
    assert settings.session_hours == 2
    assert settings.smtp.host == "smtp.example.org" and settings.smtp.port == 2525


def test_a_missing_settings_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOUNDARIES_CONFIG", str(tmp_path / "nope.toml"))
    with pytest.raises(FileNotFoundError, match=r"nope\.toml"):
        load_settings()


def test_without_a_secret_key_one_is_made_once_and_kept_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BOUNDARIES_SECRET_KEY", raising=False)
    first = WebSettings().signing_key()
    assert WebSettings().signing_key() == first
    key_file = tmp_path / "data" / "secret.key"
    assert key_file.stat().st_mode & 0o077 == 0


def test_a_short_secret_key_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 32"):
        WebSettings(secret_key="short").signing_key()


def test_the_schools_parents_and_carers_feed_the_check(
    world: World, teacher: tuple[TestClient, str]
) -> None:
    client, token = teacher
    client.app.state.boundaries.contexts = SchoolContexts(recheck_seconds=0)  # type: ignore[attr-defined]
    text = "Sandra Whitcombe, just text me on 07700 900417 if you need anything"
    assert "Rule OC101" not in _check(client, world.meadowbank, token, text)
    engine = create_db_engine(world.url)
    with session_factory(engine)() as session:
        grace = session.scalars(select(Pupil).where(Pupil.legal_forename == "Grace")).one()
        mum = Contact(school_id=world.meadowbank, forename="Sandra", surname="Whitcombe")
        session.add(mum)
        session.flush()
        session.add(PupilContact(pupil_id=grace.id, contact_id=mum.id, relationship="Mother"))
        session.commit()
    engine.dispose()
    # Offering one's own number to a parent of the school (7.2, 6.18).
    assert "Rule OC101" in _check(client, world.meadowbank, token, text)
