"""Identity document numbers: normalisation and validation.

Resident identity card numbers follow GB 11643-1999: 17 digits and an ISO 7064 MOD 11-2
check character (0-9 or X), with the birth date in positions 7-14. The check-character
arithmetic comes from python-stdnum; we deliberately do not reject unknown area codes
(stdnum's table lags behind new counties, and refusing a real lender is worse than the
tiny chance of a typo that keeps a valid check digit).
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass

from stdnum.cn import ric

from winddown.pii.normalize import compact


class IdType(enum.StrEnum):
    RESIDENT_ID = "resident_id"
    PASSPORT = "passport"
    HK_MACAO_PERMIT = "hk_macao_permit"
    TAIWAN_PERMIT = "taiwan_permit"
    RESIDENCE_PERMIT = "residence_permit"
    FOREIGN_PERMANENT = "foreign_permanent"

    @property
    def label(self) -> str:
        return ID_TYPE_LABELS[self]


ID_TYPE_LABELS = {
    IdType.RESIDENT_ID: "居民身份证",
    IdType.PASSPORT: "护照",
    IdType.HK_MACAO_PERMIT: "港澳居民来往内地通行证",
    IdType.TAIWAN_PERMIT: "台湾居民来往大陆通行证",
    IdType.RESIDENCE_PERMIT: "港澳台居民居住证",
    IdType.FOREIGN_PERMANENT: "外国人永久居留身份证",
}

# Spellings found in real registers, after NFKC folding and space removal.
_ID_TYPE_ALIASES = {
    "身份证": IdType.RESIDENT_ID,
    "居民身份证": IdType.RESIDENT_ID,
    "二代身份证": IdType.RESIDENT_ID,
    "中华人民共和国居民身份证": IdType.RESIDENT_ID,
    "护照": IdType.PASSPORT,
    "港澳居民来往内地通行证": IdType.HK_MACAO_PERMIT,
    "回乡证": IdType.HK_MACAO_PERMIT,
    "港澳通行证": IdType.HK_MACAO_PERMIT,
    "台湾居民来往大陆通行证": IdType.TAIWAN_PERMIT,
    "台胞证": IdType.TAIWAN_PERMIT,
    "港澳台居民居住证": IdType.RESIDENCE_PERMIT,
    "外国人永久居留身份证": IdType.FOREIGN_PERMANENT,
    "外国人永久居留证": IdType.FOREIGN_PERMANENT,
}


class IdNumberError(ValueError):
    """Invalid identity number; ``str(exc)`` is a Chinese message saying what to fix."""


@dataclass(frozen=True)
class IdDocument:
    id_type: IdType
    number: str

    @property
    def index_value(self) -> str:
        """The string the blind index is computed over (type and number)."""
        return f"{self.id_type.value}:{self.number}"


def parse_id_type(raw: str) -> IdType:
    value = compact(raw)
    if not value:
        return IdType.RESIDENT_ID
    try:
        return _ID_TYPE_ALIASES[value]
    except KeyError:
        allowed = "、".join(ID_TYPE_LABELS.values())
        raise IdNumberError(f"证件类型“{raw.strip()}”无法识别，应为：{allowed}") from None


def normalize_resident_id(raw: str, *, today: datetime.date | None = None) -> str:
    """Return the canonical 18-character number or raise IdNumberError in Chinese."""
    # Fast path for the common, already clean input; everything else is folded first.
    number = (
        raw.upper() if len(raw) == 18 and raw.isascii() and raw.isalnum() else compact(raw).upper()
    )
    if not number:
        raise IdNumberError("身份证号码为空")
    if len(number) == 15 and number.isdigit():
        raise IdNumberError("这是15位旧身份证号码，请填写18位身份证号码")
    if len(number) != 18:
        raise IdNumberError(f"身份证号码应为18位，现为{len(number)}位")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise IdNumberError("身份证号码前17位应为数字，最后一位为数字或X")
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdNumberError("身份证号码中的出生日期不存在，请核对第7至14位") from None
    today = today or datetime.date.today()
    if birth > today or birth.year < 1900:
        raise IdNumberError("身份证号码中的出生日期不合理，请核对第7至14位")
    if ric.calc_check_digit(number) != number[17]:
        raise IdNumberError("身份证号码校验位不正确，请核对是否抄错")
    return number


def normalize_other_document(raw: str) -> str:
    number = compact(raw).upper()
    if not number:
        raise IdNumberError("证件号码为空")
    if not number.isascii() or not number.isalnum() or not 5 <= len(number) <= 20:
        raise IdNumberError("证件号码应为5至20位字母或数字")
    return number


def parse_id_document(id_type: IdType, raw_number: str) -> IdDocument:
    if id_type is IdType.RESIDENT_ID:
        return IdDocument(id_type, normalize_resident_id(raw_number))
    if id_type is IdType.RESIDENCE_PERMIT:
        # Residence permits use the resident-ID format with area codes 81/82/83.
        number = normalize_resident_id(raw_number)
        if number[:2] not in {"81", "82", "83"}:
            raise IdNumberError("港澳台居民居住证号码应以81、82或83开头")
        return IdDocument(id_type, number)
    return IdDocument(id_type, normalize_other_document(raw_number))
