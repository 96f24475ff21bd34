"""Reading the platforms' data downloads: every era's layout, its quirks, and hostile uploads."""

from __future__ import annotations

import io
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boundaries.connections import (
    Connection,
    ConnectionKind,
    ExportError,
    ExportReading,
    Platform,
    read_export,
)
from boundaries.connections.exports import ExportLimits
from boundaries.connections.exports.mojibake import as_mojibake, repair_text
from tests import connections_fixtures as fx

K = ConnectionKind


def read(files: fx.Files, name: str = "export.zip", **limits: int) -> ExportReading:
    data = fx.zip_bytes(files)
    if limits:
        return read_export(data, name, limits=ExportLimits(**limits))
    return read_export(data, name)


def names(reading: ExportReading, kind: ConnectionKind) -> list[str]:
    return [c.name for c in reading.connections if c.kind == kind]


def handles(reading: ExportReading, kind: ConnectionKind) -> list[str]:
    return [c.handle for c in reading.connections if c.kind == kind]


# --- Facebook --------------------------------------------------------------------------------


def test_facebook_2023_export_gives_friends_requests_and_followers_with_names_repaired() -> None:
    reading = read(fx.facebook_2023())
    assert reading.platforms == [Platform.FACEBOOK]
    assert names(reading, K.FRIEND) == [
        "Zoë Smith",
        "Jack Taylor",
        "Jack Taylor",
        "Seán Ó Briain",
        "Łukasz Nowak 😀",
    ]
    assert names(reading, K.REQUEST_SENT) == ["Siân Jones"]
    assert names(reading, K.REQUEST_RECEIVED) == ["Chloé Martin"]
    assert names(reading, K.FOLLOWER) == ["Ravi Kumar"]
    assert names(reading, K.FOLLOWING) == ["Oakfield Running Club", "Meadowbank Netball"]
    assert reading.problems == []
    zoe = reading.connections[0]
    assert zoe.since == datetime(2023, 9, 12, 13, 0, tzinfo=UTC)
    assert zoe.source_file.endswith("connections/friends/your_friends.json")
    assert zoe.platform is Platform.FACEBOOK and zoe.handle == "" and zoe.url == ""


def test_facebook_rejected_and_removed_friends_are_not_current_connections() -> None:
    every_name = {c.name for c in read(fx.facebook_2023()).connections}
    assert "Mia Rejected" not in every_name and "Old Removed" not in every_name


def test_facebook_fixture_really_holds_escaped_mojibake() -> None:
    raw = fx.facebook_2023()
    friends = next(v for k, v in raw.items() if k.endswith("your_friends.json"))
    assert "Zo\\u00c3\\u00ab Smith" in friends
    assert "Se\\u00c3\\u00a1n \\u00c3\\u0093 Briain" in friends


def test_facebook_2021_layout_is_read() -> None:
    reading = read(fx.facebook_2021())
    assert names(reading, K.FRIEND) == ["Zoë Smith", "Jack Taylor"]
    assert names(reading, K.REQUEST_SENT) == ["Siân Jones"]
    assert names(reading, K.REQUEST_RECEIVED) == ["Chloé Martin"]
    assert names(reading, K.FOLLOWING) == ["Oakfield Running Club"]


def test_facebook_2018_layout_with_the_plain_friends_key_is_read() -> None:
    reading = read(fx.facebook_2018())
    assert reading.platforms == [Platform.FACEBOOK]
    assert names(reading, K.FRIEND) == ["Zoë Smith"]


def test_a_facebook_html_export_is_refused_with_a_message_asking_for_the_json_one() -> None:
    # Read as an empty list, it would tell the member of staff that no pupils were found.
    with pytest.raises(ExportError) as refused:
        read(fx.facebook_html())
    message = str(refused.value)
    assert "HTML" in message and "JSON" in message and "Facebook" in message


def test_an_html_file_beside_json_ones_gets_a_note_and_the_rest_is_read() -> None:
    files: dict[str, str | bytes] = {**fx.snapchat_export()}
    files.update(fx.facebook_html())
    reading = read(files)
    assert reading.platforms == [Platform.FACEBOOK, Platform.SNAPCHAT]
    assert [c.handle for c in reading.connections if c.kind == K.FRIEND] == [
        "jackt09",
        "amysmith_x",
    ]
    assert len(reading.notes) == 1
    assert "Facebook's HTML download" in reading.notes[0] and "JSON" in reading.notes[0]


