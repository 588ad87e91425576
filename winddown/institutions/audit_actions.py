"""Audit actions of institutions: the register of institutions and operators' membership."""

from django.db import models


class InstitutionsAction(models.TextChoices):
    INSTITUTION_CREATED = "institution.created", "登记机构"
    INSTITUTION_UPDATED = "institution.updated", "修改机构信息"
    MEMBERSHIP_SET = "institution.membership", "设置机构经办人"
