"""Filing: draft, save, validation, sign-off, submit, return, accept, resubmit, lateness, and
the institution boundary."""

from __future__ import annotations

from datetime import date

import pytest

from winddown.audit.models import AuditEntry
from winddown.core.errors import DomainError
from winddown.reporting import services
from winddown.reporting.models import Filing, FilingStatus, FilingVersion, VersionStatus
from winddown.reporting.tests.conftest import actor_of, complete


def draft(operator, institution, table="AH-03", period="2026-Q2"):
    return services.filing_draft(
        user=operator, actor=actor_of(operator), institution=institution, table=table, period=period
    )


def save(operator, version, cells, **kw):
    return services.filing_save(
        user=operator, actor=actor_of(operator), version=version, cells=cells, **kw
    )


def submit_complete(operator, institution, table="AH-03", period="2026-Q2", cells=None):
    version = draft(operator, institution, table, period)
    version = save(operator, version, cells or complete(table))
    version = services.filing_sign(
        user=operator, actor=actor_of(operator), version=version, signatory="张三"
    )
    return services.filing_submit(user=operator, actor=actor_of(operator), version=version)


def test_ah01_draft_is_prefilled_from_the_institution_register(operator_a, institution_a):
    version = draft(operator_a, institution_a, "AH-01", "2025")
    assert version.cells["AH1001"] == institution_a.full_name
    assert version.cells["AH1004"] == institution_a.credit_code
    assert "AH1001" in version.prefilled
    assert version.filing.deadline == date(2026, 1, 12)  # 1月10日 is a Saturday: rolled


def test_a_prefill_registered_by_another_app_feeds_the_draft(operator_a, institution_a):
    def ledger(institution, period):
        return {"AH501": "1234.5", "AH503": "100"}

    services.register_prefill("AH-05", ledger)
    try:
        version = draft(operator_a, institution_a, "AH-05", "2026-09")
    finally:
        from winddown.reporting.prefill import unregister_prefill

        unregister_prefill("AH-05", ledger)
    assert version.cells["AH501"] == "1234.500000"
    assert version.amounts_fen["AH501"] == 1_234_500_000


def test_totals_are_computed_when_blank(operator_a, institution_a):
    version = draft(operator_a, institution_a, "AH-01", "2025")
    version = save(operator_a, version, {"AH1016": "2", "AH1017": "1"})
    assert version.cells["AH1015"] == "3"


def test_save_stores_canonical_text_and_fen(operator_a, institution_a):
    version = save(operator_a, draft(operator_a, institution_a), {"AH3002": "１２.５"})
    assert version.cells["AH3002"] == "12.500000"
    assert version.amounts_fen["AH3002"] == 12_500_000


@pytest.mark.parametrize(
    ("cells", "code", "words"),
    [
        ({"AH3002": "十二万"}, "AH3002", "不是数字"),
        ({"AH3003": "120000元"}, "AH3003", "万元"),
        ({"AH3099": "1.0000001"}, "AH3099", "6位"),
        ({"AH501": "1"}, "AH501", "不是AH-03的指标编码"),
    ],
)
def test_bad_cells_refuse_the_whole_save_and_store_nothing(
    operator_a, institution_a, cells, code, words
):
    version = save(operator_a, draft(operator_a, institution_a), {"AH3001": "5"})
    with pytest.raises(DomainError) as exc:
        save(operator_a, version, {"AH3002": "7", **cells})
    assert code in exc.value.message and words in exc.value.message
    version.refresh_from_db()
    assert version.cells["AH3001"] == "5.000000" and "AH3002" not in version.cells


@pytest.mark.parametrize("period", ["2026-13", "2026-Q5", "2026", "2026-09", "next", "2099-Q1"])
def test_a_period_that_does_not_exist_or_is_not_over(operator_a, institution_a, period):
    with pytest.raises(DomainError) as exc:
        draft(operator_a, institution_a, "AH-03", period)
    assert period in exc.value.message
    assert not Filing.objects.exists()


