"""Faithful platform export ZIPs for tests, built in memory from invented people.

Layouts, keys, escapes and quirks follow shared/formats/real-input-formats.md sections 1-5: each
builder names the era it copies. Nothing here is written to disk unless a test asks for a file.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping

from boundaries.connections.exports.mojibake import as_mojibake

Files = Mapping[str, bytes | str]


def zip_bytes(files: Files, *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, content in files.items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            archive.writestr(name, data)
    return buffer.getvalue()


# --- Facebook --------------------------------------------------------------------------------


def facebook_json(doc: object) -> str:
    """Facebook's writing: two-space indent, every UTF-8 byte escaped as \\u00XX."""

    def garble(value: object) -> object:
        if isinstance(value, str):
            return as_mojibake(value)
        if isinstance(value, list):
            return [garble(v) for v in value]
        if isinstance(value, dict):
            return {k: garble(v) for k, v in value.items()}
        return value

    return json.dumps(garble(doc), indent=2, ensure_ascii=True)


FACEBOOK_FRIENDS = [
    {"name": "Zoë Smith", "timestamp": 1694523600},
    {"name": "Jack Taylor", "timestamp": 1601290000},
    {"name": "Jack Taylor", "timestamp": 1650000000},  # two different friends share a name
    {"name": "Seán Ó Briain", "timestamp": 1580000000},
    {"name": "Łukasz Nowak 😀", "timestamp": 1590000000},
]
FACEBOOK_SENT = [{"name": "Siân Jones", "timestamp": 1700000000}]
FACEBOOK_RECEIVED = [{"name": "Chloé Martin", "timestamp": 1700100000}]
FACEBOOK_FOLLOWERS = [{"name": "Ravi Kumar", "timestamp": 1690000000}]
FACEBOOK_FOLLOWING = [{"name": "Oakfield Running Club", "timestamp": 1680000000}]


def facebook_2023(root: str = "facebook-janedoe10-25_11_2026-AbCdEfGh/") -> dict[str, str]:
    """2023 onwards: connections/friends/ and connections/followers/ under a wrapper folder."""
    friends = f"{root}connections/friends/"
    followers = f"{root}connections/followers/"
    return {
        f"{friends}your_friends.json": facebook_json({"friends_v2": FACEBOOK_FRIENDS}),
        f"{friends}sent_friend_requests.json": facebook_json({"sent_requests_v2": FACEBOOK_SENT}),
        f"{friends}received_friend_requests.json": facebook_json(
            {"received_requests_v2": FACEBOOK_RECEIVED}
        ),
        f"{friends}rejected_friend_requests.json": facebook_json(
            {"rejected_requests_v2": [{"name": "Mia Rejected", "timestamp": 1600000000}]}
        ),
        f"{friends}removed_friends.json": facebook_json(
            {"deleted_friends_v2": [{"name": "Old Removed", "timestamp": 1500000000}]}
        ),
        f"{followers}who_you've_followed.json": facebook_json({"following_v3": FACEBOOK_FOLLOWING}),
        f"{followers}people_who_followed_you.json": facebook_json(
            {"followers_v2": FACEBOOK_FOLLOWERS}
        ),
        f"{root}your_facebook_activity/pages/pages_and_profiles_you_follow.json": facebook_json(
            {"pages_followed_v2": [{"title": "Meadowbank Netball", "timestamp": 1660000000}]}
        ),
        f"{root}personal_information/profile_information/profile_information.json": "{}",
        f"{root}your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json": "[]",
    }


def facebook_2021() -> dict[str, str]:
    """2021-2022: friends_and_followers/ with the _v2 keys."""
    folder = "facebook-janedoe10/friends_and_followers/"
    return {
        f"{folder}friends.json": facebook_json({"friends_v2": FACEBOOK_FRIENDS[:2]}),
        f"{folder}friend_requests_sent.json": facebook_json({"sent_requests_v2": FACEBOOK_SENT}),
        f"{folder}friend_requests_received.json": facebook_json(
            {"received_requests_v2": FACEBOOK_RECEIVED}
        ),
        f"{folder}who_you_follow.json": facebook_json({"following_v2": FACEBOOK_FOLLOWING}),
    }


