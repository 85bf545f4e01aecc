"""Table-driven tests for GB/T 34014 battery codes, VINs and USCCs (no database, no I/O)."""

from __future__ import annotations

import json
import pickle
from datetime import date

import pytest

from app.identifiers import (
    BatteryCode,
    IdentifierError,
    is_battery_code,
    is_uscc,
    is_vin,
    make_battery_code,
    make_uscc,
    make_vin,
    parse_battery_code,
    parse_uscc,
    parse_vin,
    uscc_check_char,
    vin_check_digit,
)

# maker 0AB, pack, ternary, spec 12, trace 3456789, 2025-06-01, serial 0000001
BASE = "0ABPE123456789F610000001"


def with_char(code: str, position: int, char: str) -> str:
    """Replace the character at 1-based ``position``."""
    return code[: position - 1] + char + code[position:]


def with_date(year: str, month: str, day: str) -> str:
    return BASE[:14] + year + month + day + BASE[17:]


# --------------------------------------------------------------------------- battery code


def test_base_code_decodes_every_field() -> None:
    parsed = parse_battery_code(BASE)
    assert parsed == BatteryCode(
        code=BASE,
        maker_code="0AB",
        level="pack",
        chemistry_letter="E",
        chemistry="ternary",
        chemistry_confirmed=True,
        spec_code="12",
        trace_info="3456789",
        production_year=2025,
        production_month=6,
        production_day=1,
        production_date=date(2025, 6, 1),
        serial="0000001",
        second_life=False,
    )


@pytest.mark.parametrize(
    ("letter", "level"),
    [("P", "pack"), ("M", "module"), ("C", "cell")],
)
def test_product_type(letter: str, level: str) -> None:
    assert parse_battery_code(with_char(BASE, 4, letter)).level == level


@pytest.mark.parametrize(
    ("letter", "chemistry", "confirmed"),
    [
        ("A", "NiMH", False),
        ("B", "LFP", True),
        ("C", "LMO", False),
        ("D", "LCO", False),
        ("E", "ternary", True),
        ("F", "supercapacitor", False),
        ("G", "LTO", False),
        ("Z", "other", False),
    ],
)
def test_battery_type(letter: str, chemistry: str, confirmed: bool) -> None:
    parsed = parse_battery_code(with_char(BASE, 5, letter))
    assert parsed.chemistry_letter == letter
    assert parsed.chemistry == chemistry
    assert parsed.chemistry_confirmed is confirmed


@pytest.mark.parametrize(
    ("char", "year"),
    [
        ("0", 2010),
        ("5", 2015),
        ("9", 2019),
        ("A", 2020),
        ("D", 2023),
        ("E", 2024),
        ("F", 2025),
        ("G", 2026),
        ("H", 2027),
        ("J", 2028),  # I skipped
        ("N", 2032),
        ("P", 2033),  # O skipped
        ("R", 2034),  # Q skipped
        ("T", 2035),  # S skipped
        ("W", 2037),  # V skipped
        ("Y", 2039),
    ],
)
def test_year_encoding(char: str, year: int) -> None:
    parsed = parse_battery_code(with_date(char, "1", "1"))
    assert parsed.production_year == year
    assert parsed.production_date == date(year, 1, 1)


@pytest.mark.parametrize(
    ("char", "month"),
    [("1", 1), ("5", 5), ("9", 9), ("A", 10), ("B", 11), ("C", 12)],
)
def test_month_encoding(char: str, month: int) -> None:
    parsed = parse_battery_code(with_date("F", char, "1"))
    assert parsed.production_month == month
    assert parsed.production_date == date(2025, month, 1)


@pytest.mark.parametrize(
    ("char", "day"),
    [
        ("1", 1),
        ("9", 9),
        ("A", 10),
        ("B", 11),
        ("H", 17),
        ("J", 18),  # I skipped
        ("N", 22),
        ("P", 23),  # O skipped
        ("Q", 24),
        ("V", 29),
        ("W", 30),
        ("X", 31),
    ],
)
def test_day_encoding(char: str, day: int) -> None:
    parsed = parse_battery_code(with_date("F", "1", char))  # January has 31 days
    assert parsed.production_day == day
    assert parsed.production_date == date(2025, 1, day)


