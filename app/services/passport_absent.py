"""The passport attributes no event or code tells this platform, each with the reason it is absent.

One table, so the reasons read the same in every passport and in docs/passport.md. The events
this platform receives (docs/data-model.md) describe where a battery is and who holds it, plus a
maker's chemistry, mass and energy and a recycler's recovered metals; the rest of a Battery Pass
is the maker's or the operator's declaration, measured or certified elsewhere.
"""

from __future__ import annotations

from typing import Any, Final

from app.schemas.passport import (
    Absent,
    BatteryCondition,
    BatteryTechnicalProperties,
    CarbonFootprint,
    Circularity,
    Labels,
    SupplyChainDueDiligence,
)
from app.schemas.passport import absent as _absent

_DECLARED: Final = "a declaration of the economic operator; no event carries it"
_MEASURED_BMS: Final = "a measurement from the battery management system; no event carries it"
_NOT_MEASURED: Final = "no health reading of this battery (health_measured, or a repurposing's condition) carries it"
_TESTED: Final = "a value from the maker's type tests; no event carries it"

REASONS: Final[dict[str, str]] = {
    # general product information
    "battery_passport_identifier": "no passport identifier is issued here; the product identifier and the Digital "
    "Link name the battery",
    "operator_information": "the economic operator placing the battery on the market is not recorded",
    "warranty_period": _DECLARED,
    # labels and compliance
    "declaration_of_conformity": _DECLARED,
    "result_of_test_report": "conformity test reports are not submitted to this platform",
    "labels": "the symbols printed on the battery's label are not submitted to this platform",
    # carbon footprint
    "battery_carbon_footprint": "carbon footprint declarations are not submitted to this platform",
    "carbon_footprint_per_lifecycle_stage": "carbon footprint declarations are not submitted to this platform",
    "carbon_footprint_performance_class": "carbon footprint declarations are not submitted to this platform",
    "carbon_footprint_study": "carbon footprint declarations are not submitted to this platform",
    "absolute_carbon_footprint": "carbon footprint declarations are not submitted to this platform",
    # supply chain due diligence
    "supply_chain_due_diligence_report": "due diligence reports are not submitted to this platform; its custody "
    "records start at the battery's production",
    "third_party_assurances": "supply chain certifications are not submitted to this platform",
    "supply_chain_indices": "supply chain indices are not submitted to this platform",
    # materials and composition
    "battery_materials": "the production event carries a chemistry, not the cathode, anode and electrolyte materials",
    "hazardous_substances": "the production event carries no substance list",
    # circularity
    "dismantling_and_removal_information": "dismantling manuals are not submitted to this platform",
    "spare_part_sources": "spare part suppliers are not recorded",
    "recycled_content": "the share of recycled material inside this battery is not reported (recovered_materials "
    "is what recycling it yielded)",
    "safety_measures": "safety instructions are not submitted to this platform",
    "end_of_life_information": "end-of-life information for users is not submitted to this platform",
    "renewable_content": "the share of renewable material is not reported",
    # performance: technical properties (rated energy is the production event's capacity_kwh)
    "original_power_capability": _TESTED,
    "rated_maximum_power": _TESTED,
    "power_capability_ratio": _TESTED,
    "expected_number_of_cycles": _TESTED,
    "initial_self_discharge": _TESTED,
    "roundtrip_efficiency": _TESTED,
    "rated_capacity": "the production event reports energy (capacity_kwh, see rated_energy), not ampere-hours",
    "initial_internal_resistance": _TESTED,
    "expected_lifetime": _DECLARED,
    "c_rate": _TESTED,
    "nominal_voltage": _TESTED,
    "minimum_voltage": _TESTED,
    "maximum_voltage": _TESTED,
    "capacity_threshold_for_exhaustion": _DECLARED,
    "lifetime_reference_test": _TESTED,
    "c_rate_life_cycle_test": _TESTED,
    "temperature_range_idle_state": _TESTED,
    "round_trip_efficiency_at_50_per_cent_cycle_life": _TESTED,
    "round_trip_efficiency_fade": _MEASURED_BMS,
    "power_fade": _MEASURED_BMS,
    # performance: condition
    "energy_throughput": _MEASURED_BMS,
    "capacity_throughput": _MEASURED_BMS,
    "number_of_full_cycles": _NOT_MEASURED,
    "state_of_certified_energy": _NOT_MEASURED,
    "capacity_fade": _NOT_MEASURED,
    "remaining_energy": _NOT_MEASURED,
    "remaining_capacity": _MEASURED_BMS,
    "negative_events": "accidents and other negative events are not reported as such (repairs and removals are "
    "in lifecycle_history)",
    "temperature_information": _MEASURED_BMS,
    "remaining_power_capability": _MEASURED_BMS,
    "evolution_of_self_discharge": _MEASURED_BMS,
    "current_self_discharging_rate": _MEASURED_BMS,
    "internal_resistance_increase": _MEASURED_BMS,
    "remaining_round_trip_energy_efficiency": _MEASURED_BMS,
    "state_of_charge": _MEASURED_BMS,
}


def reason(attribute: str) -> Absent:
    """The attribute as absent, in the one wording."""
    return _absent(f"not reported to this platform: {REASONS[attribute]}")


def _all(names: tuple[str, ...]) -> dict[str, Absent]:
    return {name: reason(name) for name in names}


def _fields(model: type[Any], *held: str) -> tuple[str, ...]:
    return tuple(n for n in model.model_fields if n not in held)


def labels() -> Labels:
    return Labels(**_all(_fields(Labels)))


def carbon_footprint() -> CarbonFootprint:
    return CarbonFootprint(**_all(_fields(CarbonFootprint)))


def due_diligence() -> SupplyChainDueDiligence:
    return SupplyChainDueDiligence(**_all(_fields(SupplyChainDueDiligence)))


def circularity() -> dict[str, Absent]:
    """Every circularity attribute but recovered_materials, which the recycled event tells."""
    return _all(_fields(Circularity, "recovered_materials"))


def technical_properties(*, rated_energy: Any) -> BatteryTechnicalProperties:
    return BatteryTechnicalProperties(
        rated_energy=rated_energy, **_all(_fields(BatteryTechnicalProperties, "rated_energy"))
    )


def condition(held: dict[str, Any], readings: list[Any]) -> BatteryCondition:
    """The condition group: what the readings give (``held``), every other attribute absent."""
    rest = _fields(BatteryCondition, *held, "health_readings")
    return BatteryCondition(**_all(rest), **held, health_readings=readings)
