"""Who may use the photo check and the school's badge and location settings (issue 8).

Everyone who uses the school checks photos; the leaders who manage the policy (headteacher, HR;
the trust's administrators and HR) set the badge and location. A badge to remove is made fresh
for each request, so the order the matrix runs in does not matter.
"""

from __future__ import annotations

import io
from typing import Any

from PIL import Image, ImageDraw

from boundaries.store import SchoolBadge
from tests.authz import USES_MEADOWBANK, Rule

MANAGES_MEADOWBANK_POLICY = frozenset({"headteacher", "hr", "trust_admin", "trust_hr"})


def _badge_png() -> bytes:
    image = Image.new("RGB", (64, 64), (255, 255, 255))
    ImageDraw.Draw(image).ellipse((8, 8, 56, 56), fill=(20, 50, 120))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _a_badge(site: Any) -> dict[str, object]:
    # Made as a row directly: the refused requests leave theirs behind, past the school's limit.
    with site.state.sessions() as session:
        badge = SchoolBadge(
            school_id=site.world.meadowbank,
            filename="matrix.png",
            media_type="image/png",
            width=64,
            height=64,
            data=_badge_png(),
        )
        session.add(badge)
        session.commit()
        return {"badge_id": badge.id}


ROUTES: dict[str, Rule] = {
    # No photo chosen: the page comes back with the problem (the matrix sends no files).
    "POST /schools/{school_id}/check/images": Rule(USES_MEADOWBANK, frozenset({400})),
    "GET /schools/{school_id}/image-settings": Rule(MANAGES_MEADOWBANK_POLICY, frozenset({200})),
    "POST /schools/{school_id}/image-settings/location": Rule(
        MANAGES_MEADOWBANK_POLICY,
        frozenset({303}),
        form={"latitude": "53.80076", "longitude": "-1.54908", "radius": "400"},
    ),
    # No badge chosen: the settings page comes back with the problem.
    "POST /schools/{school_id}/image-settings/badges": Rule(
        MANAGES_MEADOWBANK_POLICY, frozenset({400})
    ),
    "POST /schools/{school_id}/image-settings/badges/{badge_id}/delete": Rule(
        MANAGES_MEADOWBANK_POLICY, frozenset({303}), params=_a_badge
    ),
}