def facebook_2018() -> dict[str, str]:
    """2018-2020: friends/friends.json with the plain "friends" key."""
    return {"friends/friends.json": facebook_json({"friends": FACEBOOK_FRIENDS[:1]})}


def facebook_html() -> dict[str, str]:
    """The HTML download somebody chose by mistake."""
    root = "facebook-janedoe10-25_11_2026-AbCdEfGh/"
    page = "<html><body><h1>Your friends</h1><div>Zoë Smith</div></body></html>"
    return {
        f"{root}connections/friends/your_friends.html": page,
        f"{root}connections/followers/people_who_followed_you.html": page,
        f"{root}files/Inter-Regular.woff2": "",
    }


# --- Instagram -------------------------------------------------------------------------------


def _ig_entry(user: str, stamp: int, *, href: str | None = None) -> dict[str, object]:
    return {
        "title": "",
        "media_list_data": [],
        "string_list_data": [
            {
                "href": href or f"https://www.instagram.com/{user}",
                "value": user,
                "timestamp": stamp,
            }
        ],
    }


def _ig(doc: object) -> str:
    return json.dumps(doc, indent=2)


INSTAGRAM_FOLLOWERS_1 = ["jack.t_2009", "amy.smith07", "ellie_w"]
INSTAGRAM_FOLLOWERS_2 = ["noah.b12"]
INSTAGRAM_FOLLOWING = ["ms_patel_art", "amy.smith07"]


def instagram_2023() -> dict[str, str]:
    """2023 onwards: connections/followers_and_following/, followers split across files."""
    root = "instagram-janedoe10-2026-11-25-AbCd/"
    folder = f"{root}connections/followers_and_following/"
    threads = f"{root}your_instagram_activity/threads/"
    return {
        f"{folder}followers_1.json": _ig(
            [_ig_entry(u, 1676354318 + i) for i, u in enumerate(INSTAGRAM_FOLLOWERS_1)]
        ),
        f"{folder}followers_2.json": _ig([_ig_entry(u, 1676400000) for u in INSTAGRAM_FOLLOWERS_2]),
        f"{folder}following.json": _ig(
            {"relationships_following": [_ig_entry(u, 1700000000) for u in INSTAGRAM_FOLLOWING]}
        ),
        f"{folder}following_hashtags.json": _ig(
            {"relationships_following_hashtags": [_ig_entry("mathsclub", 1700000000)]}
        ),
        f"{folder}close_friends.json": _ig(
            {"relationships_close_friends": [_ig_entry("jack.t_2009", 1700000000)]}
        ),
        f"{folder}pending_follow_requests.json": _ig(
            {"relationships_follow_requests_sent": [_ig_entry("lily.r", 1700500000)]}
        ),
        # Threads lists sit elsewhere under the same names as the old Instagram ones.
        f"{threads}followers.json": _ig(
            {"text_post_app_text_post_app_followers": [_ig_entry("ellie_w", 1701000000)]}
        ),
        f"{threads}following.json": _ig(
            {"text_post_app_text_post_app_following": [_ig_entry("threads.only", 1701000000)]}
        ),
    }


def instagram_mid_2023() -> dict[str, str]:
    """The mid-2023 UK layout: followers_and_following/ without connections/."""
    folder = "followers_and_following/"
    return {
        f"{folder}followers_1.json": _ig([_ig_entry("jack.t_2009", 1676354318)]),
        f"{folder}following.json": _ig(
            {"relationships_following": [_ig_entry("ms_patel_art", 1700000000)]}
        ),
        f"{folder}blocked_accounts.json": _ig({"relationships_blocked_users": []}),
        f"{folder}follow_requests_you've_received.json": _ig(
            {"relationships_follow_requests_received": [_ig_entry("sam.k_08", 1700600000)]}
        ),
    }


def instagram_before_2023() -> dict[str, str]:
    """Before 2023: a single followers.json (the later followers_1.json under its old name)."""
    return {
        "followers_and_following/followers.json": _ig([_ig_entry("jack.t_2009", 1640000000)]),
        "followers_and_following/following.json": _ig(
            {"relationships_following": [_ig_entry("ms_patel_art", 1640000000)]}
        ),
    }