@pytest.mark.parametrize(
    ("year", "month", "day"),
    [
        ("F", "2", "V"),  # 29 February 2025
        ("F", "2", "W"),  # 30 February
        ("F", "4", "X"),  # 31 April
        ("F", "B", "X"),  # 31 November
        ("F", "1", "Y"),  # 32
        ("F", "1", "Z"),  # 33
        ("F", "1", "I"),  # I is not in the day alphabet we assume
        ("F", "1", "O"),  # nor is O
    ],
)
def test_impossible_day_is_unknown_not_an_error(year: str, month: str, day: str) -> None:
    parsed = parse_battery_code(with_date(year, month, day))
    assert parsed.production_day is None
    assert parsed.production_date is None
    assert parsed.production_month == int(month, 16)
    assert is_battery_code(parsed.code)


def test_leap_day_is_a_real_date() -> None:
    assert parse_battery_code(with_date("E", "2", "V")).production_date == date(2024, 2, 29)


@pytest.mark.parametrize(
    "raw",
    [
        BASE.lower(),
        f"  {BASE}\n",
        "0abPe123456789f610000001",
        f"\t{BASE.lower()} ",
    ],
)
def test_input_is_stripped_and_upper_cased(raw: str) -> None:
    assert parse_battery_code(raw).code == BASE


