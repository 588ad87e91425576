import pytest

from winddown.pii.masking import mask_id_number, mask_name, mask_phone
from winddown.pii.phones import PhoneError, normalize_mobile


@pytest.mark.parametrize(
    "raw",
    [
        "13588890000",
        "+86 135 8889 0000",
        "0086-13588890000",
        "135-8889-0000",
        "１３５８８８９００００",
        "86 13588890000",
    ],
)
def test_mobile_numbers_normalise(raw):
    assert normalize_mobile(raw) == "13588890000"


@pytest.mark.parametrize("raw", ["", "12345678901", "1358889000", "135888900001", "2358889000a"])
def test_bad_mobile_numbers(raw):
    with pytest.raises(PhoneError):
        normalize_mobile(raw)


def test_masks_keep_only_what_a_person_needs_to_recognise_it():
    assert mask_phone("13588898890") == "135****8890"
    assert mask_id_number("130253199001011939") == "130************939"
    assert mask_id_number("E12345678") == "E12***678"
    assert mask_name("王小金") == "王**"
    assert mask_name("王五") == "王*"
