"""The vocabularies, assembled from the very tables the checks use, so they cannot drift apart."""

from __future__ import annotations

from functools import cache
from typing import get_args

from app.identifiers.chemistry import CHEMISTRIES
from app.identifiers.provinces import PROVINCES
from app.lifecycle.claims import ACTS, WarningCode
from app.schemas.events import BANNED_APPLICATIONS, CorrectionReason, HealthMethod, RemovalReason
from app.schemas.registry import LicenceScope, Role, VehicleCategory
from app.schemas.vocabularies import (
    ActTerm,
    ApplicationTerm,
    ChemistryTerm,
    ProvinceTerm,
    Term,
    Vocabularies,
)

# Names in both languages of every closed value a sender may use.
_WORDS: dict[str, tuple[str, str]] = {
    "passenger_bev": ("纯电动乘用车", "battery-electric passenger car"),
    "passenger_phev": ("插电式混合动力乘用车", "plug-in hybrid passenger car"),
    "mini_bev": ("微型纯电动车", "mini battery-electric car"),
    "bus": ("客车", "bus"),
    "truck": ("货车", "truck"),
    "other": ("其他", "other"),
    "repair": ("维修", "repair"),
    "replacement": ("更换", "replacement"),
    "scrapping": ("报废", "scrapping"),
    "incorrect_data": ("数据有误", "incorrect data"),
    "did_not_occur": ("未发生", "did not occur"),
    "dismantling": ("拆解", "dismantling"),
    "second_life": ("梯次利用", "second life"),
    "recycling": ("再生利用", "recycling"),
    "battery_maker": ("电池生产企业", "battery maker"),
    "automaker": ("汽车生产企业", "automaker"),
    "importer": ("进口商", "importer"),
    "swap_operator": ("换电运营企业", "swap operator"),
    "repairer": ("维修企业", "repairer"),
    "service_point": ("回收服务网点", "recycling service point"),
    "dismantler": ("报废机动车回收拆解企业", "dismantler"),
    "recycler": ("再生利用企业", "recycler"),
    "energy_storage": ("储能", "energy storage"),
    "backup_power": ("备用电源", "backup power"),
    "base_station": ("通信基站", "telecom base station"),
    "low_speed_vehicle": ("低速车", "low-speed vehicle"),
    "e_bike": ("电动自行车", "electric bicycle"),
    "electric_bicycle": ("电动自行车", "electric bicycle"),
    "e_tricycle": ("电动三轮车", "electric tricycle"),
    "before_production": ("早于生产", "before production"),
    "after_recycling": ("晚于再生利用", "after recycling"),
    "two_vehicles": ("同时装于两车", "in two vehicles at once"),
    "unexplained_receipt": ("无对应发货的接收", "receipt without a shipment"),
    "produced_repeatedly": ("重复生产上报", "produced twice"),
    "not_holder": ("上报方未持有", "reporter did not hold it"),
    "role_mismatch": ("与登记角色不符", "outside the reporter's roles"),
    "station_not_operated": ("非本企业换电站", "station of another operator"),
    "capacity_above_rated": ("实测容量高于额定", "capacity above the rated one"),
    "cycle_count_decreased": ("循环次数减少", "cycle count went down"),
    "bms_readout": ("BMS读数", "BMS readout"),
    "residual_energy_test": ("剩余能量检测（GB/T 34015）", "residual energy test (GB/T 34015)"),
    "estimate": ("估算", "estimate"),
}
_APPLICATIONS = ("energy_storage", "backup_power", "base_station", "low_speed_vehicle", *sorted(BANNED_APPLICATIONS))


def _terms(names: tuple[str, ...]) -> list[Term]:
    return [Term(name=n, zh=_WORDS[n][0], en=_WORDS[n][1]) for n in names]


@cache
def vocabularies() -> Vocabularies:
    return Vocabularies(
        chemistries=[
            ChemistryTerm(
                name=t.name, zh=t.zh, en=t.en, letter=t.letter, letter_confirmed=t.confirmed, aliases=list(t.aliases)
            )
            for t in CHEMISTRIES.values()
        ],
        vehicle_categories=_terms(get_args(VehicleCategory)),
        removal_reasons=_terms(get_args(RemovalReason)),
        correction_reasons=_terms(get_args(CorrectionReason)),
        health_methods=_terms(get_args(HealthMethod)),
        second_life_applications=[
            ApplicationTerm(name=n, zh=_WORDS[n][0], en=_WORDS[n][1], banned=n in BANNED_APPLICATIONS)
            for n in _APPLICATIONS
        ],
        licence_scopes=_terms(get_args(LicenceScope)),
        company_roles=_terms(get_args(Role)),
        provinces=[ProvinceTerm(code=p.code, zh=p.zh, en=p.en) for p in PROVINCES.values()],
        event_types=[
            ActTerm(type=name, reported_by=a.who, fitting_roles=sorted(a.roles), refused=a.refused)
            for name, a in ACTS.items()
        ],
        warnings=_terms(get_args(WarningCode)),
    )
