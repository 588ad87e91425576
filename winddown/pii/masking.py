"""Masks for personal data shown to roles that do not need the full value."""


def mask_id_number(number: str) -> str:
    """Keep the first and last three characters: 130************939."""
    if len(number) <= 6:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 6) + number[-3:]


def mask_phone(number: str) -> str:
    """Keep the first three and last four digits: 135****8890."""
    if len(number) < 8:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def mask_name(name: str) -> str:
    """Keep the surname character: 王** (two-character names: 王*)."""
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)
