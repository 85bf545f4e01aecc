"""Every number that shapes the synthetic world, each with where it comes from.

Sources: "domain.md" is /work/shared/docs/domain.md (public press on the Chinese rules, GB/T 34014,
industry figures); "public" is widely reported industry data (CAAM sales, CABIA installations);
"our estimate" is a judgement call made to keep the world plausible. Everything is a field of
``SynthConfig`` so an experiment can override it (``generate_world(..., leak_share=0.3)``)
without editing code, and the manifest records the values a world was built with.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from loaders.synth.timeline import RECORD_MARGIN_DAYS

__all__ = [
    "CATEGORIES",
    "PROVINCES",
    "CategorySpec",
    "Province",
    "SynthConfig",
    "config_to_json",
]

#: Vehicle categories of the event contract, in a fixed order (determinism: never a set).
CATEGORIES: tuple[str, ...] = ("passenger_bev", "passenger_phev", "mini_bev", "bus", "truck")


@dataclass(frozen=True)
class Province:
    """A GB/T 2260 province-level division, its capital's position and a few city names."""

    code: str
    name: str
    lat: float
    lon: float
    cities: tuple[str, ...]
    weight: float  # share of NEV activity; our estimate from public provincial fleet rankings


#: The 31 mainland province-level divisions (GB/T 2260), capitals' coordinates (public).
PROVINCES: tuple[Province, ...] = (
    Province("110000", "Beijing", 39.904, 116.407, ("Beijing", "Haidian", "Shunyi"), 5.0),
    Province("120000", "Tianjin", 39.084, 117.201, ("Tianjin", "Binhai"), 3.0),
    Province("130000", "Hebei", 38.042, 114.515, ("Shijiazhuang", "Baoding", "Tangshan"), 4.0),
    Province("140000", "Shanxi", 37.870, 112.549, ("Taiyuan", "Datong"), 2.0),
    Province("150000", "Inner Mongolia", 40.842, 111.749, ("Hohhot", "Baotou", "Ordos"), 1.0),
    Province("210000", "Liaoning", 41.806, 123.432, ("Shenyang", "Dalian"), 2.0),
    Province("220000", "Jilin", 43.817, 125.324, ("Changchun", "Jilin"), 1.0),
    Province("230000", "Heilongjiang", 45.803, 126.535, ("Harbin", "Daqing"), 1.0),
    Province("310000", "Shanghai", 31.230, 121.474, ("Shanghai", "Jiading", "Pudong"), 6.0),
    Province("320000", "Jiangsu", 32.060, 118.797, ("Nanjing", "Suzhou", "Changzhou"), 8.0),
    Province("330000", "Zhejiang", 30.274, 120.155, ("Hangzhou", "Ningbo", "Wenzhou"), 9.0),
    Province("340000", "Anhui", 31.821, 117.227, ("Hefei", "Wuhu"), 4.0),
    Province("350000", "Fujian", 26.074, 119.296, ("Fuzhou", "Xiamen", "Ningde"), 4.0),
    Province("360000", "Jiangxi", 28.682, 115.858, ("Nanchang", "Yichun", "Ganzhou"), 2.0),
    Province("370000", "Shandong", 36.651, 117.120, ("Jinan", "Qingdao", "Zibo"), 7.0),
    Province("410000", "Henan", 34.746, 113.625, ("Zhengzhou", "Luoyang", "Xinxiang"), 6.0),
    Province("420000", "Hubei", 30.593, 114.305, ("Wuhan", "Xiangyang", "Yichang"), 4.0),
    Province("430000", "Hunan", 28.228, 112.939, ("Changsha", "Zhuzhou"), 4.0),
    Province("440000", "Guangdong", 23.129, 113.264, ("Guangzhou", "Shenzhen", "Foshan"), 12.0),
    Province("450000", "Guangxi", 22.817, 108.366, ("Nanning", "Liuzhou"), 3.0),
    Province("460000", "Hainan", 20.044, 110.199, ("Haikou", "Sanya"), 2.0),
    Province("500000", "Chongqing", 29.563, 106.551, ("Chongqing", "Liangjiang"), 3.0),
    Province("510000", "Sichuan", 30.573, 104.066, ("Chengdu", "Yibin", "Suining"), 5.0),
    Province("520000", "Guizhou", 26.647, 106.630, ("Guiyang", "Zunyi"), 1.5),
    Province("530000", "Yunnan", 25.038, 102.718, ("Kunming", "Qujing"), 2.0),
    Province("540000", "Tibet", 29.652, 91.172, ("Lhasa",), 0.2),
    Province("610000", "Shaanxi", 34.341, 108.940, ("Xi'an", "Xianyang", "Baoji"), 3.0),
    Province("620000", "Gansu", 36.061, 103.834, ("Lanzhou", "Tianshui"), 0.8),
    Province("630000", "Qinghai", 36.617, 101.778, ("Xining", "Golmud"), 0.3),
    Province("640000", "Ningxia", 38.487, 106.231, ("Yinchuan", "Shizuishan"), 0.5),
    Province("650000", "Xinjiang", 43.825, 87.617, ("Urumqi", "Karamay"), 1.0),
)


