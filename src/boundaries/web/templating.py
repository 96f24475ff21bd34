"""Jinja2 set-up: autoescaping everywhere, British dates, and the helpers every page needs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from boundaries.screening.result import Finding
from boundaries.web.auth import CSRF_FIELD, Visitor, csrf_token, get_visitor

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"


def uk_date(value: dt.date | dt.datetime | None) -> str:
    """25/11/2026: the date form our users read; a stored moment (UTC) shows its UK date."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        from zoneinfo import ZoneInfo

        value = value.astimezone(ZoneInfo("Europe/London"))
    return value.strftime("%d/%m/%Y")


def uk_datetime(value: dt.datetime | None) -> str:
    """25/11/2026 14:05 in UK time, for timestamps."""
    if value is None:
        return ""
    try:
        from zoneinfo import ZoneInfo

        value = value.astimezone(ZoneInfo("Europe/London"))
    except Exception:  # pragma: no cover - tzdata missing: show UTC rather than fail
        pass
    return value.strftime("%d/%m/%Y %H:%M")


def highlight(text: str, findings: tuple[Finding, ...]) -> Markup:
    """The draft with each finding's evidence wrapped in ``<mark>``; everything else escaped.

    Overlapping spans are merged so that marks never nest; each mark names the findings it
    belongs to (for the legend and for screen readers).
    """
    spans = sorted((f.start, f.end, i) for i, f in enumerate(findings) if f.end > f.start)
    merged: list[tuple[int, int, list[int]]] = []
    for start, end, index in spans:
        if merged and start < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], end), [*last[2], index])
        else:
            merged.append((start, end, [index]))
    out: list[str] = []
    cursor = 0
    for start, end, indices in merged:
        out.append(str(Markup.escape(text[cursor:start])))
        labels = ", ".join(f"finding {i + 1}" for i in indices)
        severity = max((findings[i].severity for i in indices), key=lambda s: s.rank)
        out.append(
            f'<mark class="sev-{Markup.escape(severity)}" title="{Markup.escape(labels)}">'
            f"{Markup.escape(text[start:end])}"
            f'<span class="visually-hidden"> ({Markup.escape(labels)})</span></mark>'
        )
        cursor = end
    out.append(str(Markup.escape(text[cursor:])))
    return Markup("".join(out))


class Pages:
    """Renders templates with the visitor, CSRF token and app-wide values filled in."""

    def __init__(self) -> None:
        self.templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
        env = self.templates.env
        env.filters["uk_date"] = uk_date
        env.filters["uk_datetime"] = uk_datetime
        env.globals["highlight"] = highlight
        env.globals["CSRF_FIELD"] = CSRF_FIELD

    def render(
        self, request: Request, name: str, context: dict[str, Any] | None = None, status: int = 200
    ) -> HTMLResponse:
        visitor: Visitor | None = getattr(request.state, "visitor", None)
        values: dict[str, Any] = {
            "visitor": visitor,
            "principal": visitor.principal if visitor else None,
            "csrf": csrf_token(request, visitor) if visitor else "",
            "today": dt.date.today(),
        }
        values.update(context or {})
        return self.templates.TemplateResponse(request, name, values, status_code=status)


def ensure_visitor(request: Request) -> Visitor:
    """The visitor for error pages rendered outside the normal dependency chain."""
    visitor: Visitor | None = getattr(request.state, "visitor", None)
    if visitor is not None:
        return visitor
    from boundaries.web.state import app_state

    with app_state(request).sessions() as db:
        return get_visitor(request, db)