def instagram_2025_following() -> dict[str, str]:
    """2024-25: following.json with the user name in title and a /_u/...?igsh= address."""
    entries = [
        {
            "title": "ms_patel_art",
            "string_list_data": [
                {"href": "https://www.instagram.com/_u/ms_patel_art", "timestamp": 1749860021}
            ],
        },
        {
            "title": "",
            "string_list_data": [
                {
                    "href": "https://www.instagram.com/_u/Amy.Smith07?igsh=MWx2c3Z0",
                    "timestamp": 1749860022,
                }
            ],
        },
    ]
    folder = "connections/followers_and_following/"
    return {f"{folder}following.json": _ig({"relationships_following": entries})}


# --- X ---------------------------------------------------------------------------------------


def _ytd(which: str, ids: list[str], part: int = 0) -> str:
    entries = [
        {which: {"accountId": i, "userLink": f"https://twitter.com/intent/user?user_id={i}"}}
        for i in ids
    ]
    body = json.dumps(entries, indent=2, separators=(",", " : ")) if ids else "[ ]"
    return f"window.YTD.{which}.part{part} = {body}"


X_FOLLOWERS = ["1234567890123456789", "987654321", "1500000000000000001"]
X_FOLLOWING = ["44196397", "783214"]


def x_archive() -> dict[str, str]:
    """twitter-<date>-<uid>.zip: Your archive.html and data/*.js with the window.YTD prefix."""
    return {
        "Your archive.html": "<html><body>Your archive</body></html>",
        "data/account.js": 'window.YTD.account.part0 = [ { "account" : { "username" : "jdoe" } } ]',
        "data/follower.js": _ytd("follower", X_FOLLOWERS),
        "data/following.js": _ytd("following", X_FOLLOWING),
    }


def x_archive_empty() -> dict[str, str]:
    return {
        "data/follower.js": "window.YTD.follower.part0 = [ ]",
        "data/following.js": "window.YTD.following.part0 = []",
    }


# --- LinkedIn --------------------------------------------------------------------------------

LINKEDIN_NOTES = (
    'Notes:\n"When exporting your connection data, you may notice that some of the email '
    "addresses are missing. You will only see email addresses for connections who have allowed "
    "their connections to see or download their email address using this setting "
    "https://www.linkedin.com/psettings/privacy/email. You can learn more here "
    'https://www.linkedin.com/help/linkedin/answer/261"\n\n'
)
LINKEDIN_ROWS = (
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Priya,Patel,https://www.linkedin.com/in/priya-patel-1a2b3c,,Oakfield Academy,"
    "Teacher of Maths,05 Oct 2020\n"
    'Tom,"O\'Neill, Jr.",https://www.linkedin.com/in/tomoneill,tom@example.com,"Acme, Ltd",'
    "Engineer,12 Jan 2023\n"
    ",,,,,,01 Sep 2024\n"
    "Priya,Patel,https://www.linkedin.com/in/Priya-Patel-1a2b3c/?trk=public,,Oakfield Academy,"
    "Teacher of Maths,05 Oct 2020\n"
    "Renée,Dubois,https://www.linkedin.com/in/renee-dubois,,Brookside Trust,Governor,"
    "03 Mar 2021\n"
)


def linkedin_csv() -> str:
    return LINKEDIN_NOTES + LINKEDIN_ROWS


def linkedin_csv_crlf_bom() -> bytes:
    """The CRLF variant with a UTF-8 BOM and a shorter, quoted notes block."""
    notes = '"Notes:"\n"Some email addresses are missing, because of privacy settings."\n\n'
    return b"\xef\xbb\xbf" + (notes + LINKEDIN_ROWS).replace("\n", "\r\n").encode("utf-8")


def linkedin_export(csv_data: str | bytes | None = None) -> dict[str, str | bytes]:
    """Basic_LinkedInDataExport_<date>.zip: files at the top level."""
    return {
        "Connections.csv": linkedin_csv() if csv_data is None else csv_data,
        "Profile.csv": "First Name,Last Name,Headline\nJane,Doe,Teacher\n",
    }


# --- TikTok ----------------------------------------------------------------------------------


