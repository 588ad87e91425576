"""Background work of reporting (runs in the task worker: ``manage.py db_worker``)."""

from __future__ import annotations

import logging

from winddown.claims.selectors import active_register_phones
from winddown.core.providers import ProviderError
from winddown.core.providers.sms import sms_sender
from winddown.core.tasks import retrying_task

logger = logging.getLogger(__name__)


@retrying_task()
def exit_sms_send(disclosure_id: int) -> int:
    """The exit announcement to every lender of the institution's active claims register,
    by SMS (001 (十四): "通过官方网站等线上有效渠道及移动电话等方式向出借人和借款人公示
    告知"). Idempotent: a version already counted as sent is not sent again."""
    from django.db import transaction

    from winddown.reporting.disclosure import EXIT_SMS
    from winddown.reporting.models import Disclosure

    with transaction.atomic():
        disclosure = (
            Disclosure.objects.select_for_update()
            .select_related("institution")
            .get(pk=disclosure_id)
        )
        if disclosure.sms_sent:
            return disclosure.sms_sent
        values = {i["label"]: i["value"] for i in disclosure.content}
        params = {
            "institution": disclosure.institution.short_name,
            "decision": values.get("退出决定", "")[:60],
            "hotline": values.get("客服电话", "")[:30],
        }
        sent = 0
        for phone in active_register_phones(disclosure.institution_id):
            try:
                sms_sender().send_notice(phone=phone, template=EXIT_SMS, params=params)
            except ProviderError as exc:
                logger.warning("exit SMS for disclosure %s failed (%s)", disclosure_id, exc.detail)
                continue
            sent += 1
        disclosure.sms_sent = sent
        disclosure.save(update_fields=["sms_sent"])
    return sent