@dataclass(frozen=True)
class CategorySpec:
    """Pack size, mass and vehicle service life of one vehicle category."""

    share: float  # share of ordinary (non-swap) vehicles
    capacity_kwh: tuple[float, float]
    density_wh_per_kg: tuple[float, float]  # pack level; domain.md: 130-180 Wh/kg
    mass_kg: tuple[float, float]  # clamp after capacity / density
    life_years: tuple[float, float]  # vehicle service life: mean, standard deviation
    chemistry: str | None  # fixed chemistry, or None for the year's LFP/ternary mix
    model_names: tuple[str, ...]  # synthetic model names


def _categories() -> dict[str, CategorySpec]:
    # Shares: domain.md says 69% of the NEV fleet is BEV; the split of that 69% between
    # passenger cars, mini cars, buses and trucks is our estimate. Pack ranges: domain.md 4.
    return {
        "passenger_bev": CategorySpec(
            share=0.59,
            capacity_kwh=(45.0, 80.0),
            density_wh_per_kg=(130.0, 180.0),
            mass_kg=(280.0, 560.0),
            life_years=(9.5, 3.0),
            chemistry=None,
            model_names=("Aurora", "Star 7", "E5", "Nova", "Horizon", "Meteor S"),
        ),
        "passenger_phev": CategorySpec(
            share=0.31,
            capacity_kwh=(10.0, 45.0),
            density_wh_per_kg=(130.0, 180.0),
            mass_kg=(60.0, 300.0),
            life_years=(9.5, 3.0),
            chemistry=None,
            model_names=("Atlas PHEV", "Voyager EREV", "Range 7", "Tour Hybrid"),
        ),
        # Mini BEVs are LFP (domain.md); life our estimate (cheap cars, shorter life).
        "mini_bev": CategorySpec(
            share=0.06,
            capacity_kwh=(10.0, 40.0),
            density_wh_per_kg=(130.0, 180.0),
            mass_kg=(70.0, 300.0),
            life_years=(8.0, 2.5),
            chemistry="LFP",
            model_names=("Mini EV", "Pocket", "Sparrow"),
        ),
        # City buses: domain.md pack range; LFP because ternary buses were kept out of the
        # subsidy catalogue (our reading of public policy); 8-year bus life our estimate.
        "bus": CategorySpec(
            share=0.02,
            capacity_kwh=(200.0, 400.0),
            density_wh_per_kg=(130.0, 160.0),
            mass_kg=(1300.0, 3000.0),
            life_years=(8.0, 1.5),
            chemistry="LFP",
            model_names=("City Bus 12m", "City Bus 10m", "Coach E12"),
        ),
        # Non-swap trucks (light logistics to heavy): our estimate around domain.md's 300 kWh.
        "truck": CategorySpec(
            share=0.02,
            capacity_kwh=(80.0, 350.0),
            density_wh_per_kg=(130.0, 160.0),
            mass_kg=(500.0, 2300.0),
            life_years=(7.0, 2.0),
            chemistry=None,
            model_names=("Logistics Van", "Heavy Tractor E", "Light Truck E"),
        ),
    }


