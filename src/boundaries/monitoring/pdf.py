"""A monitoring report as an A4 PDF (WeasyPrint, as :mod:`boundaries.reports.pdf`): the
authorisation it ran under, the filters, the chart and the table, and the run's number in the
log, so that a printed copy can be traced back to the record of its run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from boundaries.monitoring.authorisations import PURPOSE_LABELS
from boundaries.monitoring.charts import report_chart
from boundaries.monitoring.report_forms import shown_rows
from boundaries.monitoring.reports import ReportTable
from boundaries.reports.pdf import html_to_pdf, render_html
from boundaries.store import LogDataset, MonitoringAuthorisation, MonitoringRun, School


@dataclass(frozen=True)
class ReportDocument:
    """Everything the printed report shows."""

    school: School
    authorisation: MonitoringAuthorisation
    dataset: LogDataset
    run: MonitoringRun
    title: str
    filters: Sequence[tuple[str, str]]  # (what, value) as a reader would put them
    table: ReportTable
    headings: Sequence[str]


def report_pdf(document: ReportDocument) -> bytes:
    context: dict[str, Any] = {
        "doc": document,
        "purpose": PURPOSE_LABELS[document.authorisation.purpose],
        "rows": shown_rows(document.table),
        "chart": report_chart(document.table, document.title, chart_id="report-chart"),
    }
    return html_to_pdf(render_html("monitoring_report_pdf.html", context))
