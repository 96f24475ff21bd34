"""Who is asking, and the rule each route follows: shared by the authorisation matrix in
``test_web_security.py`` and by each capability's own table in ``tests/authz_rules/``.

A capability adds its routes by creating ``tests/authz_rules/<area>.py`` with a
``ROUTES: dict[str, Rule]``; the matrix then checks that together they cover every route.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# -- who is asking -------------------------------------------------------------------------------
ANONYMOUS = "anonymous"
# Everyone with a role in Meadowbank, one person per school role.
MEADOWBANK_STAFF = frozenset(
    {
        "staff_teacher",
        "staff_support",
        "supply",
        "governor",
        "contractor",
        "volunteer",
        "line_manager",
        "headteacher",
        "dsl",
        "hr",
        "it_admin",
    }
)
# Westvale's trust officers: Meadowbank is one of Westvale's schools.
WESTVALE_OFFICERS = frozenset({"trust_admin", "trust_safeguarding", "trust_hr"})
# A teacher at Hillcrest (also Westvale) and one at Brookside (another trust altogether).
HILLCREST_TEACHER = "hillcrest_teacher"
BROOKSIDE_TEACHER = "brookside_teacher"
ACTORS = (
    ANONYMOUS,
    *sorted(MEADOWBANK_STAFF),
    *sorted(WESTVALE_OFFICERS),
    HILLCREST_TEACHER,
    BROOKSIDE_TEACHER,
)

EVERYONE = frozenset(ACTORS)
SIGNED_IN = EVERYONE - {ANONYMOUS}
USES_MEADOWBANK = MEADOWBANK_STAFF | WESTVALE_OFFICERS
# Who holds which role in the school is for its leaders, HR, IT and the trust.
SEES_MEADOWBANK_PEOPLE = frozenset({"headteacher", "dsl", "hr", "it_admin"}) | WESTVALE_OFFICERS
# People to whom Meadowbank exists: refused with 403 rather than 404.
KNOWS_MEADOWBANK = MEADOWBANK_STAFF | WESTVALE_OFFICERS


@dataclass(frozen=True)
class Rule:
    """Who may use a route, what an allowed request gets, and what the request carries.

    ``params`` fills path parameters beyond ``school_id``, ``draft_id``, ``provider`` and
    ``trust_id`` from the site under test (for example an id of a row it creates).
    ``refused`` gives the status a refused signed-in actor gets, when it is not the usual
    403 (knows the school) or 404 (does not).
    """

    allowed: frozenset[str]
    ok: frozenset[int]
    form: dict[str, str] = field(default_factory=dict)
    json: dict[str, Any] | None = None
    params: Callable[[Any], dict[str, object]] | None = None
    refused: Callable[[str], int] | None = None


def area_routes() -> dict[str, Rule]:
    """Every capability's rows, from the modules in ``tests/authz_rules``."""
    import tests.authz_rules as package

    routes: dict[str, Rule] = {}
    for module_info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"tests.authz_rules.{module_info.name}")
        table: dict[str, Rule] = module.ROUTES
        clash = set(routes) & set(table)
        assert not clash, f"routes listed twice: {sorted(clash)}"
        routes.update(table)
    return routes