def test_an_entry_without_a_name_is_counted_not_invented() -> None:
    doc = '{"friends_v2": [{"name": "", "timestamp": 1}, {"name": "Ava Hall", "timestamp": 2}]}'
    reading = read({"connections/friends/your_friends.json": doc})
    assert names(reading, K.FRIEND) == ["Ava Hall"]
    assert reading.unmatchable == {"Facebook entries with no name": 1}


# --- Mojibake repair -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("real", "escaped"),
    [
        ("Siân", "Si\u00c3\u00a2n"),
        ("Zoë", "Zo\u00c3\u00ab"),
        ("Chloé", "Chlo\u00c3\u00a9"),
        ("Seán Ó Briain", "Se\u00c3\u00a1n \u00c3\u0093 Briain"),
        ("Łukasz", "\u00c5\u0081ukasz"),
        ("😀", "\u00f0\u009f\u0098\u0080"),
    ],
)
def test_mojibake_is_repaired_to_the_real_name(real: str, escaped: str) -> None:
    assert repair_text(escaped) == real


@pytest.mark.parametrize(
    "correct", ["Zoë", "Siân", "Renée", "Łukasz", "Ørjan", "Ñandú", "Æsa", "Jack", "Иван", "李"]
)
def test_mojibake_repair_leaves_correct_names_alone(correct: str) -> None:
    assert repair_text(correct) == correct


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8")))
def test_mojibake_repair_round_trips_any_text(text: str) -> None:
    assert repair_text(as_mojibake(text)) == text


# Letters never pair a UTF-8 lead byte with a continuation byte, save these three rare ones.
_LETTERS = st.characters(categories=("L", "Zs", "Pd"), exclude_characters="ªµº")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_LETTERS))
def test_mojibake_repair_never_changes_correct_text_made_of_letters(text: str) -> None:
    assert repair_text(text) == text


# --- Instagram -------------------------------------------------------------------------------


def test_instagram_2023_followers_across_files_and_following() -> None:
    reading = read(fx.instagram_2023())
    assert reading.platforms == [Platform.INSTAGRAM]
    assert handles(reading, K.FOLLOWER) == ["jack.t_2009", "amy.smith07", "ellie_w", "noah.b12"]
    # Threads followers already listed on Instagram appear once; Threads-only ones are added.
    assert handles(reading, K.FOLLOWING) == ["ms_patel_art", "amy.smith07", "threads.only"]
    assert handles(reading, K.REQUEST_SENT) == ["lily.r"]
    # Hashtags and close friends are not people to list again.
    assert "mathsclub" not in {c.handle for c in reading.connections}
    first = reading.connections[0]
    assert first.name == "" and first.url == "https://www.instagram.com/jack.t_2009"
    assert first.since == datetime.fromtimestamp(1676354318, tz=UTC)
    assert any("user names only" in note for note in reading.notes)


def test_instagram_mid_2023_layout_without_connections_folder() -> None:
    reading = read(fx.instagram_mid_2023())
    assert handles(reading, K.FOLLOWER) == ["jack.t_2009"]
    assert handles(reading, K.FOLLOWING) == ["ms_patel_art"]
    assert handles(reading, K.REQUEST_RECEIVED) == ["sam.k_08"]


def test_instagram_before_2023_single_followers_file() -> None:
    reading = read(fx.instagram_before_2023())
    assert reading.platforms == [Platform.INSTAGRAM]
    assert handles(reading, K.FOLLOWER) == ["jack.t_2009"]
    assert handles(reading, K.FOLLOWING) == ["ms_patel_art"]


def test_instagram_2025_following_takes_the_user_name_from_title_or_the_address() -> None:
    reading = read(fx.instagram_2025_following())
    assert handles(reading, K.FOLLOWING) == ["ms_patel_art", "amy.smith07"]
    assert reading.connections[1].since == datetime.fromtimestamp(1749860022, tz=UTC)


