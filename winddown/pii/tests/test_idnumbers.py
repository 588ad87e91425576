import datetime
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from winddown.demo.generators import resident_id
from winddown.pii.idnumbers import (
    IdNumberError,
    IdType,
    normalize_resident_id,
    parse_id_document,
    parse_id_type,
)

VALID = "110101198001010053"


@pytest.mark.parametrize(
    "raw",
    [
        VALID,
        " 110101 1980 0101 0053 ",
        "１１０１０１１９８００１０１００５３",  # full-width digits
        "110101-19800101-0053",
        "\u3000110101198001010053\u200b",
    ],
)
def test_normalises_spacing_and_full_width(raw):
    assert normalize_resident_id(raw) == VALID


def test_lower_case_x_check_character():
    body = "11010119900307002"
    # Find a sequence code whose check character is X.
    for seq in range(1000):
        candidate = f"11010119900307{seq:03d}"
        from stdnum.cn import ric

        if ric.calc_check_digit(candidate + "0") == "X":
            assert normalize_resident_id(candidate + "x") == candidate + "X"
            break
    else:  # pragma: no cover - the loop always finds one
        pytest.fail(f"no X check digit near {body}")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "为空"),
        ("110101198001010054", "校验位"),
        ("110101198002300053", "出生日期不存在"),
        ("11010119800101005", "应为18位"),
        ("130253773839939", "15位旧身份证"),
        ("11010119800101005Y", "最后一位为数字或X"),
        ("110101299001010053", "出生日期"),
    ],
)
def test_rejects_with_a_chinese_reason(raw, message):
    with pytest.raises(IdNumberError, match=message):
        normalize_resident_id(raw)


def test_birth_date_in_the_future_is_rejected():
    rng = random.Random(1)
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    number = resident_id(rng, birth=tomorrow)
    with pytest.raises(IdNumberError, match="不合理"):
        normalize_resident_id(number)


@given(st.integers(min_value=0, max_value=2**32))
def test_generated_numbers_validate_and_any_single_digit_change_is_caught(seed):
    rng = random.Random(seed)
    number = resident_id(rng)
    assert normalize_resident_id(number) == number
    position = rng.randrange(17)
    digit = str((int(number[position]) + rng.randrange(1, 10)) % 10)
    mutated = number[:position] + digit + number[position + 1 :]
    with pytest.raises(IdNumberError):
        normalize_resident_id(mutated)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("身份证", IdType.RESIDENT_ID),
        ("居民身份证", IdType.RESIDENT_ID),
        ("", IdType.RESIDENT_ID),
        ("护照", IdType.PASSPORT),
        ("台胞证", IdType.TAIWAN_PERMIT),
        ("港澳居民来往内地通行证", IdType.HK_MACAO_PERMIT),
    ],
)
def test_id_type_spellings(raw, expected):
    assert parse_id_type(raw) is expected


def test_unknown_id_type_lists_the_accepted_ones():
    with pytest.raises(IdNumberError, match="居民身份证"):
        parse_id_type("驾驶证")


def test_other_documents_are_checked_for_shape():
    assert parse_id_document(IdType.PASSPORT, " e1234 5678 ").number == "E12345678"
    with pytest.raises(IdNumberError):
        parse_id_document(IdType.PASSPORT, "护照号")
    with pytest.raises(IdNumberError, match="81、82或83"):
        parse_id_document(IdType.RESIDENCE_PERMIT, VALID)