@pytest.mark.parametrize(
    ("code", "field"),
    [
        ("", "length"),
        ("0ABPE12", "length"),
        (BASE[:-1], "length"),  # 23
        (BASE + "1", "length"),  # 25
        (BASE[:18], "length"),  # 18
        (BASE[:7] + "F61" + "0000001" + "XP", "length"),  # 19 but no 'R' suffix
        (BASE[:7] + "F61" + "0000001" + "RX", "length"),  # 19, 'R' + not a product type
        (with_char(BASE, 8, "-"), "alphabet"),
        (with_char(BASE, 1, "*"), "alphabet"),
        (with_char(BASE, 12, " "), "alphabet"),
        (with_char(BASE, 20, "é"), "alphabet"),
        (with_char(BASE, 2, "ı"), "alphabet"),  # dotless i upper-cases to ASCII 'I'
        (with_char(BASE, 2, "ß"), "alphabet"),  # upper-cases to 'SS'
        (with_char(BASE, 10, "５"), "alphabet"),  # full-width digit
        (with_char(BASE, 4, "X"), "product_type"),
        (with_char(BASE, 4, "1"), "product_type"),
        (with_char(BASE, 5, "H"), "battery_type"),
        (with_char(BASE, 5, "0"), "battery_type"),
        (with_date("I", "1", "1"), "year"),
        (with_date("O", "1", "1"), "year"),
        (with_date("Q", "1", "1"), "year"),
        (with_date("S", "1", "1"), "year"),
        (with_date("V", "1", "1"), "year"),
        (with_date("Z", "1", "1"), "year"),
        (with_date("F", "0", "1"), "month"),
        (with_date("F", "D", "1"), "month"),
        (with_date("F", "Z", "1"), "month"),
        (with_date("F", "1", "0"), "day"),
        # the 19-character form is lenient about its length, not about the sure fields
        ("0ABXE12F610000001RP", "product_type"),
        ("0ABPH12F610000001RP", "battery_type"),
        ("0ABPE12FD10000001RP", "month"),
        ("0ABPE12F600000001RP", "day"),
    ],
)
def test_invalid_battery_code_names_the_field(code: str, field: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        parse_battery_code(code)
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ")
    assert caught.value.reason
    assert not is_battery_code(code)


@pytest.mark.parametrize(
    ("code", "expected_in_reason"),
    [
        (with_char(BASE, 8, "-"), ["'-'", "position 8"]),
        (with_char(BASE, 4, "X"), ["'X'", "position 4"]),
        (with_char(BASE, 5, "H"), ["'H'", "position 5"]),
        (with_date("I", "1", "1"), ["'I'", "position 15"]),
        (with_date("F", "D", "1"), ["'D'", "position 16"]),
        (with_date("F", "1", "0"), ["'0'", "position 17"]),
        ("0ABPE12FD10000001RP", ["'D'", "position 9"]),  # positions follow the 19-char form
        (BASE[:-1], ["24", "got 23"]),
    ],
)
def test_battery_error_reason_points_at_the_problem(code: str, expected_in_reason: list[str]) -> None:
    with pytest.raises(IdentifierError) as caught:
        parse_battery_code(code)
    for fragment in expected_in_reason:
        assert fragment in caught.value.reason


def test_length_error_message() -> None:
    with pytest.raises(IdentifierError) as caught:
        parse_battery_code("ABC")
    assert str(caught.value) == "length: expected 24 characters (GB/T 34014), got 3"


@pytest.mark.parametrize(
    ("code", "level", "chemistry", "produced", "serial"),
    [
        ("0ABPE12F610000001RP", "pack", "ternary", date(2025, 6, 1), "0000001"),
        ("0ABME12F610000001RM", "module", "ternary", date(2025, 6, 1), "0000001"),
        ("CATCB01EAX12345A7RC", "cell", "LFP", date(2024, 10, 31), "12345A7"),
        # level comes from the final letter, even if position 4 says otherwise
        ("0ABPB12G3100000A1RM", "module", "LFP", date(2026, 3, 1), "00000A1"),
        ("0abpe12f610000001rp", "pack", "ternary", date(2025, 6, 1), "0000001"),
    ],
)
def test_second_life_form(code: str, level: str, chemistry: str, produced: date, serial: str) -> None:
    parsed = parse_battery_code(code)
    assert parsed.second_life is True
    assert parsed.code == code.upper()
    assert parsed.trace_info == ""
    assert parsed.level == level
    assert parsed.chemistry == chemistry
    assert parsed.maker_code == code[:3].upper()
    assert parsed.spec_code == code[5:7].upper()
    assert parsed.production_date == produced
    assert parsed.serial == serial
    assert is_battery_code(code)


def test_second_life_form_with_unknown_day() -> None:
    parsed = parse_battery_code("0ABPE12F4X0000001RP")  # 31 April
    assert parsed.second_life
    assert parsed.production_day is None
    assert parsed.production_date is None


@pytest.mark.parametrize(
    ("maker", "level", "chemistry", "spec", "trace", "produced", "serial", "expected_level"),
    [
        ("0AB", "P", "E", "12", "3456789", date(2025, 6, 1), "0000001", "pack"),
        ("CAT", "pack", "B", "01", "ABCDEFG", date(2010, 1, 1), "0000000", "pack"),
        ("byd", "module", "b", "a1", "x9y8z7w", date(2019, 12, 31), "a0b1c2d", "module"),
        ("EVE", "Cell", "A", "99", "0000000", date(2024, 2, 29), "ZZZZZZZ", "cell"),
        ("1X2", "c", "C", "AA", "1111111", date(2020, 10, 10), "1234567", "cell"),
        ("GTN", " m ", "D", "Q0", "QQQQQQQ", date(2027, 11, 17), "9999999", "module"),
        ("SVW", "P", "F", "10", "2000000", date(2028, 7, 18), "0000009", "pack"),
        ("LIS", "M", "G", "20", "3000000", date(2033, 8, 23), "0000010", "module"),
        ("ZZZ", "C", "Z", "30", "4000000", date(2039, 12, 30), "0000100", "cell"),
    ],
)
def test_make_then_parse_round_trip(
    maker: str,
    level: str,
    chemistry: str,
    spec: str,
    trace: str,
    produced: date,
    serial: str,
    expected_level: str,
) -> None:
    code = make_battery_code(maker, level, chemistry, spec, trace, produced, serial)
    assert len(code) == 24
    assert code == code.upper()
    parsed = parse_battery_code(code)
    assert parsed.code == code
    assert parsed.maker_code == maker.upper()
    assert parsed.level == expected_level
    assert parsed.chemistry_letter == chemistry.upper()
    assert parsed.spec_code == spec.upper()
    assert parsed.trace_info == trace.upper()
    assert parsed.production_date == produced
    assert parsed.production_day == produced.day
    assert parsed.serial == serial.upper()
    assert parsed.second_life is False


def test_make_reproduces_the_base_code() -> None:
    assert make_battery_code("0AB", "P", "E", "12", "3456789", date(2025, 6, 1), "0000001") == BASE


def test_every_day_of_a_leap_year_round_trips() -> None:
    day = date(2024, 1, 1)
    while day.year == 2024:
        code = make_battery_code("0AB", "C", "B", "12", "3456789", day, "0000001")
        assert parse_battery_code(code).production_date == day
        day = date.fromordinal(day.toordinal() + 1)


_GOOD = {
    "maker_code": "0AB",
    "level": "P",
    "chemistry_letter": "E",
    "spec_code": "12",
    "trace_info": "3456789",
    "serial": "0000001",
}


@pytest.mark.parametrize(
    ("argument", "value", "field"),
    [
        ("maker_code", "AB", "maker_code"),
        ("maker_code", "ABCD", "maker_code"),
        ("maker_code", "A-B", "maker_code"),
        ("maker_code", "Aß", "maker_code"),
        ("level", "X", "product_type"),
        ("level", "battery", "product_type"),
        ("level", "", "product_type"),
        ("chemistry_letter", "H", "battery_type"),
        ("chemistry_letter", "BE", "battery_type"),
        ("chemistry_letter", "", "battery_type"),
        ("spec_code", "1", "spec_code"),
        ("spec_code", "1_", "spec_code"),
        ("trace_info", "345678", "trace_info"),
        ("trace_info", "34567890", "trace_info"),
        ("serial", "000001", "serial"),
        ("serial", "00 0001", "serial"),
    ],
)
def test_make_rejects_bad_parts(argument: str, value: str, field: str) -> None:
    parts = {**_GOOD, argument: value}
    with pytest.raises(IdentifierError) as caught:
        make_battery_code(
            parts["maker_code"],
            parts["level"],
            parts["chemistry_letter"],
            parts["spec_code"],
            parts["trace_info"],
            date(2025, 6, 1),
            parts["serial"],
        )
    assert caught.value.field == field
    assert repr(value) in caught.value.reason


@pytest.mark.parametrize("produced", [date(2009, 12, 31), date(2040, 1, 1), date(1999, 5, 5)])
def test_make_rejects_years_that_cannot_be_encoded(produced: date) -> None:
    with pytest.raises(IdentifierError) as caught:
        make_battery_code("0AB", "P", "E", "12", "3456789", produced, "0000001")
    assert caught.value.field == "year"
    assert str(produced.year) in caught.value.reason


@pytest.mark.parametrize("code", [BASE, with_date("F", "4", "X"), "0ABPE12F610000001RP"])
def test_to_dict_is_json_friendly(code: str) -> None:
    parsed = parse_battery_code(code)
    data = parsed.to_dict()
    assert json.loads(json.dumps(data)) == data
    expected_date = parsed.production_date.isoformat() if parsed.production_date else None
    assert data["production_date"] == expected_date
    assert data["code"] == parsed.code
    assert data["second_life"] is parsed.second_life


# --------------------------------------------------------------------------- errors


def test_identifier_error_shape() -> None:
    err = IdentifierError("month", "bad month")
    assert isinstance(err, ValueError)
    assert (err.field, err.reason) == ("month", "bad month")
    assert str(err) == "month: bad month"
    assert repr(err) == "IdentifierError(field='month', reason='bad month')"
    restored = pickle.loads(pickle.dumps(err))
    assert (restored.field, restored.reason, str(restored)) == ("month", "bad month", str(err))


# --------------------------------------------------------------------------- VIN


@pytest.mark.parametrize(
    ("vin", "check"),
    [
        ("1M8GDM9AXKP042788", "X"),  # textbook example, check digit X
        ("11111111111111111", "1"),
        ("1HGCM82633A004352", "3"),
    ],
)
def test_known_valid_vins(vin: str, check: str) -> None:
    assert vin_check_digit(vin) == check
    parsed = parse_vin(vin)
    assert parsed.check_digit == check
    assert is_vin(vin)
    assert is_vin(f" {vin.lower()} ")


def test_vin_fields() -> None:
    parsed = parse_vin("1m8gdm9axkp042788")
    assert parsed.vin == "1M8GDM9AXKP042788"
    assert parsed.wmi == "1M8"
    assert parsed.vds == "GDM9A"
    assert parsed.check_digit == "X"
    assert parsed.model_year_code == "K"
    assert parsed.plant_code == "P"
    assert parsed.serial == "042788"
    assert parsed.to_dict()["wmi"] == "1M8"
    assert json.loads(json.dumps(parsed.to_dict())) == parsed.to_dict()


@pytest.mark.parametrize(
    ("vin", "field"),
    [
        ("1M8GDM9A0KP042788", "check_digit"),
        ("1M8GDM9A1KP042788", "check_digit"),
        ("1M8GDM9AXKP042789", "check_digit"),
        ("1HGCM82633A004353", "check_digit"),
        ("1HGCM8263AA004352", "check_digit"),  # position 9 is a letter other than X
        ("1M8GDM9AXKP04278I", "alphabet"),
        ("OM8GDM9AXKP042788", "alphabet"),
        ("1M8GDM9AXKQ042788", "alphabet"),
        ("1m8gdm9axkp04278o", "alphabet"),
        ("1M8GDM9AX-P042788", "alphabet"),
        ("1M8GDM9AXKP04278", "length"),
        ("1M8GDM9AXKP0427888", "length"),
        ("", "length"),
    ],
)
def test_invalid_vin_names_the_field(vin: str, field: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        parse_vin(vin)
    assert caught.value.field == field
    assert not is_vin(vin)


def test_vin_check_digit_error_names_expected_and_found() -> None:
    with pytest.raises(IdentifierError) as caught:
        parse_vin("1M8GDM9A0KP042788")
    assert "'X'" in caught.value.reason
    assert "'0'" in caught.value.reason


def test_vin_alphabet_error_names_position_and_character() -> None:
    with pytest.raises(IdentifierError) as caught:
        parse_vin("1M8GDM9AXKQ042788")
    assert "'Q'" in caught.value.reason
    assert "position 11" in caught.value.reason


@pytest.mark.parametrize(
    "prefix",
    [
        "1M8GDM9A*KP042788",
        "1M8GDM9A0KP042788",
        "LSVAU2180N2183294",
        "lfv2a21k_63012345",
        "WVWZZZ1JZXW000001",
        "LGXC16DF4M0123456",
        "JHMCM56557C404453",
    ],
)
def test_make_vin_round_trip(prefix: str) -> None:
    vin = make_vin(prefix)
    assert len(vin) == 17
    assert vin[:8] == prefix[:8].upper()
    assert vin[9:] == prefix[9:].upper()
    assert vin[8] == vin_check_digit(prefix)
    assert parse_vin(vin).vin == vin
    assert make_vin(vin) == vin


@pytest.mark.parametrize(
    ("prefix", "field"),
    [
        ("1M8GDM9A*KP04278", "length"),
        ("1M8GDM9A*KP0427888", "length"),
        ("1M8GDM9A*KP04278I", "alphabet"),
        ("1M8GDM9A*KP0427-8", "alphabet"),
    ],
)
def test_make_vin_rejects_bad_input(prefix: str, field: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        make_vin(prefix)
    assert caught.value.field == field


# --------------------------------------------------------------------------- USCC

REAL_USCC = "91350100M000100Y43"  # widely cited published example


def test_real_uscc_passes() -> None:
    assert uscc_check_char(REAL_USCC[:17]) == "3"
    parsed = parse_uscc(REAL_USCC)
    assert parsed.registration_authority == "9"
    assert parsed.organisation_type == "1"
    assert parsed.division_code == "350100"
    assert parsed.organisation_code == "M000100Y4"
    assert parsed.check_char == "3"
    assert is_uscc(REAL_USCC.lower())
    assert json.loads(json.dumps(parsed.to_dict())) == parsed.to_dict()


@pytest.mark.parametrize(
    "prefix",
    [
        "91110000MA0000000",
        "91440300MA5F00001",
        "92320100MA1ABCDEF",
        "12100000400000000",
        "51310000MA1FL0000",
        "y1110108XY1234567",
        "93500000000000000",
    ],
)
def test_make_uscc_round_trip(prefix: str) -> None:
    code = make_uscc(prefix)
    assert code[:17] == prefix.upper()
    assert len(code) == 18
    assert code[17] == uscc_check_char(prefix)
    assert parse_uscc(code).code == code
    assert is_uscc(code)


@pytest.mark.parametrize(
    ("code", "field"),
    [
        ("91350100M000100Y44", "check_char"),
        ("91350100M000100Y4X", "check_char"),
        ("91350100M000100Y34", "check_char"),  # transposition
        ("91350100M000100Y4I", "alphabet"),
        ("91350100M0001O0Y43", "alphabet"),
        ("S1350100M000100Y43", "alphabet"),
        ("91350100M000100V43", "alphabet"),
        ("9135010ZM000100Y43", "alphabet"),
        ("91350100M000100Y4-", "alphabet"),
        ("913501A0M000100Y43", "division_code"),
        ("91ABCDEFM000100Y43", "division_code"),
        ("91350100M000100Y4", "length"),
        ("91350100M000100Y433", "length"),
        ("", "length"),
    ],
)
def test_invalid_uscc_names_the_field(code: str, field: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        parse_uscc(code)
    assert caught.value.field == field
    assert not is_uscc(code)


def test_uscc_check_char_error_names_expected_and_found() -> None:
    with pytest.raises(IdentifierError) as caught:
        parse_uscc("91350100M000100Y44")
    assert "'3'" in caught.value.reason
    assert "'4'" in caught.value.reason


@pytest.mark.parametrize(
    ("prefix", "field"),
    [
        ("913501A0M000100Y4", "division_code"),
        ("91350100M000100Y", "length"),
        ("91350100M000100Y43", "length"),
        ("91350100M000100YO", "alphabet"),
    ],
)
def test_make_uscc_rejects_bad_input(prefix: str, field: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        make_uscc(prefix)
    assert caught.value.field == field