def test_instagram_2019_connections_file_maps_user_names_to_times() -> None:
    doc = (
        '{"blocked_users": {}, "follow_requests_sent": {}, '
        '"followers": {"jack.t_2009": "2019-03-14T14:43:26+00:00"}, '
        '"following": {"ms_patel_art": "2019-01-02T08:00:00+00:00"}}'
    )
    reading = read({"connections.json": doc})
    assert reading.platforms == [Platform.INSTAGRAM]
    assert handles(reading, K.FOLLOWER) == ["jack.t_2009"]
    assert handles(reading, K.FOLLOWING) == ["ms_patel_art"]
    assert reading.connections[0].since == datetime(2019, 3, 14, 14, 43, 26, tzinfo=UTC)


def test_instagram_follow_history_duplicates_are_listed_once() -> None:
    files = fx.instagram_2023()
    first = next(k for k in files if k.endswith("followers_1.json"))
    files[first.replace("_1.json", "_3.json")] = files[first]
    reading = read(files)
    assert handles(reading, K.FOLLOWER) == ["jack.t_2009", "amy.smith07", "ellie_w", "noah.b12"]


# --- X ---------------------------------------------------------------------------------------


def test_x_archive_counts_numeric_ids_and_says_they_cannot_be_matched() -> None:
    reading = read(fx.x_archive(), "twitter-2026-11-25-1234567890.zip")
    assert reading.platforms == [Platform.X]
    assert reading.connections == []
    assert reading.unmatchable == {
        "X followers (numeric account ids only)": 3,
        "X accounts you follow (numeric account ids only)": 2,
    }
    note = " ".join(reading.notes)
    assert "cannot match them" in note and "3 followers" in note and "2 accounts" in note


def test_x_fixture_keeps_the_javascript_prefix_and_spaced_colons() -> None:
    follower = fx.x_archive()["data/follower.js"]
    assert follower.startswith("window.YTD.follower.part0 = [")
    assert '"accountId" : "1234567890123456789"' in follower


def test_x_empty_lists_count_as_zero() -> None:
    reading = read(fx.x_archive_empty())
    assert reading.platforms == [Platform.X]
    assert reading.unmatchable == {
        "X followers (numeric account ids only)": 0,
        "X accounts you follow (numeric account ids only)": 0,
    }


def test_x_old_archive_starting_with_an_equals_sign_and_extra_parts() -> None:
    files = {
        "data/follower.js": '= [ {\n  "follower" : {\n    "accountId" : "11"\n  }\n} ]',
        "data/follower-part1.js": (
            'window.YTD.follower.part1 = [ { "follower" : { "accountId" : "12" } } ]'
        ),
    }
    reading = read(files)
    assert reading.unmatchable == {"X followers (numeric account ids only)": 2}
    assert "We counted 2 followers." in reading.notes[0]


# --- LinkedIn --------------------------------------------------------------------------------


def test_linkedin_connections_are_read_after_the_notes_block() -> None:
    reading = read(fx.linkedin_export(), "Basic_LinkedInDataExport_11-25-2026.zip")
    assert reading.platforms == [Platform.LINKEDIN]
    people = reading.connections
    # The second Priya Patel is the same profile with another address form.
    assert [c.name for c in people] == ["Priya Patel", "Tom O'Neill, Jr.", "Renée Dubois"]
    assert all(c.kind == K.CONNECTION for c in people)
    priya, tom, _ = people
    assert priya.handle == "priya-patel-1a2b3c"
    assert priya.since == datetime(2020, 10, 5, tzinfo=UTC)
    assert dict(priya.extra) == {"company": "Oakfield Academy", "position": "Teacher of Maths"}
    assert dict(tom.extra)["company"] == "Acme, Ltd"
    assert reading.unmatchable == {
        "LinkedIn connections with no name (hidden or closed accounts)": 1
    }


def test_linkedin_crlf_file_with_a_bom_and_quoted_notes() -> None:
    reading = read(fx.linkedin_export(fx.linkedin_csv_crlf_bom()))
    assert [c.name for c in reading.connections] == [
        "Priya Patel",
        "Tom O'Neill, Jr.",
        "Renée Dubois",
    ]


def test_linkedin_file_saved_as_windows_1252_keeps_its_accents() -> None:
    data = fx.linkedin_csv().encode("cp1252")
    reading = read(fx.linkedin_export(data))
    assert "Renée Dubois" in [c.name for c in reading.connections]


