"""What we tell the member of staff about an export, in plain words."""

from __future__ import annotations

from boundaries.connections.model import Platform

NAMES: dict[Platform, str] = {
    Platform.FACEBOOK: "Facebook",
    Platform.INSTAGRAM: "Instagram",
    Platform.X: "X",
    Platform.LINKEDIN: "LinkedIn",
    Platform.TIKTOK: "TikTok",
    Platform.SNAPCHAT: "Snapchat",
}

_JSON_STEPS: dict[Platform, str] = {
    Platform.FACEBOOK: (
        "in Facebook go to Settings & privacy > Settings > Accounts Centre > Your information "
        "and permissions > Download your information, choose Format: JSON and include "
        "Connections (friends and followers)"
    ),
    Platform.INSTAGRAM: (
        "in Instagram go to Settings > Accounts Centre > Your information and permissions > "
        "Download your information, choose Format: JSON and include Followers and following"
    ),
    Platform.SNAPCHAT: (
        'in Snapchat go to Settings > My Data, tick "Export JSON files" and include Friends'
    ),
}


def html_export(platform: Platform) -> str:
    steps = _JSON_STEPS.get(platform, "ask the platform for the JSON version")
    return (
        f"This is {NAMES[platform]}'s HTML download, which Boundaries cannot read. Please "
        f"download the JSON one instead: {steps}. Then upload that ZIP file."
    )


def names_only_user_names(platform: Platform) -> str:
    return (
        f"{NAMES[platform]} gives user names only, not people's names, so Boundaries can match "
        "these only where a user name contains a pupil's name."
    )


def missing_connections(platform: Platform, label: str) -> str:
    return (
        f"{label} looks like a {NAMES[platform]} download, but it holds no friends, followers or "
        "connections. Ask for your data again and include your connections (friends and "
        "followers), then upload that ZIP file."
    )


def nothing_recognised(label: str) -> str:
    return (
        f"We could not find any friends, followers or connections in {label}. Boundaries reads "
        "the data downloads of Facebook and Instagram (JSON), X, LinkedIn, TikTok (JSON) and "
        "Snapchat: upload the ZIP file exactly as the platform gave it to you."
    )
