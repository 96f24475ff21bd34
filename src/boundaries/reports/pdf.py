"""Printed documents: HTML templates rendered to A4 PDF by WeasyPrint.

The templates live with the web app's (``web/templates/report_*_pdf.html``) so that the web page
and the PDF share one include for the report's sections; they are loaded here with a plain Jinja
environment, so nothing in this module needs the web app.

WeasyPrint is given a URL fetcher that fetches nothing but ``data:`` URLs: a document is built
only from what we put in it, and a name in the data can never make the server reach out.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from boundaries.reports.charts import completion_chart, schools_chart
from boundaries.reports.governors import SchoolReport, TrustReport
from boundaries.reports.subject_access import SubjectAccessExport

UK = ZoneInfo("Europe/London")


def uk_date(value: date | datetime | None) -> str:
    """25/11/2026; a timestamp is first put into UK time."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(UK)
    return value.strftime("%d/%m/%Y")


def uk_datetime(value: datetime | None) -> str:
    """25/11/2026 14:05, UK time."""
    if value is None:
        return ""
    return value.astimezone(UK).strftime("%d/%m/%Y %H:%M")


# Field names in the subject access export, as a reader would put them.
_LABELS = {
    "id": "Id",
    "mis_id": "MIS id",
    "imei": "IMEI",
    "ip": "IP address",
    "mac": "MAC address",
    "urn": "URN",
}


def field_label(name: str) -> str:
    """``created_at`` → "Created at"."""
    return _LABELS.get(name) or name.replace("_", " ").capitalize()


def shown(value: object) -> str:
    """A value as the PDF shows it: UK dates, Yes/No, a dash for nothing."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return uk_datetime(value)
    if isinstance(value, date):
        return uk_date(value)
    return str(value)


_environment: Environment | None = None


def environment() -> Environment:
    global _environment
    if _environment is None:
        env = Environment(
            loader=PackageLoader("boundaries", "web/templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=False,
        )
        env.filters["uk_date"] = uk_date
        env.filters["uk_datetime"] = uk_datetime
        env.filters["field_label"] = field_label
        env.filters["shown"] = shown
        _environment = env
    return _environment


def render_html(template: str, context: dict[str, Any]) -> str:
    return environment().get_template(template).render(**context)


def html_to_pdf(html: str) -> bytes:
    """An A4 PDF of ``html`` (its own ``@page`` rules set the size and running headers)."""
    # Imported here: WeasyPrint loads Pango when imported, which only the PDF routes need.
    from weasyprint import HTML, URLFetcher  # type: ignore[import-untyped]

    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    pdf: bytes = HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()
    return pdf


def school_report_pdf(report: SchoolReport) -> bytes:
    html = render_html(
        "report_governors_pdf.html",
        {"report": report, "chart": completion_chart(report.groups, chart_id="completion")},
    )
    return html_to_pdf(html)


def trust_report_pdf(report: TrustReport) -> bytes:
    html = render_html(
        "report_governors_trust_pdf.html",
        {"report": report, "chart": schools_chart(report.schools), "links": False},
    )
    return html_to_pdf(html)


def subject_access_pdf(export: SubjectAccessExport) -> bytes:
    return html_to_pdf(render_html("report_subject_access_pdf.html", {"export": export}))
