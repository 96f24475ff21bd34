"""Incidents and cases: reports, evidence, the workflow, verification, bundles and retention
(sections 6, 11 and 12)."""