def test_linkedin_older_export_without_the_url_column() -> None:
    csv_text = (
        "First Name,Last Name,Email Address,Company,Position,Connected On\n"
        "Sam,Green,,Hillcrest School,Caretaker,01/15/2019\n"
        "Sam,Green,,Westvale Trust,Driver,02/20/2019\n"
    )
    reading = read({"Connections.csv": csv_text})
    assert [c.name for c in reading.connections] == ["Sam Green", "Sam Green"]
    assert reading.connections[0].since == datetime(2019, 1, 15, tzinfo=UTC)


def test_linkedin_csv_uploaded_on_its_own_is_read() -> None:
    reading = read_export(fx.linkedin_csv().encode(), "Connections.csv")
    assert len(reading.connections) == 3


def test_linkedin_file_without_a_header_row_is_a_problem_naming_it() -> None:
    reading = read({"Connections.csv": "Notes:\nnothing here\n", **fx.snapchat_export()})
    assert [p.file for p in reading.problems] == ["Connections.csv"]
    assert "Connections.csv" in reading.problems[0].message
    assert "First Name" in reading.problems[0].message
    assert reading.platforms == [Platform.LINKEDIN, Platform.SNAPCHAT]


# --- TikTok ----------------------------------------------------------------------------------


def test_tiktok_until_2024_activity_layout() -> None:
    reading = read(fx.tiktok_until_2024())
    assert reading.platforms == [Platform.TIKTOK]
    assert handles(reading, K.FOLLOWER) == ["ellie.w_09", "noah.b12"]
    assert handles(reading, K.FOLLOWING) == ["mr.davies.pe"]
    assert reading.connections[0].since == datetime(2024, 1, 2, 10, tzinfo=UTC)
    assert reading.connections[0].url == "https://www.tiktok.com/@ellie.w_09"


def test_tiktok_2025_your_activity_layout() -> None:
    reading = read(fx.tiktok_2025(), "TikTok_Data_1764000000.zip")
    assert handles(reading, K.FOLLOWER) == ["ellie.w_09"]
    assert handles(reading, K.FOLLOWING) == ["mr.davies.pe"]


def test_tiktok_2026_layout_with_lower_case_keys_and_an_empty_list() -> None:
    reading = read(fx.tiktok_2026())
    assert handles(reading, K.FOLLOWER) == ["ruby.h"]
    assert reading.connections[0].since == datetime(2026, 1, 5, 9, tzinfo=UTC)
    assert handles(reading, K.FOLLOWING) == []


def test_tiktok_txt_download_is_read_too() -> None:
    reading = read(fx.tiktok_text())
    assert handles(reading, K.FOLLOWER) == ["ellie.w_09", "noah.b12"]
    assert handles(reading, K.FOLLOWING) == ["mr.davies.pe"]
    assert reading.connections[1].since == datetime(2024, 2, 3, 11, 30, tzinfo=UTC)


def test_tiktok_file_without_follower_lists_is_refused_saying_what_was_expected() -> None:
    with pytest.raises(ExportError, match="FansList"):
        read({"user_data.json": '{"Profile": {"Profile Information": {}}}'})


def test_an_export_whose_only_file_is_unreadable_is_refused_not_shown_as_empty() -> None:
    with pytest.raises(ExportError, match=r"We could not read data/follower\.js"):
        read({"data/follower.js": "window.YTD.follower.part0 = {"})


# --- Snapchat --------------------------------------------------------------------------------


def test_snapchat_friends_and_sent_requests_with_display_names() -> None:
    reading = read(fx.snapchat_export(), "mydata~1764000000.zip")
    assert reading.platforms == [Platform.SNAPCHAT]
    friends = [c for c in reading.connections if c.kind == K.FRIEND]
    assert [(c.name, c.handle) for c in friends] == [("Jack T", "jackt09"), ("", "amysmith_x")]
    assert friends[0].since == datetime(2023, 2, 21, 18, 40, 50, tzinfo=UTC)
    assert dict(friends[0].extra) == {"source": "Added by Username"}
    assert handles(reading, K.REQUEST_SENT) == ["ollie.p"]
    # Blocked people are not connections; the HTML twin of a JSON export needs no note.
    assert "blocked.one" not in {c.handle for c in reading.connections}
    assert reading.notes == []


