"""Who may administer staff accounts (issue 15 item 9): active system administrators only,
never in a way that leaves no system administrator able to sign in."""

from __future__ import annotations

from winddown.accounts.errors import AccountsErrorCode as E
from winddown.accounts.models import User
from winddown.accounts.roles import STAFF_ROLES, Role
from winddown.core.errors import DomainError

# What each administrative action is called in the messages.
ACTION_LABELS = {
    "create": "新建工作人员账户",
    "deactivate": "停用账户",
    "reactivate": "重新启用账户",
    "password_reset": "重置密码",
    "totp_reset": "重置动态口令",
    "tokens_revoke": "吊销接口令牌",
}
# Actions after which the account cannot sign in until its owner uses a new link.
LOCKING_ACTIONS = frozenset({"deactivate", "password_reset", "totp_reset"})


def _other_active_admin_exists(account: User) -> bool:
    return (
        User.objects.filter(role=Role.SYSADMIN, is_active=True)
        .exclude(pk=account.pk)
        .filter(totpdevice__confirmed=True)
        .exists()
    )


def staff_admin_refusal(user: User, account: User | None, action: str) -> DomainError | None:
    """`user` wants to do `action` (a key of ACTION_LABELS) to `account` (None: creating)."""
    label = ACTION_LABELS[action]
    if not (user.is_active and user.role == Role.SYSADMIN):
        return DomainError(E.ADMIN_ONLY, action=label)
    if account is None:
        return None
    if account.role not in STAFF_ROLES:
        return DomainError(E.NOT_STAFF_ACCOUNT)
    if action == "deactivate":
        if account.pk == user.pk:
            return DomainError(E.SELF_DEACTIVATION)
        if not account.is_active:
            return DomainError(E.ALREADY_INACTIVE, username=account.username)
    if action == "reactivate" and account.is_active:
        return DomainError(E.ALREADY_ACTIVE, username=account.username)
    if action in ("password_reset", "totp_reset") and not account.is_active:
        return DomainError(E.ACCOUNT_INACTIVE, username=account.username, action=label)
    if (
        action in LOCKING_ACTIONS
        and account.role == Role.SYSADMIN
        and account.is_active
        and not _other_active_admin_exists(account)
    ):
        return DomainError(E.LAST_ADMIN, username=account.username, action=label)
    return None


def can_administer(user: User, account: User, action: str) -> bool:
    return staff_admin_refusal(user, account, action) is None
