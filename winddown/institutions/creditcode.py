"""Unified social credit codes (统一社会信用代码), GB 32100-2015."""

from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength

from winddown.pii.normalize import compact


class CreditCodeError(ValueError):
    """Invalid code; ``str(exc)`` is a Chinese message saying what to fix."""


def normalize_credit_code(raw: str) -> str:
    """Return the canonical 18-character code, or raise CreditCodeError.

    The check character (position 18) is computed over the first 17 with the weights and
    the 31-character alphabet (no I, O, S, V, Z) of GB 32100-2015.
    """
    code = compact(raw).upper()
    try:
        return uscc.validate(code)
    except InvalidLength:
        raise CreditCodeError(f"统一社会信用代码应为18位，现为{len(code)}位") from None
    except InvalidChecksum:
        raise CreditCodeError("统一社会信用代码校验位不正确，请核对是否抄错") from None
    except InvalidFormat:
        raise CreditCodeError(
            "统一社会信用代码格式不正确（不使用字母 I、O、S、V、Z；第3至8位为行政区划代码）"
        ) from None
