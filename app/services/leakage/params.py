"""Rule parameters as pydantic models: one model per rule, built on the common one.

Query strings (every value a string, a list parameter possibly repeated) and Python callers
(typed values) go through the same model. The types (``param_types.py``) coerce and word the
problems; the fields declare defaults, bounds and descriptions. The catalogue
(``/v1/leakage/rules``) is read from the same fields, so a parameter is described where it is
checked and cannot drift from it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from types import NoneType, UnionType
from typing import Any, ClassVar, Literal, TypeVar, Union, cast, get_args, get_origin

import annotated_types
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from app.errors import FieldProblem, InvalidInput
from app.schemas.events import BANNED_APPLICATIONS
from app.schemas.leakage import ParamInfo, ParamType
from app.services.leakage.param_types import (
    Applications,
    Ceilings,
    GroupingChoice,
    Int,
    Moment,
    Number,
    OptionalMoment,
    Province,
    Uscc,
)

# Upper bounds of each element's mass share in a whole pack (kg per kg), by chemistry class: the
# cathode is at most ~40% of a pack's mass; LiFePO4 holds 4.4% Li and no Co or Ni; NCM/NCA
# cathodes hold up to ~7.5% Li, ~50% Ni, ~12% Co (523), ~17% Mn (523); 'unknown' also allows
# LCO (60% Co) and LMO (61% Mn). Our derivation [ours]; configurable per request.
DEFAULT_CEILINGS: dict[str, dict[str, float]] = {
    "lfp": {"li": 0.02, "co": 0.001, "ni": 0.001, "mn": 0.001},
    "ternary": {"li": 0.03, "ni": 0.2, "co": 0.1, "mn": 0.1},
    "unknown": {"li": 0.03, "ni": 0.2, "co": 0.25, "mn": 0.25},
}


def _now() -> datetime:
    return datetime.now(UTC)


def _workdays(default: int, what: str) -> Any:
    """A limit counted in Chinese working days (the 2018 provisions' limits are 15 or 30)."""
    return Field(default, ge=1, le=400, description=f"limit in Chinese working days for {what}")


class RuleParams(BaseModel):
    """What every rule takes; the summary takes only this."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    #: Parameters Python consumes itself: the rule's query does not declare them.
    python_only: ClassVar[frozenset[str]] = frozenset({"since_from", "since_until"})

    as_of: Moment = Field(
        default_factory=_now, description="the moment the rules judge at (RFC 3339 with offset); default now"
    )
    province: Province = Field(None, description="only findings in this province (GB/T 2260 code)")
    company: Uscc = Field(None, description="only findings naming this company as answerable (USCC)")
    since_from: OptionalMoment = Field(None, description="only findings whose `since` is at or after this moment")
    since_until: OptionalMoment = Field(None, description="only findings whose `since` is at or before this moment")

    def within(self, since: datetime) -> bool:
        """Whether a finding's ``since`` lies in the period asked for (``since_from``..``since_until``)."""
        if self.since_from is not None and since < self.since_from:
            return False
        return self.since_until is None or since <= self.since_until

    @property
    def windowed(self) -> bool:
        """Whether a period is asked for: findings are then selected before any paging."""
        return self.since_from is not None or self.since_until is not None

    @property
    def grouped(self) -> bool:
        """Whether Python groups the findings, so that the query cannot page them."""
        return False

    def for_query(self) -> dict[str, Any]:
        """The values the rule's query takes."""
        return {name: value for name, value in self if name not in self.python_only}

    def public(self) -> dict[str, Any]:
        """The effective values as a page states them (times in ISO 8601)."""
        return {k: (v.isoformat() if isinstance(v, datetime | date) else v) for k, v in self}


class PreScrapSeparationParams(RuleParams):
    days: Int = Field(90, ge=1, le=3650, description="how long before the scrapping a removal counts")


class DarkAfterRemovalParams(RuleParams):
    limit_wd: Int = _workdays(30, "removals for repair, replacement or other (repairs and replacements: 30 WD)")
    scrapping_limit_wd: Int = _workdays(15, "removals for scrapping (dismantlers send batteries on: 15 WD)")


class LostInTransitParams(RuleParams):
    limit_wd: Int = _workdays(30, "the receipt (battery into a service point, waste received: 30 WD)")


class ImplausibleRecoveryParams(RuleParams):
    ceilings: Ceilings = Field(
        DEFAULT_CEILINGS,
        description="upper bound of each element's mass share of a pack, by chemistry class (lfp, ternary, unknown)",
    )
    mass_tolerance: Number = Field(
        0.05,
        ge=0.0,
        le=10.0,
        description="a declared input above the battery's known mass by more than this share is capped",
    )


class RecyclerMassBalanceParams(RuleParams):
    days: Int = Field(365, ge=1, le=36500, description="length of the period ending at as_of")
    tolerance_share: Number = Field(0.02, ge=0.0, le=1.0, description="share of declared input tolerated")
    tolerance_kg: Number = Field(10.0, ge=0.0, le=1e9, description="absolute imbalance tolerated")


class ProhibitedUseParams(RuleParams):
    banned: Applications = Field(
        sorted(BANNED_APPLICATIONS), description="banned applications (comma-separated over HTTP)"
    )


class UnfitSecondLifeParams(RuleParams):
    min_soh_pct: Number = Field(
        70.0, ge=0.0, le=110.0, description="state of health (%) a second life in storage and the like needs"
    )
    backup_min_soh_pct: Number = Field(
        60.0, ge=0.0, le=110.0, description="state of health (%) a backup-power application needs"
    )
    backup_applications: Applications = Field(
        ["backup_power", "base_station"],
        description="applications judged by backup_min_soh_pct (comma-separated over HTTP)",
    )
    excluded: Applications = Field(
        sorted(BANNED_APPLICATIONS),
        description="applications not judged here: banned uses are prohibited_use's (comma-separated over HTTP)",
    )
    window_days: Int = Field(
        183, ge=1, le=3650, description="days before the repurposing a residual energy test must fall within"
    )


class SilentBatteryParams(RuleParams):
    service_life_years: Number = Field(
        8.0,
        ge=0.1,
        le=50.0,
        description="first-life batteries (warranty 8 years; typical service life 5-8 years)",
    )
    second_life_years: Number = Field(5.0, ge=0.1, le=50.0, description="second-life products")


class LateReportParams(RuleParams):
    python_only: ClassVar[frozenset[str]] = RuleParams.python_only | {"by", "persistent_months"}

    since: OptionalMoment = Field(None, description="only events that occurred at or after this moment")
    binding_wd: Int = _workdays(15, "installations by automakers (certificate issued, codes bound to the VIN)")
    repair_wd: Int = _workdays(30, "repairs and replacements")
    dismantler_wd: Int = _workdays(15, "scrapped vehicles received and batteries removed and sent on")
    second_life_wd: Int = _workdays(15, "second-life products and waste from second-life use in and out")
    recycler_wd: Int = _workdays(30, "waste batteries received by recyclers and recycling completed")
    service_point_wd: Int = _workdays(30, "batteries into and out of service points")
    by: GroupingChoice = Field(
        "event", description="event: one finding per late event; company_month: persistent lateness per company"
    )
    persistent_months: Int = Field(
        3,
        ge=1,
        le=120,
        description="consecutive months with late reports that make lateness persistent (by=company_month)",
    )

    @property
    def grouped(self) -> bool:
        return self.by != "event"


# --- what the catalogue says of each parameter, read from the fields -------------------------


@dataclass(frozen=True)
class Param:
    """One parameter as the catalogue lists it; ``cypher`` says whether the rule's query takes it."""

    name: str
    type: ParamType
    default: Any
    description: str
    nullable: bool = False
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    cypher: bool = True

    def info(self) -> ParamInfo:
        return ParamInfo(
            name=self.name,
            type=self.type,
            default=self.default,
            description=self.description,
            nullable=self.nullable,
            minimum=self.minimum,
            maximum=self.maximum,
            choices=list(self.choices) or None,
        )


@cache
def params_of(model: type[RuleParams]) -> tuple[Param, ...]:
    """The model's parameters in declaration order (the common ones first)."""
    return tuple(_describe(name, f, name not in model.python_only) for name, f in model.model_fields.items())


def _describe(name: str, info: FieldInfo, cypher: bool) -> Param:
    annotation = info.annotation
    nullable = False
    if get_origin(annotation) in (Union, UnionType):
        members = [a for a in get_args(annotation) if a is not NoneType]
        nullable = len(members) < len(get_args(annotation))
        (annotation,) = members
    literal = get_origin(annotation) is Literal
    return Param(
        name=name,
        type=_kind(annotation),
        # A factory stands for "now": the catalogue states it as null.
        default=None if info.default_factory is not None else info.default,
        description=info.description or "",
        nullable=nullable,
        # The bounds are the numbers the field was declared with (int for int fields).
        minimum=cast("float | None", next((m.ge for m in info.metadata if isinstance(m, annotated_types.Ge)), None)),
        maximum=cast("float | None", next((m.le for m in info.metadata if isinstance(m, annotated_types.Le)), None)),
        choices=tuple(get_args(annotation)) if literal else (),
        cypher=cypher,
    )


def _kind(annotation: Any) -> ParamType:
    origin = get_origin(annotation)
    if annotation is datetime:
        return "datetime"
    if annotation is int:
        return "int"
    if annotation is float:
        return "float"
    if annotation is str or origin is Literal:
        return "str"
    if origin is list:
        return "str_list"
    if origin is dict:
        return "json"
    raise TypeError(f"no parameter type for {annotation!r}")


# --- checking -------------------------------------------------------------------------------

P = TypeVar("P", bound=RuleParams)


def parse_params(model: type[P], rule_id: str, raw: Iterable[tuple[str, Any]] | Mapping[str, Any] = ()) -> P:
    """The model's values: the given ones checked, the others defaulted.

    ``raw`` holds strings (HTTP query parameters) or typed values (Python callers); every problem
    is reported at once, by parameter name, in the order the parameters are declared (unknown
    names first, in the order given)."""
    items = list(raw.items()) if isinstance(raw, Mapping) else list(raw)
    known = {p.name: p for p in params_of(model)}
    given: dict[str, list[Any]] = defaultdict(list)
    problems: list[FieldProblem] = []
    for name, value in items:
        if name not in known:
            problems.append(
                FieldProblem(name, f"not a parameter of rule {rule_id}; its parameters: {', '.join(known)}")
            )
        else:
            given[name].append(value)
    # Only a list parameter may be repeated (?banned=a&banned=b); it receives every value.
    repeated = {name for name, values in given.items() if len(values) > 1 and known[name].type != "str_list"}
    data = {
        name: values if known[name].type == "str_list" else values[0]
        for name, values in given.items()
        if name not in repeated
    }
    reasons: dict[str, str] = {}
    parsed: P | None = None
    try:
        parsed = model.model_validate(data)
    except ValidationError as err:
        for error in err.errors():
            reasons.setdefault(str(error["loc"][0]), _reason(error))
    for name in known:
        if name in repeated:
            problems.append(FieldProblem(name, "given more than once"))
        elif name in reasons:
            problems.append(FieldProblem(name, reasons[name]))
    if parsed is not None and parsed.since_from and parsed.since_until and parsed.since_until < parsed.since_from:
        problems.append(FieldProblem("since_until", f"is before since_from ({parsed.since_from.isoformat()})"))
    if problems or parsed is None:
        raise InvalidInput(problems, f"invalid parameters for rule {rule_id}")
    return parsed


def _reason(error: ErrorDetails) -> str:
    """One wording per problem: the coercion's own words, the bounds in ours."""
    ctx = error.get("ctx", {})
    if error["type"] == "value_error":
        return str(ctx["error"])
    if error["type"] == "greater_than_equal":
        return f"must be at least {ctx['ge']:g}"
    if error["type"] == "less_than_equal":
        return f"must be at most {ctx['le']:g}"
    return error["msg"]