def test_a_snapchat_html_only_export_is_refused_with_a_message_asking_for_json() -> None:
    with pytest.raises(ExportError, match=r"Snapchat's HTML download.*JSON"):
        read({"html/friends.html": "<html></html>", "index.html": "<html></html>"})


# --- Several platforms, broken files ---------------------------------------------------------


def test_one_zip_with_several_platforms_reads_them_all() -> None:
    files: dict[str, str | bytes] = {
        **fx.facebook_2023(),
        **fx.instagram_2023(),
        **fx.x_archive(),
        **fx.linkedin_export(),
        **fx.tiktok_2025(),
        **fx.snapchat_export(),
    }
    reading = read(files)
    assert reading.platforms == list(Platform)
    assert {c.platform for c in reading.connections} == set(Platform) - {Platform.X}


def test_a_broken_file_is_named_and_the_rest_of_the_export_is_still_read() -> None:
    files = fx.facebook_2023()
    broken = next(k for k in files if k.endswith("your_friends.json"))
    files[broken] = files[broken][:40]
    reading = read(files)
    assert [p.file for p in reading.problems] == [broken]
    assert "your_friends.json" in reading.problems[0].message
    assert "JSON" in reading.problems[0].message
    assert names(reading, K.REQUEST_SENT) == ["Siân Jones"]
    assert names(reading, K.FRIEND) == []


def test_a_file_with_an_unexpected_shape_is_a_problem_saying_what_was_expected() -> None:
    reading = read({"data/following.js": "window.YTD.following.part0 = {}", **fx.tiktok_2025()})
    assert reading.problems[0].file == "data/following.js"
    assert "window.YTD.following.part0" in reading.problems[0].message
    assert handles(reading, K.FOLLOWER) == ["ellie.w_09"]


def test_a_friends_file_nobody_could_have_written_is_a_problem() -> None:
    reading = read({"friends.json": '{"colour": "blue"}', **fx.snapchat_export()})
    assert reading.problems[0].file == "friends.json"
    assert "Facebook, Instagram or Snapchat" in reading.problems[0].message


def test_files_a_mac_adds_when_re_zipping_are_ignored() -> None:
    files: dict[str, str | bytes] = {**fx.snapchat_export()}
    files["__MACOSX/json/._friends.json"] = b"\x00\x05\x16\x07binary"
    reading = read(files)
    assert reading.problems == []


# --- Hostile and wrong uploads ---------------------------------------------------------------


def test_a_zip_bomb_is_refused_with_a_clear_message() -> None:
    bomb = fx.zip_bytes({"connections/friends/your_friends.json": b"\x00" * (20 * 1024 * 1024)})
    assert len(bomb) < 200_000
    with pytest.raises(ExportError, match="ZIP bomb"):
        read_export(bomb, "facebook.zip")


def test_an_export_expanding_beyond_the_reading_limit_is_refused() -> None:
    files = {f"part{i}/user_data.json": fx.tiktok_until_2024()["user_data.json"] for i in range(5)}
    with pytest.raises(ExportError, match="stopped reading"):
        read(files, max_read_total=3_000)


def test_a_member_too_large_to_read_is_a_problem_not_a_crash() -> None:
    files = {**fx.tiktok_until_2024(), **fx.x_archive_empty()}
    assert len(files["user_data.json"]) > 500
    reading = read(files, max_member_bytes=500)
    assert [p.file for p in reading.problems] == ["user_data.json"]
    assert "too large" in reading.problems[0].message
    assert reading.platforms == [Platform.X, Platform.TIKTOK]


def _patch_central_directory(data: bytes, offset: int, value: int, size: int) -> bytes:
    """Rewrite one field of the (single) central directory entry, as a forger would."""
    at = data.rindex(b"PK\x01\x02") + offset
    return data[:at] + value.to_bytes(size, "little") + data[at + size :]


def test_a_member_that_lies_about_its_size_is_not_expanded_beyond_it() -> None:
    honest = fx.zip_bytes({"user_data.json": b" " * 5_000_000})
    lying = _patch_central_directory(honest, 24, 1_000, 4)  # uncompressed size: 1,000 bytes
    with pytest.raises(ExportError) as caught:
        read_export(lying, "tiktok.zip")
    assert "damaged" in str(caught.value)