def _swap_packs() -> dict[str, CategorySpec]:
    # Swap packs, keyed by the category of the vehicles they serve; ``share`` is the share of
    # station clusters. Passenger: domain.md "premium or swap-capable 70-150 kWh (450-580 kg,
    # ternary)", so the density range reaches semi-solid cells. Truck: domain.md "about
    # 300 kWh (about 2 t)", LFP our estimate. Cluster shares our estimate.
    return {
        "passenger_bev": CategorySpec(
            share=0.9,
            capacity_kwh=(70.0, 150.0),
            density_wh_per_kg=(150.0, 260.0),
            mass_kg=(450.0, 580.0),
            life_years=(9.5, 3.0),
            chemistry="ternary",
            model_names=("Swap S6", "Swap Sedan", "Orbit 60", "Swap SUV 8"),
        ),
        "truck": CategorySpec(
            share=0.1,
            capacity_kwh=(280.0, 350.0),
            density_wh_per_kg=(140.0, 165.0),
            mass_kg=(1800.0, 2300.0),
            life_years=(7.0, 2.0),
            chemistry="LFP",
            model_names=("Heavy Tractor Swap", "Dump Truck Swap"),
        ),
    }


@dataclass(frozen=True)
class SynthConfig:
    """Parameters of one synthetic world; ``batteries`` and ``seed`` come from the caller."""

    batteries: int = 2000
    seed: int = 1
    as_of: date = date(2026, 11, 1)  # events strictly before this day are written

    # --- time -----------------------------------------------------------------------------
    first_year: int = 2015  # brief: production spread over 2015..as_of
    # NEV sales in millions per year: 2015-2023 public (CAAM), 2024 and 2025 domain.md,
    # 2026 our estimate. Production years are drawn in proportion; later years reuse the last.
    sales_by_year: tuple[tuple[int, float], ...] = (
        (2015, 0.33), (2016, 0.51), (2017, 0.78), (2018, 1.26), (2019, 1.21), (2020, 1.37),
        (2021, 3.52), (2022, 6.89), (2023, 9.49), (2024, 12.9), (2025, 16.5), (2026, 18.0),
    )  # fmt: skip
    # LFP share of new packs in categories without a fixed chemistry. domain.md: ternary led
    # until 2021, about two thirds LFP since 2024; the in-between years are our estimate from
    # public installation statistics (LFP-only minis and buses and ternary swap packs roughly cancel).
    lfp_share_by_year: tuple[tuple[int, float], ...] = (
        (2015, 0.45), (2016, 0.45), (2017, 0.35), (2018, 0.30), (2019, 0.30), (2020, 0.35),
        (2021, 0.50), (2022, 0.58), (2023, 0.63), (2024, 0.66), (2025, 0.66), (2026, 0.66),
    )  # fmt: skip

    # --- vehicles -------------------------------------------------------------------------
    categories: dict[str, CategorySpec] = field(default_factory=_categories)
    # Share of passenger BEVs in taxi or ride-hailing use, which retire after 5-8 years
    # (domain.md: typical service life 5-8 years); share and life our estimate.
    fleet_use_share: float = 0.10
    fleet_use_life_years: tuple[float, float] = (5.5, 1.5)
    life_clip_years: tuple[float, float] = (1.0, 20.0)  # our estimate
    warranty_years: float = 8.0  # domain.md: 8 years or 120,000 km

    # --- exports (vehicle_exported) ---------------------------------------------------------
    # Ordinary vehicles exported new instead of being sold in China: about 1.3 M NEVs exported
    # in 2024 against about 12.9 M made (domain.md; CAAM's 12.9 M "sales" count exports), so
    # about 10%. Applied to every production year: earlier years exported less (our
    # simplification, so that old exported packs also reach the age silent_battery excuses).
    export_share: float = 0.10
    export_days: tuple[int, int] = (7, 60)  # installation to customs clearance; our estimate
    # ISO 3166-1 alpha-2 destinations and weights: our reading of 2024 press on China's largest
    # NEV export markets (Europe, South-East Asia, Latin America, the Middle East), not customs data.
    export_destinations: tuple[tuple[str, float], ...] = (
        ("BE", 0.14), ("GB", 0.12), ("BR", 0.12), ("TH", 0.10), ("PH", 0.08), ("AU", 0.08),
        ("ES", 0.07), ("IL", 0.07), ("MX", 0.06), ("AE", 0.06), ("DE", 0.05), ("TR", 0.05),
    )  # fmt: skip

    # --- companies (count = max(minimum, round(per_sqrt * sqrt(batteries)))) --------------
    # sqrt scaling keeps a handful per role at N=100 and hundreds of companies at N=1,000,000
    # (our estimate; the real market has far more firms than a scaled-down world needs).
    battery_makers: tuple[float, int] = (0.04, 3)
    automakers: tuple[float, int] = (0.06, 3)
    swap_operators: tuple[float, int] = (0.005, 1)
    repairers: tuple[float, int] = (0.10, 2)
    service_points: tuple[float, int] = (0.08, 2)  # at least one per battery maker
    dismantlers: tuple[float, int] = (0.12, 2)
    workshops: tuple[float, int] = (0.15, 2)  # unlicensed recyclers/second-life workshops
    maker_concentration: float = 1.2  # Zipf exponent of battery-maker shares; our estimate
    automaker_concentration: float = 1.0  # Zipf exponent of automaker shares; our estimate
    suppliers_per_automaker: tuple[int, int] = (1, 3)  # our estimate
    importer_share: float = 0.1  # automakers that also import vehicles; our estimate
    swap_automaker_share: float = 0.1  # automakers building swap models; our estimate

    # --- the white list (domain.md: 5 batches, 156 companies) -------------------------------
    # (batch, listing date, companies): batch 1 Sept 2018 with 5 and batch 5 Jan 2024 with 68
    # from domain.md; sizes of batches 2-4 and their dates from press reports (our reading).
    whitelist_batches: tuple[tuple[int, date, int], ...] = (
        (1, date(2018, 9, 1), 5),
        (2, date(2020, 12, 1), 22),
        (3, date(2021, 12, 1), 20),
        (4, date(2022, 11, 1), 41),
        (5, date(2024, 1, 1), 68),
    )
    whitelist_reference_batteries: int = 1_000_000  # world size at which all 156 are listed
    # Scope mix (second-life only, recycling only, both): batch 5 from domain.md (45, 20, 3);
    # earlier batches our estimate.
    scope_mix_batch5: tuple[float, float, float] = (45.0, 20.0, 3.0)
    scope_mix_other: tuple[float, float, float] = (0.40, 0.35, 0.25)
    delisted_share: float = 0.06  # listed companies later removed; our estimate
    licence_hold_days: int = 200  # a recipient must stay listed this long after a handover
    dismantler_licence_years: tuple[int, int] = (2008, 2020)  # licence start; our estimate

    # --- swapping (domain.md section 4 unless noted) ----------------------------------------
    batteries_per_station: int = 400  # world size per station; our estimate
    min_batteries_for_swap: int = 100  # smaller worlds get no stations
    station_pool_size: int = 13  # domain.md: 13 packs per station
    station_cluster_size: int = 4  # stations of one operator and province sharing drivers
    swap_vehicle_share: float = 0.03  # domain.md: 2-4% of vehicles
    swaps_per_vehicle_year: float = 24.0  # our estimate
    home_station_share: float = 0.7  # swaps at the driver's usual station; our estimate
    swap_packs: dict[str, CategorySpec] = field(default_factory=_swap_packs)
    first_swap_year: int = 2018  # largest operator's network dates from 2018 (public)
    swap_pack_life_years: tuple[float, float] = (5.0, 8.0)  # domain.md: service life 5-8 y
    operator_weight_top: float = 0.6  # largest operator's share of stations; our estimate

    # --- components -----------------------------------------------------------------------
    component_share: float = 0.1  # packs listed with their module codes (brief)
    modules_per_pack: tuple[int, int] = (4, 8)

    # --- maintenance and retirement -------------------------------------------------------
    repair_share: float = 0.04  # packs removed for repair and reinstalled; our estimate
    replacement_share: float = 0.03  # packs replaced by a new pack; our estimate
    local_handler_share: float = 0.85  # repairer/dismantler in the vehicle's province
    # domain.md: only 25-50% of retired batteries reach listed companies, so 30-60% leak.
    leak_share: float = 0.45
    operator_leak_share: float = 0.10  # swap operators are large firms; our estimate
    local_workshop_share: float = 0.8  # leaks stay in the province; our estimate
    service_point_share: float = 0.3  # formal flow through a maker's service point; ours
    repurpose_share: float = 0.25  # of packs at licensed companies: second life first (brief)
    second_life_short_code_share: float = 0.3  # new_code in the 19-character form; ours
    applications: tuple[tuple[str, float], ...] = (
        ("energy_storage", 0.7),
        ("backup_power", 0.3),
    )  # our estimate
    second_life_years: tuple[float, float] = (1.0, 5.0)  # before recycling; our estimate

    # --- state of health (health_measured; loaders/synth/health.py) ---------------------------
    # SoH = initial - pace x (a x years^0.7 + per-cycle loss x equivalent full cycles). Sources:
    # - Geotab's fleet studies (telematics SoH of real EVs): 2.3% a year on average over 6,300
    #   vehicles (2019, geotab.com/blog/ev-battery-health), 1.8% over 10,000 (2024), 2.3% over
    #   22,700 in 21 models (2025 report, press of January 2026: fleetwise.services, evshift.com),
    #   about 81.6% after eight years; up to 3.0% a year with frequent DC fast charging above
    #   100 kW, about 1.5% with mostly AC charging; hot climates about +0.4% a year.
    # - LFP ages more slowly than nickel-based (NCM/NCA) packs: fleet and press figures put LFP
    #   at 1-2% a year, about half the nickel-based rate (UC Davis / Nature Energy study as
    #   reported, nextminutenews.online); cycle life to 80% about 3,000 or more for LFP against
    #   1,000-2,000 for NCM (nenpower.com; esite.hj-net.com: 3,000 against 2,000 at 80% DoD).
    # - The power-law calendar term t^0.7 and its form (calendar plus per-cycle loss) follow the
    #   two-term model of plugorpump.app/battery (a = 2.0% NMC, 1.2% LFP; 0.008% and 0.005%
    #   per cycle), calibrated there on the fleet data above.
    # Our calibration: a = 3.4 (ternary) and 2.0 (LFP) so a ternary passenger pack reads about
    # 84% at eight years (Geotab's 81.6% includes fast-charged fleets) and LFP about 91%;
    # per-cycle loss from cycle life (20% over 2,000 cycles: 0.010%; over 4,000: 0.005%).
    fade_calendar_pct: dict[str, float] = field(default_factory=lambda: {"LFP": 2.0, "ternary": 3.4})
    fade_per_cycle_pct: dict[str, float] = field(default_factory=lambda: {"LFP": 0.005, "ternary": 0.010})
    # Pack-to-pack spread of the fade pace (lognormal sigma): climate and charging habits move the
    # yearly rate between about 1.5% and 3.0% (Geotab 2025, above); our fit of that range.
    fade_spread: float = 0.25
    # A new pack reads a little above its nameplate (makers' margin); our estimate.
    initial_soh_pct: tuple[float, float] = (100.0, 103.0)
    soh_floor_pct: float = 30.0
    # Equivalent full cycles a year, from distance, consumption and pack size (our estimate):
    # a passenger BEV 15,000 km at 15 kWh/100 km on 60 kWh is about 40; a PHEV's small pack
    # cycles daily on commutes (about 100); a city bus about 200 km a day on 300 kWh (about 240);
    # swap packs circulate among many vehicles (passenger 60, heavy truck 300).
    cycles_per_year: dict[str, float] = field(
        default_factory=lambda: {
            "passenger_bev": 40.0, "passenger_phev": 100.0, "mini_bev": 35.0, "bus": 240.0, "truck": 180.0,
            "swap:passenger_bev": 60.0, "swap:truck": 300.0,
        }
    )  # fmt: skip
    bms_noise_pct: float = 3.0  # BMS SoH estimates: a few points either way (our estimate)
    test_noise_pct: float = 1.0  # a GB/T 34015 residual energy test: within about 1 point
    # Pack internal resistance when new (milliohms, our estimate for 96-108 series-cell packs)
    # and its rise per point of SoH lost (about +50% at 70% SoH; our estimate).
    initial_resistance_mohm: dict[str, tuple[float, float]] = field(
        default_factory=lambda: {"LFP": (60.0, 110.0), "ternary": (70.0, 130.0)}
    )
    resistance_rise_per_soh_pct: float = 0.017
    swap_readout_share: float = 0.02  # swaps at which the operator logs the pack's BMS; ours
    # Second-life thresholds (the unfit_second_life rule's defaults): a company tests every pack
    # before repurposing and sends one below the stationary-storage threshold to backup power.
    second_life_min_soh_pct: float = 70.0
    backup_min_soh_pct: float = 60.0
    test_before_repurpose_days: tuple[int, int] = (1, 30)  # test to repurposing; our estimate

    # Mass fractions of elements in a whole pack (kg per kg of pack), our estimate: cells are
    # about 65-70% of a pack, cathode about a third of a cell; LiFePO4 holds 4.4% Li, NCM
    # (a 523/622/811 mix) about 7% Li, 36% Ni, 12% Co, 11% Mn.
    element_content: dict[str, dict[str, float]] = field(
        default_factory=lambda: {
            "LFP": {"li": 0.010, "co": 0.0, "ni": 0.0, "mn": 0.0},
            "ternary": {"li": 0.016, "co": 0.027, "ni": 0.080, "mn": 0.025},
        }
    )
    # Recovery rates: domain.md (2024 conditions) requires Li >= 90%, Ni/Co/Mn >= 98%.
    recovery_li: tuple[float, float] = (0.90, 0.96)
    recovery_other: tuple[float, float] = (0.98, 0.995)

    # --- legitimate noise ------------------------------------------------------------------
    transit_days: tuple[int, int] = (1, 5)  # our estimate
    late_receipt_share: float = 0.02  # our estimate
    late_receipt_days: tuple[int, int] = (8, 27)  # below 30 working days (domain.md)
    out_of_order_share: float = 0.01  # events placed a few lines later; our estimate
    out_of_order_window: int = 8
    correction_share: float = 0.002  # brief: about 0.2% of events corrected
    did_not_occur_share: float = 0.3  # of corrections; the rest are incorrect_data; ours
    correction_days: tuple[int, int] = (1, 10)  # a slip noticed and fixed; our estimate
    # recorded_at: when the platform received each report. Company systems upload within hours
    # (mean delay our estimate); a few recyclings and repairs are filed 16-25 calendar days on,
    # late-looking but inside their 30 working days (look-alikes for late_report).
    write_recorded_at: bool = True
    record_delay_mean_s: float = 7200.0
    record_delay_cap_s: int = 3 * 86_400
    late_inside_share: float = 0.01  # of recycled and repaired events; our estimate
    late_inside_days: tuple[int, int] = (16, 25)

    # --- planted leakage (loaders/synth/leakage.py): each scenario's share of eligible units --
    # The rates are our choice for evaluation (large enough for hundreds of cases at 100,000
    # packs), not estimates of real prevalence; plant_leakage=False gives a world without them.
    plant_leakage: bool = True
    leakage_rates: dict[str, float] = field(
        default_factory=lambda: {
            "missing_at_scrap": 0.05,
            "pre_scrap_separation": 0.05,
            "dark_after_removal": 0.05,
            "lost_in_transit": 0.05,
            "unexplained_source": 0.05,
            "double_presence": 0.02,  # tried on every life; only the ~10% listing modules can take it
            "post_recycling_event": 0.1,
            "implausible_recovery": 0.1,
            "prohibited_use": 0.3,
            "second_life_lineage": 0.5,
            "unfit_second_life": 0.5,
            "silent_battery": 0.01,
            "unregistered_battery": 0.002,
            "late_report": 0.003,
        }
    )
    mass_balance_recyclers: tuple[float, int] = (0.005, 1)  # recyclers declaring inflated input
    mass_balance_factor: float = 1.5
    late_report_days: tuple[int, int] = (70, 150)  # planted late filings: far beyond 30 WD
    # Of the planted lost, dark, unregistered and implausible cases, the share whose missing step (or a
    # correction) is also written, reported late_fix_days after as_of, in late-fixes/ (our choice).
    late_fix_share: float = 0.2
    late_fix_days: int = 20

    # --- planted ground truth for the network analyses (loaders/synth/plant.py) ---------------
    # On by default, so every world (demo, bench) holds a known broker and ring; set plant_broker
    # or plant_ring to False for a world without them. Sizes are our choice, not domain figures;
    # the (per_sqrt, minimum) counts scale like the companies above.
    plant_broker: bool = True
    broker_dismantlers: tuple[float, int] = (0.012, 3)  # dismantlers selling to the broker
    broker_repairers: tuple[float, int] = (0.008, 2)  # repairers selling to the broker
    broker_buyers: tuple[float, int] = (0.015, 4)  # unlicensed buyers only the broker supplies
    broker_share: float = 0.25  # of the retired packs its sellers hand on
    broker_hold_days: tuple[int, int] = (3, 30)
    plant_ring: bool = True
    ring_size: int = 3  # companies in the cycle
    ring_batteries: int = 4  # packs sent round
    ring_laps: tuple[int, int] = (2, 4)
    ring_hold_days: tuple[int, int] = (2, 12)

    def __post_init__(self) -> None:
        if self.batteries < 1:
            raise ValueError("batteries must be at least 1")
        if self.as_of <= date(self.first_year, 1, 1):
            raise ValueError(f"as_of must be after {self.first_year}-01-01")
        if not 1 <= self.late_fix_days < RECORD_MARGIN_DAYS:
            raise ValueError(f"late_fix_days must be between 1 and {RECORD_MARGIN_DAYS - 1}, got {self.late_fix_days}")
        if self.ring_size < 2:
            raise ValueError(f"ring_size must be at least 2, got {self.ring_size}")
        shares = (
            "leak_share",
            "operator_leak_share",
            "component_share",
            "repurpose_share",
            "broker_share",
            "export_share",
            "late_fix_share",
        )
        for name in shares:
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
        if abs(sum(spec.share for spec in self.categories.values()) - 1.0) > 1e-6:
            raise ValueError("category shares must sum to 1")
        unknown = [name for name in self.categories if name not in CATEGORIES]
        if unknown:
            raise ValueError(f"unknown vehicle categories: {unknown}")


def config_to_json(config: SynthConfig) -> dict[str, Any]:
    """Plain JSON types (dates as ISO strings), so the manifest records every parameter."""

    def convert(value: Any) -> Any:
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, dict):
            return {str(k): convert(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [convert(v) for v in value]
        return value

    return {key: convert(value) for key, value in dataclasses.asdict(config).items()}
