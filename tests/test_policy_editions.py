"""Policy editions (2.2): upload with line-numbered errors, the clause-by-clause difference,
publication, the school's own pack in checks, the policy page and the API, and the CLI.

The store-touching tests run on SQLite and PostgreSQL. :class:`Place` and :func:`open_place`
are shared with ``test_acknowledgements``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from boundaries.accounts.sessions import start_session
from boundaries.policy import PolicyError, PolicyPack, load_pack, load_pack_text
from boundaries.registers import editions as eds
from boundaries.screening.api import screen
from boundaries.store import (
    Person,
    PolicyEdition,
    StaffRecord,
)
from boundaries.web.auth import SESSION_COOKIE
from boundaries.web.state import AppState
from tests.databases import empty_database
from tests.test_cli import run
from tests.web_support import SECRET_KEY, World, build_world, csrf_from

MODEL_TEXT = eds.base_pack_text()
PUPIL_POST = "Well done Olly Hargreaves!"
PU101_ON = "  PU101:  # pupil named\n    severity: breach\n"
PU101_OFF = "  PU101:  # pupil named\n    severity: breach\n    enabled: false\n"
PHOTOS_BEFORE = "Under no circumstances should employees post\n          photographs of pupils."
PHOTOS_AFTER = (
    "Under no circumstances should employees post\n          photographs or videos of pupils."
)


def edited(text: str, *changes: tuple[str, str]) -> str:
    """``text`` with each (old, new) replaced once; each ``old`` must be there."""
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def versioned(version: str, *changes: tuple[str, str]) -> str:
    """The model policy as a school's edition ``version``, with ``changes``."""
    return edited(MODEL_TEXT, ("version: null", f'version: "{version}"'), *changes)


# -- a world to work in, on each database --------------------------------------------------------


@dataclass
class Place:
    """A world (Meadowbank and its people), its app, and signed-in clients made on demand."""

    world: World
    app: FastAPI

    @property
    def state(self) -> AppState:
        state: AppState = self.app.state.boundaries
        return state

    @property
    def school(self) -> int:
        return self.world.meadowbank

    def session(self) -> Session:
        return self.state.sessions()

    def person_id(self, role: str) -> int:
        with self.session() as session:
            return session.scalars(
                select(Person.id).where(Person.email == self.world.by_role[role])
            ).one()

    def client(self, role: str) -> tuple[TestClient, str]:
        """A client signed in as the person holding ``role`` (the session is started directly:
        checking the password is the slow part, and sign-in has tests of its own)."""
        client = TestClient(self.app, base_url="https://testserver")
        with self.session() as session:
            person = session.get(Person, self.person_id(role))
            assert person is not None
            token = start_session(session, person, self.state.session_limits, "password")
            session.commit()
        client.cookies.set(SESSION_COOKIE, token)
        return client, csrf_from(client.get("/forgot-password").text)

    def reset(self) -> None:
        """Back to a school that has never had an edition (acknowledgements, quizzes and
        reminders go with the editions), with no MIS staff records and nobody disabled."""
        with self.session() as session:
            session.execute(delete(PolicyEdition))
            session.execute(delete(StaffRecord))
            session.execute(update(Person).values(disabled_at=None))
            session.commit()


def open_place(
    kind: str, tmp_path_factory: pytest.TempPathFactory, **settings: Any
) -> Iterator[Place]:
    folder = tmp_path_factory.mktemp(f"editions-{kind}")
    for url in empty_database(kind, folder, prefix="test_editions"):
        world = build_world(url)
        app = world.app(**settings)
        try:
            yield Place(world, app)
        finally:
            app.state.boundaries.engine.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def built(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Place]:
    yield from open_place(request.param, tmp_path_factory)