def test_a_password_protected_file_is_a_problem_naming_it() -> None:
    plain = fx.zip_bytes({"Connections.csv": fx.linkedin_csv()})
    locked = _patch_central_directory(plain, 8, 0x1, 2)  # general purpose flag: encrypted
    with pytest.raises(ExportError, match=r"Connections\.csv is protected by a password"):
        read_export(locked, "linkedin.zip")


def test_too_many_files_is_refused() -> None:
    with pytest.raises(ExportError, match="more than 10"):
        read({f"f{i}.txt": "x" for i in range(11)}, max_entries=10)


def test_path_traversal_names_are_only_names() -> None:
    reading = read({"../../etc/json/friends.json": fx.snapchat_export()["json/friends.json"]})
    assert reading.connections[0].source_file == "etc/json/friends.json"


def test_a_zip_inside_the_zip_is_opened_one_level_deep() -> None:
    inner = fx.zip_bytes(fx.snapchat_export())
    deeper = fx.zip_bytes({"again.zip": fx.zip_bytes(fx.x_archive())})
    reading = read({"mydata~1764000000.zip": inner, "twice.zip": deeper})
    assert reading.platforms == [Platform.SNAPCHAT]
    assert reading.connections[0].source_file == "mydata~1764000000.zip/json/friends.json"
    assert [p.file for p in reading.problems] == ["twice.zip/again.zip"]


def test_something_that_is_not_a_zip_is_refused() -> None:
    with pytest.raises(ExportError, match="not a ZIP file"):
        read_export(b"PK\x03\x04 this is not really a zip at all", "export.zip")
    with pytest.raises(ExportError, match="not a ZIP file"):
        read_export(b"%PDF-1.7 a payslip", "payslip.pdf")


def test_an_empty_upload_is_refused() -> None:
    with pytest.raises(ExportError, match="empty"):
        read_export(b"", "export.zip")


def test_a_zip_without_any_connections_is_refused_naming_the_platforms() -> None:
    with pytest.raises(ExportError, match="Boundaries reads"):
        read({"holiday/photo.jpg": b"\xff\xd8\xff"}, "photos.zip")
    facebook_without_friends = {
        k: v
        for k, v in fx.facebook_2023().items()
        if "/connections/" not in k and "/pages/" not in k
    }
    with pytest.raises(ExportError, match="looks like a Facebook download"):
        read(facebook_without_friends, "facebook.zip")


def test_an_export_can_be_read_from_a_path_or_a_stream_without_writing_anything(
    tmp_path: Path,
) -> None:
    upload = tmp_path / "mydata~1764000000.zip"
    upload.write_bytes(fx.zip_bytes(fx.snapchat_export()))
    from_path = read_export(upload)
    with upload.open("rb") as stream:
        from_stream = read_export(stream)
    assert from_path.connections == from_stream.connections
    assert from_path.connections[0].source_file == "json/friends.json"
    assert sorted(p.name for p in tmp_path.iterdir()) == [upload.name]


def test_connections_are_plain_frozen_values() -> None:
    reading = read(fx.snapchat_export())
    first = reading.connections[0]
    assert isinstance(first, Connection)
    with pytest.raises(AttributeError):
        first.name = "Someone else"  # type: ignore[misc]


def test_a_big_export_is_read_quickly() -> None:
    # 10,000 followers per file, as Instagram splits them; reading must stay well under a second.
    entries = ",".join(
        '{"title": "", "media_list_data": [], "string_list_data": [{"href": '
        f'"https://www.instagram.com/user{i}", "value": "user{i}", "timestamp": 1676354318}}]}}'
        for i in range(10_000)
    )
    files = {"connections/followers_and_following/followers_1.json": f"[{entries}]"}
    data = fx.zip_bytes(files)
    started = time.process_time()  # CPU time, so other work on the machine does not count
    reading = read_export(io.BytesIO(data), "instagram.zip")
    elapsed = time.process_time() - started
    assert len(reading.connections) == 10_000
    assert elapsed < 1.0


def test_zip_with_stored_members_reads_the_same() -> None:
    stored = fx.zip_bytes(fx.tiktok_2025(), compression=zipfile.ZIP_STORED)
    reading = read_export(stored, "TikTok_Data_1764000000.zip")
    assert handles(reading, K.FOLLOWER) == ["ellie.w_09"]
