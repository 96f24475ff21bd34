"""`boundaries monitoring`: the headteacher authorises, a named role loads logs and runs reports
(text, CSV, JSON, PDF), anyone else is refused with exit 77 and the reason; filtering decisions
are recorded and exported for Squid. On SQLite (the rules themselves are tested on both
databases in test_monitoring_authorisations).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.test_cli import run
from tests.test_monitoring_web import squid_log
from tests.web_support import World, build_world

URN = "900101"  # Meadowbank


@dataclass
class Place:
    world: World
    data: Path
    log: Path

    def common(self) -> list[str]:
        return ["--school", URN, "--url", self.world.url]


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Place]:
    folder = tmp_path_factory.mktemp("monitoring-cli")
    world = build_world(f"sqlite:///{folder / 'store.sqlite3'}")
    log = folder / "access.log"
    log.write_bytes(squid_log())
    yield Place(world, folder / "data", log)


def authorise(
    place: Place, capsys: pytest.CaptureFixture[str], *extra: str, by: str = "headteacher"
) -> tuple[int, str, str]:
    return run(
        capsys,
        "monitoring",
        "authorise",
        *place.common(),
        "--by",
        place.world.by_role[by],
        "--purpose",
        "unauthorised_use",
        "--reason",
        "Reports of social networking in lessons.",
        "--from",
        "01/11/2026",
        "--to",
        "20/11/2026",
        "--expires",
        "31/12/2099",
        "--whole-school",
        "--staff-told",
        "Acceptable use policy",
        *extra,
    )


def authorised(place: Place, capsys: pytest.CaptureFixture[str], *roles: str) -> int:
    code, out, err = authorise(place, capsys, *(a for r in roles for a in ("--role", r)))
    assert code == 0, err
    return int(out.split("authorisation ", 1)[1].split(" ", 1)[0])


def load(
    place: Place, capsys: pytest.CaptureFixture[str], authorisation: int, who: str
) -> tuple[int, str, str]:
    return run(
        capsys,
        "monitoring",
        "load",
        *place.common(),
        "--as",
        place.world.by_role[who],
        "--authorisation",
        str(authorisation),
        "--data-dir",
        str(place.data),
        str(place.log),
    )


def loaded(place: Place, capsys: pytest.CaptureFixture[str], authorisation: int) -> int:
    code, out, err = load(place, capsys, authorisation, "headteacher")
    assert code == 0, err
    return int(out.split("Loaded logs ", 1)[1].split(":", 1)[0])


def report(
    place: Place, capsys: pytest.CaptureFixture[str], dataset: int, who: str, *extra: str
) -> tuple[int, str, str]:
    return run(
        capsys,
        "monitoring",
        "report",
        *place.common(),
        "--as",
        place.world.by_role[who],
        "--dataset",
        str(dataset),
        "--data-dir",
        str(place.data),
        *extra,
    )


def test_only_the_headteacher_can_authorise(
    place: Place, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = authorise(place, capsys, "--role", "dsl", by="dsl")
    assert code == 64
    assert "Only the school's headteacher can authorise monitoring" in err


def test_an_authorisation_without_roles_or_with_a_bad_purpose_is_a_usage_error(
    place: Place, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = authorise(place, capsys, "--role", "staff_teacher")
    assert code == 64 and "Only these roles can run reports" in err


def test_with_an_authorisation_logs_load_and_reports_come_out_as_csv_json_and_text(
    place: Place, capsys: pytest.CaptureFixture[str]
) -> None:
    dataset = loaded(place, capsys, authorised(place, capsys, "headteacher"))
    code, out, err = report(place, capsys, dataset, "headteacher", "--kind", "people")
    assert code == 0, err
    assert "Meadowbank Staff Teacher" in out
    code, out, _ = report(
        place, capsys, dataset, "headteacher", "--kind", "blocked", "--format", "csv"
    )
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("person,")
    assert any("tiktok.com" in line for line in lines[1:])
    code, out, _ = report(
        place,
        capsys,
        dataset,
        "headteacher",
        "--kind",
        "timeline",
        "--moment",
        "10/11/2026 10:16",
        "--window",
        "5",
        "--format",
        "json",
    )
    assert code == 0 and json.loads(out)["kind"] == "timeline"
    assert len(json.loads(out)["rows"]) == 3


def test_a_pdf_report_is_written_to_a_file(
    place: Place, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    dataset = loaded(place, capsys, authorised(place, capsys, "headteacher"))
    target = tmp_path / "people.pdf"
    code, _, err = report(
        place, capsys, dataset, "headteacher", "--kind", "people", "--format", "pdf",
        "--output", str(target),
    )  # fmt: skip
    assert code == 0, err
    assert target.read_bytes().startswith(b"%PDF-")


def test_a_role_not_named_is_refused_with_exit_77_and_the_reason(
    place: Place, capsys: pytest.CaptureFixture[str]
) -> None:
    authorisation = authorised(place, capsys, "headteacher")
    code, _, err = load(place, capsys, authorisation, "hr")
    assert code == 77
    assert "No authorisation, no report" in err and "does not name your role" in err
    dataset = loaded(place, capsys, authorisation)
    code, _, err = report(place, capsys, dataset, "hr", "--kind", "people")
    assert code == 77 and "does not name your role" in err


def test_a_revoked_authorisation_loads_nothing(
    place: Place, capsys: pytest.CaptureFixture[str]
) -> None:
    authorisation = authorised(place, capsys, "headteacher")
    code, _, err = run(
        capsys,
        "monitoring",
        "revoke",
        *place.common(),
        "--by",
        place.world.by_role["headteacher"],
        "--authorisation",
        str(authorisation),
        "--reason",
        "Concern resolved",
    )
    assert code == 0, err
    code, _, err = load(place, capsys, authorisation, "headteacher")
    assert code == 77 and "was revoked on" in err


def test_a_report_outside_the_period_is_refused(
    place: Place, capsys: pytest.CaptureFixture[str]
) -> None:
    dataset = loaded(place, capsys, authorised(place, capsys, "headteacher"))
    code, _, err = report(
        place, capsys, dataset, "headteacher", "--kind", "people", "--from", "01/10/2026"
    )
    assert code == 77 and "covers 01/11/2026 to 20/11/2026 only" in err


def test_the_authorisations_are_listed_with_their_status(
    place: Place, capsys: pytest.CaptureFixture[str]
) -> None:
    authorised(place, capsys, "headteacher", "trust_hr")
    code, out, _ = run(capsys, "monitoring", "authorisations", *place.common(), "--json")
    rows = json.loads(out)
    assert code == 0
    assert rows[0]["status"] == "in force" and rows[0]["roles"] == ["headteacher", "trust_hr"]


def test_filtering_decisions_are_recorded_and_exported_for_squid(
    place: Place, capsys: pytest.CaptureFixture[str]
) -> None:
    by = place.world.by_role["it_admin"]
    code, _, err = run(
        capsys, "monitoring", "filtering", "block", "www.tiktok.com", *place.common(),
        "--by", by, "--reason", "Not needed for work",
    )  # fmt: skip
    assert code == 0, err
    code, out, _ = run(capsys, "monitoring", "filtering", "export", *place.common())
    assert code == 0
    assert "acl boundaries_blocked dstdomain .www.tiktok.com" in out
    code, out, _ = run(
        capsys, "monitoring", "filtering", "export", *place.common(), "--format", "blocked"
    )
    assert out == "www.tiktok.com\n"


def test_a_teacher_cannot_record_filtering_decisions(
    place: Place, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys, "monitoring", "filtering", "allow", "example.com", *place.common(),
        "--by", place.world.by_role["staff_teacher"], "--reason", "Useful",
    )  # fmt: skip
    assert code == 77 and "does not include filtering decisions" in err
