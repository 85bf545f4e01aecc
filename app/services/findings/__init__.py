"""Findings kept as cases: stored by sweeps, worked by regulators, answered by companies.

Rooms, each importing only those before it: ``tallies`` (the counts of unresolved findings by rule,
province and company, kept beside them), ``sweep`` (the rules run and the stored set brought up
to date), ``maintain`` (the same for what new events touched), ``cases`` (status, assignee, notes,
answers), ``reads`` (lists, the feed, days, duties), ``summary`` (the leakage summary from the
stored set) and ``keeper`` (the API's background maintenance and sweeps).
"""

from app.services.findings.cases import answer, detail, update, visible
from app.services.findings.keeper import Keeper, due, next_step
from app.services.findings.maintain import MaintenanceReport, maintain
from app.services.findings.reads import CaseFilters, changes, daily, duties, iter_cases, list_cases
from app.services.findings.summary import stored_summary
from app.services.findings.sweep import compute, finding_id, sweep
from app.services.findings.tallies import TallyCheck, tallies_agree

__all__ = [
    "CaseFilters",
    "Keeper",
    "MaintenanceReport",
    "TallyCheck",
    "answer",
    "changes",
    "compute",
    "daily",
    "detail",
    "due",
    "duties",
    "finding_id",
    "iter_cases",
    "list_cases",
    "maintain",
    "next_step",
    "stored_summary",
    "sweep",
    "tallies_agree",
    "update",
    "visible",
]
