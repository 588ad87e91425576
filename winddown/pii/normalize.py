"""Text clean-up shared by every input path: full-width characters and stray spaces."""

import unicodedata

# Characters people paste from Word, WeChat or Excel that carry no meaning in an identifier.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00a0\u3000 \t\r\n-"), None)


def compact(value: str) -> str:
    """NFKC-fold (full-width digits and letters become ASCII) and drop spaces and dashes."""
    return unicodedata.normalize("NFKC", value).translate(_INVISIBLE)


def clean_text(value: str) -> str:
    """NFKC-fold and trim; inner single spaces are kept (names like "Maria Lee")."""
    folded = unicodedata.normalize("NFKC", value).replace("\u200b", "").replace("\ufeff", "")
    return " ".join(folded.split())
