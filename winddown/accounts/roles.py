"""Roles. A lender account is never a staff account and the other way round."""

from django.db import models


class Role(models.TextChoices):
    LENDER = "lender", "出借人"
    OPERATOR = "operator", "机构经办人"
    WG_OFFICER = "wg_officer", "专项工作组"
    ASSOCIATION_OFFICER = "association_officer", "互联网金融协会"
    SYSADMIN = "sysadmin", "系统管理员"


STAFF_ROLES = frozenset({Role.OPERATOR, Role.WG_OFFICER, Role.ASSOCIATION_OFFICER, Role.SYSADMIN})
# Roles that oversee every institution.
OVERSIGHT_ROLES = frozenset({Role.WG_OFFICER, Role.ASSOCIATION_OFFICER, Role.SYSADMIN})
# Roles allowed to see full ID and mobile numbers (each reveal is audited).
PII_FULL_VIEW_ROLES = frozenset({Role.WG_OFFICER})
# Roles that maintain the register of institutions.
INSTITUTION_ADMIN_ROLES = frozenset({Role.WG_OFFICER, Role.SYSADMIN})