@pytest.fixture
def place(built: Place, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Place:
    monkeypatch.chdir(tmp_path)  # anything written to ./data stays out of the clone
    built.reset()
    return built


def upload(place: Place, text: str, publish: bool = False) -> PolicyEdition:
    with place.session() as session:
        edition = eds.upload_edition(session, place.school, text).edition
        if publish:
            eds.publish_edition(session, edition, None)
        session.commit()
        return edition


# -- the difference between editions (no store) ---------------------------------------------------


def _modified(pack: PolicyPack, change: Any) -> PolicyPack:
    data = pack.model_dump(by_alias=True, mode="json")
    change(data)
    return PolicyPack.model_validate(data)


def test_a_changed_clause_is_shown_word_by_word() -> None:
    old = load_pack_text(MODEL_TEXT)
    new = load_pack_text(versioned("2026.1", (PHOTOS_BEFORE, PHOTOS_AFTER)))
    diff = eds.diff_packs(old, new)
    assert [(c.clause_id, c.kind) for c in diff.clauses] == [("6.15", "changed")]
    change = diff.clauses[0]
    assert change.text_changed and not change.title_changed
    assert [run.kind for run in change.words] == ["same", "added", "same"]
    assert change.words[1].text == "or videos"
    assert change.words[0].text.endswith("post photographs")
    assert change.words[2].text == "of pupils."
    assert [(f.name, f.old, f.new) for f in diff.document] == [("version", "none", "2026.1")]


def test_added_removed_and_retitled_clauses_and_rule_changes_are_all_listed() -> None:
    old = load_pack()

    def change(data: dict[str, Any]) -> None:
        section = next(s for s in data["sections"] if s["number"] == 7)
        section["clauses"] = [c for c in section["clauses"] if c["id"] != "7.6"]
        section["clauses"].append(
            {"id": "7.7", "title": "no smart watches in class", "text": "Staff must not wear..."}
        )
        clause = next(c for c in section["clauses"] if c["id"] == "7.5")
        clause["title"] = "record your phone's IMEI"
        data["rules"]["PU101"]["enabled"] = False
        data["rules"]["PD101"]["severity"] = "breach"
        data["rules"]["PD101"]["clauses"] = ["6.9"]
        del data["rules"]["OF102"]

    diff = eds.diff_packs(old, _modified(old, change))
    assert [(c.clause_id, c.kind) for c in diff.clauses] == [
        ("7.5", "changed"),
        ("7.6", "removed"),
        ("7.7", "added"),
    ]
    retitled = diff.clauses[0]
    assert retitled.title_changed and not retitled.text_changed and retitled.words == ()
    assert retitled.old_title and retitled.old_title.startswith("keep a record")
    assert diff.counts == {"added": 1, "removed": 1, "changed": 1}
    rules = {r.code: (r.kind, r.details) for r in diff.rules}
    assert rules == {
        "OF102": ("removed", ("no longer checked",)),
        "PD101": ("changed", ("severity review → breach", "clauses 6.6, 6.9, 5.3.3 → 6.9")),
        "PU101": ("changed", ("turned off",)),
    }


def test_reflowing_a_clause_is_not_a_change() -> None:
    reflowed = edited(
        MODEL_TEXT,
        (
            "photographs on any social networking space,\n          nor post",
            "photographs on any social networking space, nor\n          post",
        ),
    )
    assert eds.diff_packs(load_pack(), load_pack_text(reflowed)).empty


# -- upload, publication and the guards (store) -------------------------------------------------


def test_an_invalid_pack_is_refused_with_the_line_of_each_problem(place: Place) -> None:
    broken = edited(
        MODEL_TEXT,
        (
            '      - id: "6.15"\n        title: "no inappropriate',
            '      - id: "6.15"\n        titel: "no',
        ),
    )
    line = broken.splitlines().index('      - id: "6.15"') + 1
    with place.session() as session, pytest.raises(PolicyError) as refused:
        eds.upload_edition(session, place.school, broken)
    # The unknown key on its own line; the missing title at the clause it is missing from.
    found = sorted((p.line, p.location.rsplit(".", 1)[-1]) for p in refused.value.problems)
    assert found == [(line, "title"), (line + 1, "titel")], refused.value.problems
    with place.session() as session:
        assert session.scalar(select(func.count(PolicyEdition.id))) == 0


def test_not_yaml_at_all_names_its_line(place: Place) -> None:
    text = "schema: 1\nid: broken\ntitle: [unclosed\nowner: HR\n"
    with place.session() as session, pytest.raises(PolicyError) as refused:
        eds.upload_edition(session, place.school, text)
    assert refused.value.problems[0].line is not None
    assert "not valid YAML" in refused.value.problems[0].message


def test_an_upload_keeps_its_fingerprint_version_and_review_date(place: Place) -> None:
    text = versioned("2026.1", ("review_date: null", "review_date: 2027-09-01"))
    edition = upload(place, text.replace("\n", "\r\n"))  # as pasted into a form
    assert edition.version == "2026.1"
    assert edition.review_date is not None and edition.review_date.isoformat() == "2027-09-01"
    assert edition.pack_yaml == text
    assert edition.sha256 == eds.text_sha256(text) == eds.text_sha256(text.replace("\n", "\r\n"))
    assert edition.published_at is None
    with place.session() as session:
        assert eds.current_edition(session, place.school) is None


def test_the_same_text_twice_is_refused_politely(place: Place) -> None:
    text = versioned("2026.1")
    first = upload(place, text)
    with place.session() as session, pytest.raises(eds.EditionRefused) as refused:
        eds.upload_edition(session, place.school, text)
    assert f"already been uploaded as edition {first.id}" in str(refused.value)
    with place.session() as session, pytest.raises(eds.EditionRefused) as refused:
        eds.upload_edition(session, place.school, MODEL_TEXT)  # what the school works to now
    assert "same text as the current edition" in str(refused.value)
    publish(place, first)
    with place.session() as session, pytest.raises(eds.EditionRefused) as refused:
        eds.upload_edition(session, place.school, text)
    assert "same text as the current edition" in str(refused.value)
    # Going back to the model policy, after another edition was published, is allowed.
    assert upload(place, MODEL_TEXT).sha256 == eds.text_sha256(MODEL_TEXT)


def publish(place: Place, edition: PolicyEdition) -> None:
    with place.session() as session:
        found = session.get(PolicyEdition, edition.id)
        assert found is not None
        eds.publish_edition(session, found, place.person_id("headteacher"))
        session.commit()


def test_a_published_edition_cannot_be_changed_or_published_again(place: Place) -> None:
    edition = upload(place, versioned("2026.1"), publish=True)
    with place.session() as session:
        found = session.get(PolicyEdition, edition.id)
        assert found is not None
        with pytest.raises(eds.EditionRefused):
            eds.publish_edition(session, found, None)
        found.pack_yaml = MODEL_TEXT
        with pytest.raises(eds.EditionRefused, match="is published and cannot be changed"):
            session.flush()
        session.rollback()
    with place.session() as session:
        draft = eds.upload_edition(session, place.school, versioned("2026.2")).edition
        draft.version = "2026.2-corrected"  # a draft may still be corrected
        session.commit()
        assert session.get(PolicyEdition, draft.id).version == "2026.2-corrected"  # type: ignore[union-attr]


def test_the_newest_published_edition_is_current(place: Place) -> None:
    first = upload(place, versioned("2026.1"), publish=True)
    second = upload(place, versioned("2026.2"))
    with place.session() as session:
        assert eds.current_edition(session, place.school).id == first.id  # type: ignore[union-attr]
    publish(place, second)
    with place.session() as session:
        assert eds.current_edition(session, place.school).id == second.id  # type: ignore[union-attr]
        assert [e.id for e in eds.published_editions(session, place.school)] == [
            second.id,
            first.id,
        ]
        assert eds.current_edition(session, place.world.hillcrest) is None


def test_the_model_policy_becomes_the_first_edition_on_first_need_and_only_once(
    place: Place,
) -> None:
    with place.session() as session:
        first = eds.ensure_current_edition(session, place.school)
        again = eds.ensure_current_edition(session, place.school)
        session.commit()
        assert first.id == again.id
        assert first.sha256 == eds.text_sha256(MODEL_TEXT)
        assert first.published_at is not None and first.published_by_id is None
        assert session.scalar(select(func.count(PolicyEdition.id))) == 1


# -- the school's own edition in the app ---------------------------------------------------------


def test_the_same_edition_gives_the_same_pack_object_until_another_is_published(
    place: Place,
) -> None:
    state = place.state
    with place.session() as session:
        assert state.pack_for(session, place.school) is state.pack  # nothing published yet
        eds.ensure_current_edition(session, place.school)
        session.commit()
        assert state.pack_for(session, place.school) is state.pack  # the same text
    upload(place, versioned("2026.1", (PU101_ON, PU101_OFF)), publish=True)
    with place.session() as session:
        own = state.pack_for(session, place.school)
        assert own is not state.pack and own.version == "2026.1"
        assert state.pack_for(session, place.school) is own
        assert state.pack_for(session, place.world.hillcrest) is state.pack
    ctx = {"pupils": [{"forename": "Oliver", "surname": "Hargreaves", "preferred_name": "Olly"}]}
    assert screen(PUPIL_POST, ctx, pack=own).verdict == "clear"
    assert screen(PUPIL_POST, ctx, pack=state.pack).verdict == "breach"


def test_a_published_edition_is_what_checks_the_policy_page_and_the_api_use(
    place: Place,
) -> None:
    client, token = place.client("staff_teacher")
    school = place.school

    def findings() -> tuple[str, list[str]]:
        page = client.post(
            f"/schools/{school}/check", data={"text": PUPIL_POST, "csrf_token": token}
        )
        api = client.post(
            f"/api/v1/schools/{school}/check",
            json={"text": PUPIL_POST},
            headers={"X-CSRF-Token": token},
        ).json()
        return page.text, [f["rule"] for f in api["findings"]]

    page, rules = findings()
    assert "Rule PU101" in page and rules == ["PU101"]
    upload(place, versioned("2026.1", (PU101_ON, PU101_OFF)))
    page, rules = findings()
    assert "Rule PU101" in page, "an edition is not used before it is published"
    upload(place, versioned("2026.2", (PU101_ON, PU101_OFF), (PHOTOS_BEFORE, PHOTOS_AFTER)), True)
    page, rules = findings()
    assert "Rule PU101" not in page and rules == []
    policy = client.get(f"/schools/{school}/policy").text
    assert "2026.2" in policy and "photographs or videos of pupils" in policy
    api = client.get(f"/api/v1/schools/{school}/policy").json()
    assert api["version"] == "2026.2"
    clause = next(c for c in api["clauses"] if c["id"] == "6.15")
    assert "photographs or videos of pupils" in clause["text"]
    # Another school of the same trust still works to the model policy.
    with place.session() as session:
        assert place.state.pack_for(session, place.world.hillcrest).version is None


# -- the pages -----------------------------------------------------------------------------------


def test_an_invalid_upload_shows_each_problem_with_its_line(place: Place) -> None:
    client, token = place.client("headteacher")
    broken = edited(MODEL_TEXT, ("owner: Human Resources Services", "owner: ''"))
    line = broken.splitlines().index("owner: ''") + 1
    response = client.post(
        f"/schools/{place.school}/editions/upload", data={"text": broken, "csrf_token": token}
    )
    assert response.status_code == 400
    assert f"line {line} (owner)" in response.text
    assert "The edition was not uploaded" in response.text


def test_a_file_is_uploaded_compared_and_published_through_the_pages(place: Place) -> None:
    client, token = place.client("headteacher")
    school = place.school
    text = versioned("2026.1", (PHOTOS_BEFORE, PHOTOS_AFTER), (PU101_ON, PU101_OFF))
    response = client.post(
        f"/schools/{school}/editions/upload",
        data={"csrf_token": token, "text": ""},
        files={"file": ("our-policy.yaml", text.encode("utf-8"), "application/yaml")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    page = client.get(response.headers["location"])
    assert page.status_code == 200
    html = page.text
    assert "1 clause changed, 0 added, 0 removed; 1 rule setting changed." in html
    assert re.search(r"<ins><span class=\"visually-hidden\">\[added: </span>or videos", html)
    assert "PU101" in html and "turned off" in html
    edition_id = int(response.headers["location"].split("/")[-1].split("?")[0])
    published = client.post(
        f"/schools/{school}/editions/{edition_id}/publish",
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert published.status_code == 303
    dashboard = client.get(published.headers["location"]).text
    assert f"Edition {edition_id} is published" in dashboard
    assert "version 2026.1" in dashboard
    again = client.post(
        f"/schools/{school}/editions/upload",
        data={"csrf_token": token, "text": text.replace("\n", "\r\n")},
    )
    assert again.status_code == 409
    assert "same text as the current edition" in again.text


def test_pasted_text_is_used_when_no_file_is_chosen(place: Place) -> None:
    client, token = place.client("hr")
    response = client.post(
        f"/schools/{place.school}/editions/upload",
        data={"csrf_token": token, "text": versioned("2026.1")},
        files={"file": ("", b"", "application/octet-stream")},  # a browser's empty file field
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    with place.session() as session:
        assert [e.version for e in eds.draft_editions(session, place.school)] == ["2026.1"]


def test_another_schools_edition_is_not_found(place: Place) -> None:
    with place.session() as session:
        other = eds.upload_edition(session, place.world.hillcrest, versioned("h-1")).edition
        session.commit()
    client, token = place.client("headteacher")
    assert client.get(f"/schools/{place.school}/editions/{other.id}").status_code == 404
    refused = client.post(
        f"/schools/{place.school}/editions/{other.id}/publish",
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert refused.status_code == 404
    with place.session() as session:
        assert session.get(PolicyEdition, other.id).published_at is None  # type: ignore[union-attr]


# -- the command line ----------------------------------------------------------------------------


@pytest.fixture
def cli(place: Place, monkeypatch: pytest.MonkeyPatch) -> Place:
    monkeypatch.setenv("BOUNDARIES_DATABASE_URL", place.world.url)
    monkeypatch.setenv("BOUNDARIES_SECRET_KEY", SECRET_KEY)
    return place


def test_the_cli_refuses_an_invalid_pack_naming_its_lines(
    cli: Place, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(edited(MODEL_TEXT, ("owner: Human Resources Services", "owner: ''")))
    line = broken.read_text().splitlines().index("owner: ''") + 1
    for command in ("upload", "diff"):
        code, _, err = run(capsys, "editions", command, str(broken), "--school", "900101")
        assert code == 64
        assert f"line {line} (owner)" in err
    code, _, err = run(capsys, "editions", "status", "--school", "999999")
    assert code == 64 and "no school has the URN 999999" in err


def test_the_cli_uploads_compares_and_publishes(
    cli: Place, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "our-policy.yaml"
    path.write_text(versioned("2026.1", (PHOTOS_BEFORE, PHOTOS_AFTER)), encoding="utf-8")
    code, out, _ = run(capsys, "editions", "diff", str(path), "--school", "900101")
    assert code == 0
    assert "1 clause(s) changed, 0 added, 0 removed" in out
    assert "~ 6.15" in out and "{+or videos+}" in out
    with cli.session() as session:
        assert session.scalar(select(func.count(PolicyEdition.id))) == 0  # diff stores nothing

    code, out, _ = run(capsys, "editions", "upload", str(path), "--school", "900101")
    assert code == 0, out
    assert "{+or videos+}" in out and "editions publish --school 900101 --edition" in out
    code, _, err = run(capsys, "editions", "upload", str(path), "--school", "900101")
    assert code == 64 and "waiting to be published" in err

    code, out, _ = run(capsys, "editions", "publish", "--school", "900101")
    assert code == 0 and "version 2026.1" in out
    code, _, err = run(capsys, "editions", "publish", "--school", "900101")
    assert code == 64 and "no uploaded edition waiting" in err

    second = tmp_path / "second.yaml"
    second.write_text(versioned("2026.2", (PU101_ON, PU101_OFF)), encoding="utf-8")
    code, out, _ = run(capsys, "editions", "upload", str(second), "--school", "900101", "--publish")
    assert code == 0 and "now the current edition" in out
    assert "PU101 changed: turned off" in out
    assert "6.15" in out  # compared with 2026.1, whose 6.15 it does not have
    with cli.session() as session:
        current = eds.current_edition(session, cli.school)
        assert current is not None and current.version == "2026.2"