def tiktok_until_2024() -> dict[str, str]:
    """user_data.json: Activity > Follower List > FansList and Following List > Following."""
    doc = {
        "Activity": {
            "Follower List": {
                "FansList": [
                    {"Date": "2024-01-02 10:00:00", "UserName": "ellie.w_09"},
                    {"Date": "2024-02-03 11:30:00", "UserName": "noah.b12"},
                ]
            },
            "Following List": {
                "Following": [{"Date": "2024-01-01 10:00:00", "UserName": "mr.davies.pe"}]
            },
            "Video Browsing History": {"VideoList": [{"Date": "2024-01-01", "Link": "x"}]},
        },
        "Profile": {"Profile Information": {"ProfileMap": {"userName": "janedoe10"}}},
    }
    return {"user_data.json": json.dumps(doc, indent=2)}


def tiktok_2025() -> dict[str, str]:
    """user_data_tiktok.json inside TikTok_Data_<epoch>.zip: "Your Activity" > "Follower"."""
    doc = {
        "Your Activity": {
            "Follower": {"FansList": [{"Date": "2025-01-02 10:00:00", "UserName": "ellie.w_09"}]},
            "Following": {
                "Following": [{"Date": "2025-01-01 10:00:00", "UserName": "mr.davies.pe"}]
            },
        }
    }
    return {"TikTok_Data_1764000000/user_data_tiktok.json": json.dumps(doc, indent=2)}


def tiktok_2026() -> dict[str, str]:
    """The uncertain 2026 shape: Profile And Settings, item keys lower-cased, an empty list."""
    doc = {
        "Profile And Settings": {
            "Follower": {"FansList": [{"date": "2026-01-05 09:00:00", "username": "ruby.h"}]},
            "Following": {"Following": None},
        }
    }
    return {"user_data_tiktok.json": json.dumps(doc)}


def tiktok_text() -> dict[str, str]:
    """The TXT download (uncertain in the formats notes): Date and Username blocks."""
    return {
        "TikTok_Data_1764000000/Activity/Follower List.txt": (
            "Date: 2024-01-02 10:00:00\nUsername: ellie.w_09\n\n"
            "Date: 2024-02-03 11:30:00\nUsername: noah.b12\n\n"
        ),
        "TikTok_Data_1764000000/Activity/Following List.txt": (
            "Date: 2024-01-01 10:00:00\nUsername: mr.davies.pe\n"
        ),
    }


# --- Snapchat --------------------------------------------------------------------------------


def snapchat_export() -> dict[str, str]:
    """mydata~<epoch>.zip with json/friends.json (and the HTML twin, which is ignored)."""
    doc = {
        "Friends": [
            {
                "Username": "jackt09",
                "Display Name": "Jack T",
                "Creation Timestamp": "2023-02-21 18:40:50 UTC",
                "Last Modified Timestamp": "2023-02-21 18:40:50 UTC",
                "Source": "Added by Username",
            },
            {
                "Username": "amysmith_x",
                "Display Name": "",
                "Creation Timestamp": "2023-05-01 07:00:00 UTC",
                "Last Modified Timestamp": "2023-05-01 07:00:00 UTC",
                "Source": "added by phone",
            },
        ],
        "Friend Requests Sent": [
            {
                "Username": "ollie.p",
                "Display Name": "Ollie P",
                "Creation Timestamp": "2024-03-03 12:00:00 UTC",
                "Last Modified Timestamp": "2024-03-03 12:00:00 UTC",
                "Source": "added_by_username",
            }
        ],
        "Blocked Users": [
            {
                "Username": "blocked.one",
                "Display Name": "Blocked One",
                "Creation Timestamp": "2022-01-01 00:00:00 UTC",
                "Last Modified Timestamp": "2022-01-01 00:00:00 UTC",
                "Source": "added by unknown",
            }
        ],
        "Deleted Friends": [],
        "Hidden Friend Suggestions": [],
        "Ignored Snapchatters": [],
        "Pending Requests": [],
        "Shortcuts": [],
    }
    return {
        "json/friends.json": json.dumps(doc, indent=2),
        "json/account.json": "{}",
        "html/friends.html": "<html><body>Friends</body></html>",
        "index.html": "<html></html>",
    }