def test_sign_off_needs_no_errors_and_every_warning_explained(operator_a, institution_a):
    version = draft(operator_a, institution_a)
    with pytest.raises(DomainError, match="错误须改正"):
        services.filing_sign(
            user=operator_a, actor=actor_of(operator_a), version=version, signatory="张三"
        )
    cells = {**complete("AH-03"), "AH3029": "5", "AH3030": "5"}  # V17 red flag
    version = save(operator_a, version, cells)
    with pytest.raises(DomainError, match="提示须填写说明") as exc:
        services.filing_sign(
            user=operator_a, actor=actor_of(operator_a), version=version, signatory="张三"
        )
    assert "AH3029" in exc.value.message
    version = save(operator_a, version, {}, explanations={"V17:AH3029": "系垫付的存管手续费"})
    version = services.filing_sign(
        user=operator_a, actor=actor_of(operator_a), version=version, signatory="张三"
    )
    assert version.signatory == "张三"
    version = save(operator_a, version, {"AH3002": "1"})
    assert version.signed_at is None  # any change withdraws the sign-off


def test_submit_needs_the_sign_off(operator_a, institution_a):
    version = save(operator_a, draft(operator_a, institution_a), complete("AH-03"))
    with pytest.raises(DomainError, match="法定代表人"):
        services.filing_submit(user=operator_a, actor=actor_of(operator_a), version=version)


def test_submitted_filing_is_late_against_the_calendar_deadline(operator_a, institution_a):
    version = submit_complete(operator_a, institution_a)
    filing = version.filing
    assert filing.status == FilingStatus.SUBMITTED
    assert filing.deadline == date(2026, 7, 20)  # 季后20日前
    assert filing.late  # submitted in December
    assert AuditEntry.objects.filter(action="reporting.filing_submitted").count() == 1


def test_an_accepted_filing_changes_only_by_resubmission(
    operator_a, institution_a, association_officer
):
    version = submit_complete(operator_a, institution_a)
    filing = services.filing_accept(
        user=association_officer, actor=actor_of(association_officer), filing=version.filing
    ).filing
    with pytest.raises(DomainError, match="更正重报") as exc:
        save(operator_a, version, {"AH3002": "9"})
    assert exc.value.http_status == 409
    with pytest.raises(DomainError, match="原因"):
        services.filing_resubmit(
            user=operator_a, actor=actor_of(operator_a), filing=filing, reason=" "
        )
    v2 = services.filing_resubmit(
        user=operator_a, actor=actor_of(operator_a), filing=filing, reason="AH3002 现金填错"
    )
    assert v2.number == 2 and v2.reason == "AH3002 现金填错" and v2.cells == version.cells
    v2 = save(operator_a, v2, {"AH3002": "9"})
    v2 = services.filing_sign(
        user=operator_a, actor=actor_of(operator_a), version=v2, signatory="张三"
    )
    services.filing_submit(user=operator_a, actor=actor_of(operator_a), version=v2)
    statuses = dict(FilingVersion.objects.filter(filing=filing).values_list("number", "status"))
    assert statuses == {1: VersionStatus.SUPERSEDED, 2: VersionStatus.SUBMITTED}
    assert FilingVersion.objects.get(filing=filing, number=1).cells["AH3002"] == "0.000000"


def test_the_association_returns_with_comments(operator_a, institution_a, association_officer):
    version = submit_complete(operator_a, institution_a)
    with pytest.raises(DomainError, match="意见"):
        services.filing_return(
            user=association_officer, actor=actor_of(association_officer),
            filing=version.filing, comment="",
        )  # fmt: skip
    returned = services.filing_return(
        user=association_officer, actor=actor_of(association_officer),
        filing=version.filing, comment="AH3001 与 AH3064 不平，请核实",
    )  # fmt: skip
    assert returned.status == VersionStatus.RETURNED
    assert returned.filing.status == FilingStatus.RETURNED
    v2 = services.filing_resubmit(
        user=operator_a, actor=actor_of(operator_a), filing=returned.filing, reason="按意见核实"
    )
    assert v2.status == VersionStatus.DRAFT


