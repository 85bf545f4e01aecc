"""The public answers: the white list of a province, one company's licence, what a battery code
says. No key asks them, so they say only what the public may know.

What they never say: which companies held a battery, its vehicles, the dates of its events, a
company's events or findings. A battery's stage comes from the status the replay stored
(``app.lifecycle.stages``); its last holder is used only as "licensed or not". A malformed code
and a code the platform does not know answer alike once the decoding is done, and a battery
whose stage is unknown answers like either, so a caller cannot tell which codes are stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, timezone

from app.db import Database
from app.identifiers import BatteryCode, IdentifierError, parse_battery_code
from app.identifiers.chemistry import CHEMISTRIES
from app.identifiers.provinces import PROVINCES
from app.lifecycle.stages import PublicStage, public_stage
from app.repositories import public as repo
from app.repositories import registry as registry_repo
from app.repositories.public import StageRow
from app.schemas.public import (
    Advice,
    BatteryAnswer,
    DecodedCode,
    LicenceAnswer,
    PublicFirm,
    PublicLicence,
    PublicMaker,
    PublicProvince,
    PublicTerm,
    RecyclersAnswer,
    Words,
)
from app.schemas.registry import LicenceRecord
from app.services.vocabularies import vocabularies

CHINA = timezone(timedelta(hours=8))
#: The white list's roles, and the service points that collect for the makers.
LICENSED_ROLES = ("dismantler", "second_life", "recycler")
SERVICE_POINT = "service_point"
#: Statuses of a battery doing its first-life job (or about to): nothing for its owner to do.
_IN_PLACE = frozenset({"installed", "assembled", "in_swap_pool"})

_ADVICE: dict[tuple[Advice, PublicStage], Words] = {
    ("hand_to_licensed", "in_use"): Words(
        zh="这块电池已从车上拆下。请只交给本省白名单内的拆解、梯次利用或再生利用企业，或车企的回收服务网点。",
        en="This battery has been taken out of its vehicle. Hand it only to a licensed dismantler, "
        "second-life firm or recycler, or a maker's recycling service point, in your province.",
    ),
    ("nothing_to_do", "in_use"): Words(
        zh="无需处理。电池退役时，请只交给白名单内的企业或车企的回收服务网点。",
        en="Nothing to do. When the battery is retired, hand it only to a licensed firm or a maker's "
        "recycling service point.",
    ),
    ("second_life_firm", "second_life"): Words(
        zh="这块电池处于梯次利用阶段。用途结束后，请交还白名单内的梯次利用企业或再生利用企业。",
        en="This battery is in a second life. When that use ends, it goes back to a licensed second-life "
        "firm or recycler.",
    ),
    ("nothing_to_do", "recycled"): Words(
        zh="无需处理：这块电池已被再生利用。",
        en="Nothing to do: this battery has been recycled.",
    ),
    ("check_code", "unknown"): Words(
        zh="平台不认识这个编码。请核对电池标签上的编码是否抄写正确；来历不明的电池请勿购买或转手。",
        en="The platform does not know this code. Check that it was copied correctly from the label; "
        "do not buy or pass on a battery whose code nobody knows.",
    ),
}


def today() -> date:
    """The day in China: licences hold from and to calendar days there."""
    return datetime.now(UTC).astimezone(CHINA).date()


def in_force(licence: LicenceRecord, day: date) -> bool:
    """A licence holds from its first day to its last (``valid_to``), both included."""
    return licence.valid_from <= day and (licence.valid_to is None or day <= licence.valid_to)


def _term(kind: str, name: str) -> PublicTerm:
    """A role or licence scope with the vocabulary's words (a value stored before the vocabulary had it: as is)."""
    terms = vocabularies().licence_scopes if kind == "scope" else vocabularies().company_roles
    word = next((t for t in terms if t.name == name), None)
    return PublicTerm(name=name, zh=word.zh if word else name, en=word.en if word else name)


def _province(code: str | None) -> PublicProvince | None:
    province = PROVINCES.get(code or "")
    return PublicProvince(code=province.code, zh=province.zh, en=province.en) if province else None


def _licences(licences: Iterable[LicenceRecord], day: date) -> list[PublicLicence]:
    return [
        PublicLicence(
            scope=_term("scope", lic.scope), batch=lic.batch, valid_from=lic.valid_from, valid_to=lic.valid_to
        )
        for lic in licences
        if in_force(lic, day)
    ]


def _roles(roles: Iterable[str]) -> list[PublicTerm]:
    return [_term("role", r) for r in sorted(set(roles))]


