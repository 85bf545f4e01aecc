"""The rule catalogue and parameter checking, without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from app.errors import InvalidInput
from app.queries import registry
from app.services import leakage
from app.services.leakage import RULES, UnknownRule, get_rule, resolve_params
from app.services.leakage.running import VEHICLE_LEVEL, query_params

CST = timezone(timedelta(hours=8))


def test_every_rule_has_its_query_and_the_query_takes_what_the_catalogue_gives() -> None:
    queries = registry()
    for rule in RULES.values():
        query = queries[rule.query]
        given = {p.name for p in rule.all_params if p.cypher} | {"skip", "limit", "batteries"}
        if rule.id in VEHICLE_LEVEL:
            given |= {"vehicles"}
        if rule.working_days:
            given |= {"wd_start", "wd"}
            if "smallest_wd" in query.params:  # the least of its limits, for a cheap first filter
                given |= {"smallest_wd"}
        assert set(query.params) == given, rule.id
        assert query.mode == "read"


def test_defaults_and_types() -> None:
    values = resolve_params(get_rule("dark_after_removal"), {})
    assert values["limit_wd"] == 30 and values["scrapping_limit_wd"] == 15
    assert values["province"] is None and values["company"] is None
    assert values["as_of"].tzinfo is not None
    assert abs(values["as_of"] - datetime.now(UTC)) < timedelta(minutes=1)
    typed = resolve_params(
        get_rule("late_report"),
        [("as_of", "2025-01-02T03:04:05 08:00"), ("binding_wd", "20"), ("by", "company_month"), ("since", "")],
    )
    assert typed["as_of"] == datetime(2025, 1, 2, 3, 4, 5, tzinfo=CST)  # '+' sent unescaped
    assert typed["binding_wd"] == 20 and typed["by"] == "company_month" and typed["since"] is None
    banned = resolve_params(get_rule("prohibited_use"), [("banned", "e_bike, scooter"), ("banned", "golf_cart")])
    assert banned["banned"] == ["e_bike", "golf_cart", "scooter"]
    ceilings = resolve_params(get_rule("implausible_recovery"), {"ceilings": '{"LFP": {"li": 0.05}}'})
    assert ceilings["ceilings"] == {"lfp": {"li": 0.05}}
    assert resolve_params(get_rule("silent_battery"), {"service_life_years": "2.5"})["service_life_years"] == 2.5


def test_problems_are_listed_together() -> None:
    with pytest.raises(InvalidInput) as caught:
        resolve_params(
            get_rule("late_report"),
            [
                ("binding_wd", "0"),
                ("repair_wd", "x"),
                ("by", "week"),
                ("company", "NOTAUSCC"),
                ("province", "31"),
                ("as_of", "2025-01-01"),
                ("nonsense", "1"),
                ("since", "a"),
                ("since", "b"),
            ],
        )
    fields = {p.field: p.reason for p in caught.value.problems}
    assert set(fields) == {"binding_wd", "repair_wd", "by", "company", "province", "as_of", "nonsense", "since"}
    assert "at least 1" in fields["binding_wd"] and "more than once" in fields["since"]
    assert "offset" in fields["as_of"]
    with pytest.raises(InvalidInput):
        resolve_params(get_rule("implausible_recovery"), {"ceilings": '{"lfp": {"li": 2}}'})
    with pytest.raises(InvalidInput):
        resolve_params(get_rule("silent_battery"), {"service_life_years": "nan"})


def test_unknown_rule_lists_the_valid_ones() -> None:
    with pytest.raises(UnknownRule) as caught:
        get_rule("teleportation")
    assert caught.value.status_code == 404
    assert caught.value.body()["rules"] == list(RULES)


def test_catalogue_describes_every_parameter() -> None:
    listed = leakage.list_rules(leakage.make_calendar()).rules
    assert [r.id for r in listed] == list(RULES)
    for rule in listed:
        assert all(p.description for p in rule.parameters)
        assert rule.level in ("battery", "company")


def test_late_report_gets_the_least_of_its_limits_for_its_first_filter() -> None:
    rule = get_rule("late_report")
    calendar = leakage.make_calendar()
    default = query_params(rule, rule.parse({}), calendar, 0, 10)
    limits = ("binding_wd", "repair_wd", "dismantler_wd", "second_life_wd", "recycler_wd", "service_point_wd")
    assert default["smallest_wd"] == min(default[name] for name in limits)
    lowered = query_params(rule, rule.parse({"recycler_wd": "2"}), calendar, 0, 10)
    assert lowered["smallest_wd"] == 2
