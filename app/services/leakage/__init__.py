"""Leakage rules for regulators: which batteries left the licensed chain, where, through whom.

Each rule is one Cypher file ``cypher/leakage/<id>.cypher`` returning the same columns (battery,
since, company, company_name, province, evidence, missing, details), so that findings of every
rule look alike to an inspector and an evaluator can compare them with planted ground truth by
(rule id, battery code), or (rule id, company) for company-level rules. This package holds the
catalogue (meaning, parameters with their types and defaults from the domain document), checks
parameters, passes each query exactly the parameters its header declares, and adds what only
Python knows: deadlines in the official Chinese calendar and the calendar that decided them.

Working days: Cypher cannot call ``chinese_calendar``, so the rules that count working days get
the calendar as data (``workdays.ordinal_table``: one number per day) and test deadlines inside
the query, where filtering, ordering and paging stay; Python then states the deadline and the
calendar (official, or the weekday fallback beyond the years the library knows) on each finding.

``as_of`` is the moment the rules judge at: deadlines must have passed by then, and events after
it are ignored as seeds. The lifecycle projection the rules also read reflects the whole event
log, so ``as_of`` is meant to be at or after the latest event (now, or the as_of of a synthetic
world), not a replay of an earlier state.

Rooms, each importing only those listed before it: ``workdays`` (the calendar), ``param_types``
and ``params`` (parameter models), ``catalogue`` (the rules), ``running`` (pages, streams, every
rule at once), ``exports`` (CSV and JSON), ``summaries`` (counts and rates), ``compliance``
(one company's findings); ``recovery`` (recyclers against the minimum recovery rates) sits
beside ``running``.
Callers import from the package.
"""

from app.errors import UnknownRule
from app.services.leakage.catalogue import RULES, Rule, get_rule, list_rules, resolve_params
from app.services.leakage.compliance import company_findings
from app.services.leakage.exports import CSV_COLUMNS, Export, export
from app.services.leakage.params import DEFAULT_CEILINGS, Param, RuleParams, parse_params
from app.services.leakage.recovery import recovery_csv, recovery_report
from app.services.leakage.running import (
    ALL,
    VEHICLE_LEVEL,
    FindingStream,
    Scope,
    find,
    iter_findings,
    plan_all,
    query_params,
    run_all,
    to_finding,
)
from app.services.leakage.summaries import Tally, assemble, summary
from app.services.leakage.workdays import WorkdayCalendar, calendar_for, cst_date, deadline, make_calendar

__all__ = [
    "ALL",
    "CSV_COLUMNS",
    "DEFAULT_CEILINGS",
    "RULES",
    "VEHICLE_LEVEL",
    "Export",
    "FindingStream",
    "Param",
    "Rule",
    "RuleParams",
    "Scope",
    "Tally",
    "UnknownRule",
    "WorkdayCalendar",
    "assemble",
    "calendar_for",
    "company_findings",
    "cst_date",
    "deadline",
    "export",
    "find",
    "get_rule",
    "iter_findings",
    "list_rules",
    "make_calendar",
    "parse_params",
    "plan_all",
    "query_params",
    "recovery_csv",
    "recovery_report",
    "resolve_params",
    "run_all",
    "summary",
    "to_finding",
]