def recyclers(db: Database, province: str, day: date | None = None) -> RecyclersAnswer:
    """The licensed firms (a licence in force today) and the service points registered in a province."""
    day = day or today()
    place = _province(province)
    assert place is not None, "the route checks the province"
    licensed, points = [], []
    for firm in repo.firms_in_province(db, province, (*LICENSED_ROLES, SERVICE_POINT)):
        public_roles = [r for r in firm.roles if r in (*LICENSED_ROLES, SERVICE_POINT)]
        held = _licences(firm.licences, day)
        entry = PublicFirm(
            uscc=firm.uscc, name=firm.name, name_en=firm.name_en, roles=_roles(public_roles), licences=held
        )
        if held:
            licensed.append(entry)
        elif SERVICE_POINT in firm.roles:
            points.append(entry)
    if licensed or points:
        advice = Words(
            zh=f"请把退役电池只交给{place.zh}以下白名单企业或回收服务网点之一。",
            en=f"Hand a retired battery only to one of these licensed firms or service points in {place.en}.",
        )
    else:
        advice = Words(
            zh=f"{place.zh}暂无登记的白名单企业或回收服务网点：请联系车企或电池生产企业的回收服务网点。",
            en=f"No licensed firm or service point is registered in {place.en}: ask the vehicle's or "
            "battery's maker for its nearest recycling service point.",
        )
    return RecyclersAnswer(province=place, as_of=day, licensed=licensed, service_points=points, advice=advice)


def licence(db: Database, uscc: str, day: date | None = None) -> LicenceAnswer:
    """Whether a company holds a white-list licence today, for what and until when."""
    day = day or today()
    record = registry_repo.get_company(db, uscc)
    if record is None:
        return LicenceAnswer(
            uscc=uscc,
            registered=False,
            name=None,
            name_en=None,
            province=None,
            roles=[],
            licensed=False,
            licences=[],
            lapsed_on=None,
            service_point=False,
            as_of=day,
            advice=Words(
                zh="平台的企业名录中没有这家企业：请勿把电池交给它。",
                en="This company is not in the platform's registry: do not hand it a battery.",
            ),
        )
    held = _licences(record.licences, day)
    past = [lic.valid_to for lic in record.licences if lic.valid_to is not None and lic.valid_to < day]
    point = SERVICE_POINT in record.roles
    if held:
        advice = Words(
            zh="这家企业在白名单内，可以接收退役电池。",
            en="This company is licensed: it may take in retired batteries.",
        )
    elif point:
        advice = Words(
            zh="这是登记的回收服务网点，可以收集退役电池并交给白名单企业。",
            en="This is a registered recycling service point: it may collect retired batteries for licensed firms.",
        )
    else:
        advice = Words(
            zh="这家企业今天不在白名单内：请勿把退役电池交给它。",
            en="This company is not licensed today: do not hand it a retired battery.",
        )
    return LicenceAnswer(
        uscc=uscc,
        registered=True,
        name=record.name,
        name_en=record.name_en,
        province=_province(record.province),
        roles=_roles(record.roles),
        licensed=bool(held),
        licences=held,
        lapsed_on=max(past) if past and not held else None,
        service_point=point,
        as_of=day,
        advice=advice,
    )


def _decoded(db: Database, code: BatteryCode) -> DecodedCode:
    chemistry = CHEMISTRIES[code.chemistry]
    return DecodedCode(
        maker=PublicMaker(code=code.maker_code, name=repo.maker_name(db, code.maker_code)),
        level=code.level,
        chemistry=PublicTerm(name=chemistry.name, zh=chemistry.zh, en=chemistry.en),
        chemistry_confirmed=code.chemistry_confirmed,
        production_year=code.production_year,
        production_month=code.production_month,
        production_date=code.production_date,
        second_life_code=code.second_life,
    )


def _advice(stage: PublicStage, row: StageRow | None, licensed: bool | None) -> Advice:
    if stage == "unknown" or row is None:
        return "check_code"
    if stage == "recycled":
        return "nothing_to_do"
    if stage == "second_life":
        return "second_life_firm"
    out_of_vehicle = row.was_installed and row.status not in _IN_PLACE
    return "hand_to_licensed" if out_of_vehicle and not licensed else "nothing_to_do"


def battery(db: Database, raw: str, day: date | None = None) -> BatteryAnswer:
    """What the code says and, for a battery the platform knows, its stage, whether its last holder
    is licensed and what to do."""
    day = day or today()
    try:
        code: BatteryCode | None = parse_battery_code(raw)
        problem = None
    except IdentifierError as err:
        code, problem = None, str(err)
    decoded = _decoded(db, code) if code is not None else None
    # From here a malformed code is a code nobody knows.
    row = repo.battery_stage(db, code.code) if code is not None else None
    stage: PublicStage = public_stage(row.status, row.second_life_product) if row is not None else "unknown"
    licensed: bool | None = None
    if row is not None and stage != "unknown" and row.holder_known:
        licensed = any(in_force(lic, day) for lic in row.licences)
    advice = _advice(stage, row, licensed)
    return BatteryAnswer(
        code=code.code if code is not None else raw.strip(),
        valid=code is not None,
        problem=problem,
        decoded=decoded,
        stage=stage,
        last_holder_licensed=licensed,
        advice=advice,
        advice_words=_ADVICE[(advice, stage)],
    )
