from django import template

from winddown.money import format_yuan

register = template.Library()


@register.filter
def yuan(fen: int | None) -> str:
    """Integer fen as yuan with two decimals and thousands separators."""
    if fen is None:
        return "—"
    return format_yuan(int(fen))


@register.filter
def field_error(errors: dict, name: str) -> str:
    return errors.get(name, "") if errors else ""
