"""Template helpers of the lender voting pages."""

from django import template

from winddown.voting import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notice_count(context) -> int:
    """Unread in-app notices of the signed-in lender (the 消息 tab's badge)."""
    user = context.get("user")
    if user is None or not user.is_authenticated or not user.is_lender:
        return 0
    lender = getattr(user, "lender", None)
    if lender is None:
        return 0
    return selectors.lender_notices(lender).filter(read_at__isnull=True).count()


@register.filter
def receipt_groups(code: str) -> str:
    """A receipt code in groups of four for reading aloud: ABCD EFGH JKLM NPQR."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))
