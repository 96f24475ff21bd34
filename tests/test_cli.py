"""The command line: school IT scripts and CI pipelines rely on its options, output, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from boundaries.cli import EXIT_USAGE, main
from boundaries.policy import bundled_pack_path

ROSTER = (
    "forename,surname,preferred_name,date_of_birth,year_group\n"
    "Amelia,Fairbairn,Millie,2016-06-30,Year 4\n"
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(argv))
    captured = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 0), captured.out, captured.err


@pytest.fixture
def pupils_csv(tmp_path: Path) -> Path:
    path = tmp_path / "pupils.csv"
    path.write_text(ROSTER, encoding="utf-8")
    return path


def test_a_clean_post_exits_0_and_json_output_is_only_json(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "check", "Lovely sunny day for the fete", "--format", "json")
    assert code == 0
    result = json.loads(out)
    assert result == {
        "id": None,
        "verdict": "clear",
        "findings": [],
        "redacted": "Lovely sunny day for the fete",
    }


def test_naming_a_pupil_exits_2_with_the_clause_as_a_string(
    capsys: pytest.CaptureFixture[str], pupils_csv: Path
) -> None:
    text = "So proud of Amelia Fairbairn in Year 4 today!"
    code, out, _ = run(capsys, "check", text, "--pupils", str(pupils_csv), "--format", "json")
    assert code == 2
    finding = next(f for f in json.loads(out)["findings"] if f["rule"] == "PU101")
    assert finding["clause"] == "6.10"
    assert text[finding["start"] : finding["end"]] == finding["evidence"] == "Amelia Fairbairn"


def test_text_output_shows_the_verdict_and_each_finding(
    capsys: pytest.CaptureFixture[str], pupils_csv: Path
) -> None:
    code, out, _ = run(capsys, "check", "Well done Millie Fairbairn!", "--pupils", str(pupils_csv))
    assert code == 2
    assert "Verdict: BREACH" in out
    assert "PU101" in out and "6.10" in out and "Fix:" in out
    assert "[PUPIL]" in out


def test_jsonl_keeps_ids_and_order_and_a_bad_line_does_not_stop_the_run(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pupils_csv: Path
) -> None:
    posts = tmp_path / "posts.jsonl"
    posts.write_text(
        "\n".join(
            [
                json.dumps({"id": "a", "text": "Lovely day at the beach"}),
                "{not json",
                json.dumps({"id": 7, "body": "no text key"}),
                json.dumps({"id": "b", "text": "Well done Amelia Fairbairn"}),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "check", "--jsonl", str(posts), "--pupils", str(pupils_csv))
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["id"] for line in lines] == ["a", None, 7, "b"]
    assert "error" in lines[1] and "error" in lines[2]
    assert lines[0]["verdict"] == "clear" and lines[3]["verdict"] == "breach"
    assert code == 2
    assert "could not be checked" in err


def test_a_file_with_a_byte_order_mark_is_read_without_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pupils_csv: Path
) -> None:
    post = tmp_path / "post.txt"
    post.write_bytes("\ufeffWell done Amelia Fairbairn".encode())
    _, out, _ = run(
        capsys, "check", "--file", str(post), "--pupils", str(pupils_csv), "--format", "json"
    )
    finding = next(f for f in json.loads(out)["findings"] if f["rule"] == "PU101")
    assert (finding["start"], finding["evidence"]) == (10, "Amelia Fairbairn")


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "hello", "--no-such-option"],
        ["check", "hello", "--format", "xml"],
        ["check", "--file", "/no/such/file.txt"],
        ["check", "hello", "--context", "/no/such/context.json"],
        ["check", "hello", "--file", "/etc/hostname"],
    ],
)
def test_usage_errors_exit_64_never_a_verdict(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == EXIT_USAGE
    assert out == ""
    assert "Error" in err or "Usage" in err


def test_an_invalid_context_is_a_usage_error_that_says_why(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ctx = tmp_path / "ctx.json"
    ctx.write_text(json.dumps({"pupils": [{"surname": "NoForename"}]}), encoding="utf-8")
    code, _, err = run(capsys, "check", "hello", "--context", str(ctx))
    assert code == EXIT_USAGE
    assert "forename" in err


def test_a_pupils_file_with_a_bad_date_names_the_row(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "pupils.csv"
    bad.write_text(ROSTER + "Sam,Bracewell,,31/02/2016,Year 4\n", encoding="utf-8")
    code, _, err = run(capsys, "check", "hello", "--pupils", str(bad))
    assert code == EXIT_USAGE
    assert "row 3" in err


def test_a_passed_review_date_warns_on_stderr_and_keeps_stdout_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    edition = tmp_path / "edition.yaml"
    text = bundled_pack_path().read_text(encoding="utf-8")
    edition.write_text(
        text.replace("review_date: null", "review_date: 2024-07-31", 1), encoding="utf-8"
    )
    code, out, err = run(capsys, "check", "Nice day", "--policy", str(edition), "--format", "json")
    assert code == 0
    assert json.loads(out)["verdict"] == "clear"
    assert "31/07/2024" in err


def test_rules_lists_every_rule_code(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules", "--format", "json")
    codes = [page["code"] for page in json.loads(out)]
    assert code == 0
    assert {"PD101", "PU101", "OF101", "PW101", "LK101"} <= set(codes)


def test_a_rules_page_quotes_the_policy_clause_it_supports(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "rules", "PW101")
    assert code == 0
    assert "Staff must never share their work log-ins or passwords" in " ".join(out.split())


def test_policy_show_prints_a_clause_in_full_with_its_rules(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "policy", "show", "7.3")
    assert code == 0
    assert "never share their work log-ins" in out and "PW101" in out


def test_policy_show_an_unknown_clause_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "policy", "show", "99.1")
    assert code == EXIT_USAGE and "no clause 99.1" in err


def test_policy_validate_accepts_the_bundled_pack(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "policy", "validate", str(bundled_pack_path()))
    assert code == 0 and "84 clauses" in out


def test_policy_validate_lists_problems_with_line_numbers(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    text = (
        bundled_pack_path()
        .read_text(encoding="utf-8")
        .replace("owner: Human Resources Services", "owner: ''")
    )
    bad.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "policy", "validate", str(bad))
    assert code == 1
    assert "line 7" in err and "owner" in err


def test_a_blocklist_folder_that_does_not_exist_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("BOUNDARIES_BLOCKLISTS", str(tmp_path / "missing"))
    code, _, err = run(capsys, "check", "see example.com")
    assert code == EXIT_USAGE and "does not exist" in err


def test_a_blocked_category_the_folder_lacks_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lists = Path(__file__).resolve().parent / "fixtures" / "blocklists"
    monkeypatch.setenv("BOUNDARIES_BLOCKLISTS", f"{lists}:gambling,poker")
    code, _, err = run(capsys, "check", "see example.com")
    assert code == EXIT_USAGE and "'poker'" in err


def test_a_line_separator_inside_a_json_string_does_not_split_the_post(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    posts = tmp_path / "posts.jsonl"
    posts.write_text('{"id": 1, "text": "hello\u2028world"}\r\n', encoding="utf-8")
    code, out, _ = run(capsys, "check", "--jsonl", str(posts))
    assert code == 0
    assert [json.loads(line)["id"] for line in out.strip().split("\n")] == [1]


def test_a_lone_surrogate_in_a_line_gives_that_line_an_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    posts = tmp_path / "posts.jsonl"
    posts.write_text('{"id": 4, "text": "a\\ud800b"}\n{"id": 5, "text": "fine"}\n', "utf-8")
    _, out, _ = run(capsys, "check", "--jsonl", str(posts))
    lines = [json.loads(line) for line in out.splitlines()]
    assert "error" in lines[0] and lines[0]["id"] == 4
    assert lines[1]["verdict"] == "clear"


def test_a_context_file_that_is_not_utf8_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ctx = tmp_path / "ctx.json"
    ctx.write_bytes(b'{"school": {"name": "Caf\xe9"}}')
    code, _, err = run(capsys, "check", "hello", "--context", str(ctx))
    assert code == EXIT_USAGE and "UTF-8" in err


def test_a_pupils_file_with_a_column_twice_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "pupils.csv"
    bad.write_text("forename,forename,surname\nAmy,Ann,Smith\n", encoding="utf-8")
    code, _, err = run(capsys, "check", "hello", "--pupils", str(bad))
    assert code == EXIT_USAGE and "twice" in err