def test_only_the_association_reviews(operator_a, institution_a, wg_officer):
    version = submit_complete(operator_a, institution_a)
    for user in (operator_a, wg_officer):
        with pytest.raises(DomainError, match="协会"):
            services.filing_accept(user=user, actor=actor_of(user), filing=version.filing)


def test_an_operator_filing_for_another_institution_is_refused_and_audited(
    operator_b, operator_a, institution_a
):
    with pytest.raises(DomainError) as exc:
        draft(operator_b, institution_a)
    assert exc.value.http_status == 403
    assert not Filing.objects.exists()
    version = draft(operator_a, institution_a)
    with pytest.raises(DomainError):
        save(operator_b, version, {"AH3002": "1"})
    refused = AuditEntry.objects.filter(action="reporting.filing_refused")
    assert refused.count() == 2
    assert set(refused.values_list("institution_id", flat=True)) == {institution_a.pk}
    version.refresh_from_db()
    assert "AH3002" not in version.cells


def test_month_on_month_warning_against_the_previous_period(operator_a, institution_a):
    submit_complete(
        operator_a, institution_a, "AH-05", "2026-08", {**complete("AH-05"), "AH503": "12.5"}
    )
    version = draft(operator_a, institution_a, "AH-05", "2026-09")
    version = save(operator_a, version, {**complete("AH-05"), "AH503": "125000"})
    rules = {f["rule"] for f in version.findings}
    assert "MOM" in rules
    (mom,) = [f for f in version.findings if f["rule"] == "MOM"]
    assert "AH503" in mom["message"] and "元" in mom["message"]


def test_v16_products_balance_against_the_months_balance(operator_a, institution_a):
    submit_complete(
        operator_a, institution_a, "AH-05", "2026-09", {**complete("AH-05"), "AH503": "100"}
    )
    version = draft(operator_a, institution_a, "AH-06", "2026-09")
    one = complete("AH-06")
    cells = {**one, **{f"{k}#2": v for k, v in one.items()}, "AH617": "60", "AH617#2": "30"}
    version = save(operator_a, version, cells)
    (v16,) = [f for f in version.findings if f["rule"] == "V16"]
    assert (
        v16["severity"] == "warning" and "90万元" in v16["message"] and "100万元" in v16["message"]
    )
    version = save(operator_a, version, {"AH617#2": "40"})
    assert not [f for f in version.findings if f["rule"] == "V16"]


def test_delay_explained_before_the_deadline_only(
    operator_a, institution_a, operator_b, monkeypatch
):
    from django.utils import timezone

    real = timezone.localdate
    monkeypatch.setattr(timezone, "localdate", lambda *a: real(*a) if a else date(2026, 12, 2))
    version = draft(operator_a, institution_a, "AH-05", "2026-11")  # due in December
    filing = version.filing
    with pytest.raises(DomainError, match="原因"):
        services.filing_delay_explain(
            user=operator_a, actor=actor_of(operator_a), filing=filing, reason="",
            expected=date(2026, 12, 30),
        )  # fmt: skip
    filing = services.filing_delay_explain(
        user=operator_a, actor=actor_of(operator_a), filing=filing,
        reason="存管银行对账单尚未出具", expected=date(2026, 12, 30),
    )  # fmt: skip
    assert filing.delay_reason == "存管银行对账单尚未出具"
    late = draft(operator_a, institution_a, "AH-05", "2026-09").filing  # deadline in October
    with pytest.raises(DomainError, match="期限前说明"):
        services.filing_delay_explain(
            user=operator_a, actor=actor_of(operator_a), filing=late, reason="晚了",
            expected=date(2026, 12, 30),
        )  # fmt: skip
    with pytest.raises(DomainError):
        services.filing_delay_explain(
            user=operator_b, actor=actor_of(operator_b), filing=filing, reason="x",
            expected=date(2026, 12, 30),
        )  # fmt: skip
    assert AuditEntry.objects.filter(action="reporting.filing_delay_explained").count() == 1
