"""Audit actions of the loan ledger: imports, collection actions, register generation."""

from django.db import models


class LedgerAction(models.TextChoices):
    LEDGER_IMPORTED = "ledger.imported", "导入借款台账"
    LEDGER_REJECTED = "ledger.rejected", "借款台账校验未通过"
    COLLECTION_RECORDED = "ledger.collection_recorded", "登记催收记录"
    REGISTER_GENERATED = "ledger.register_generated", "由借款台账生成债权登记表版本"
