"""Collection (催收, spec G.5) and reconciliation with the claims register (issue 17 items
5 and 6)."""

from datetime import date

import pytest

from winddown.audit.models import AuditEntry
from winddown.audit.services import Actor
from winddown.conftest import register_file, staff_signed_in, upload_and_activate
from winddown.core.errors import DomainError
from winddown.ledger import selectors, services
from winddown.ledger.audit_actions import LedgerAction
from winddown.ledger.models import CollectionAction
from winddown.ledger.tests.conftest import ID1, ID2, ID3

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 6, 30)


def record(loan, operator, **kw):
    return services.collection_record(
        loan=loan, user=operator, actor=Actor(operator.pk, "tests"), as_of=AS_OF, **kw
    )


def test_actions_are_logged_and_audited(worked, operator_a):
    loan = worked.loans.get(number="JK1")
    action = record(loan, operator_a, kind="sms", note="提醒还款")
    assert action.days_overdue == 107 and action.institution_id == worked.institution_id
    assert AuditEntry.objects.filter(action=LedgerAction.COLLECTION_RECORDED).count() == 1
    with pytest.raises(DomainError, match="请填写录音编号"):
        record(loan, operator_a, kind="phone")
    assert record(loan, operator_a, kind="phone", recording_ref="REC-2026-0001").recording_ref
    with pytest.raises(DomainError, match="催收方式应为"):
        record(loan, operator_a, kind="visit")


def test_only_overdue_loans_are_collected(worked, operator_a):
    with pytest.raises(DomainError, match="借款 JK2 当前未逾期"):
        record(worked.loans.get(number="JK2"), operator_a, kind="sms")


def test_negotiated_plan_reschedules_the_remaining_principal(worked, operator_a):
    loan = worked.loans.get(number="JK1")
    action = record(loan, operator_a, kind="plan", plan_months=6, plan_start=date(2026, 7, 1))
    plan = action.plan
    assert plan["principal"] == "10000.00" and len(plan["instalments"]) == 6
    assert plan["instalments"][0]["due_date"] == "2026-08-01"
    total = sum(int(i["principal"].replace(".", "")) for i in plan["instalments"])
    assert total == 1_000_000  # the principal parts add up to the remaining principal
    with pytest.raises(DomainError, match="期数应为"):
        record(loan, operator_a, kind="plan", plan_months=0)


def test_queue_orders_by_days_then_amount(tmp_path, institution_a, operator_a, ledger_a):
    rows = selectors.collection_queue(institution_a, date(2026, 9, 30))
    assert rows, "the generated ledger has overdue loans"
    keys = [(-r.position.days_overdue, -r.position.overdue_fen) for r in rows]
    assert keys == sorted(keys)


def test_collection_pages_and_boundaries(worked, institution_a, operator_a, operator_b, wg_officer):
    loan = worked.loans.get(number="JK1")
    client = staff_signed_in(operator_a)
    response = client.post(
        f"/staff/loans/{loan.pk}/collection/",
        {"kind": "default_notice", "note": "已寄送违约通知书"},
    )
    assert response.status_code == 302
    assert CollectionAction.objects.get().kind == "default_notice"
    queue = client.get(
        f"/staff/institutions/{institution_a.pk}/ledger/collection/?as_of=2026-06-30"
    )
    assert "JK1" in queue.content.decode() and "违约通知" in queue.content.decode()
    other = staff_signed_in(operator_b)
    assert other.post(f"/staff/loans/{loan.pk}/collection/", {"kind": "sms"}).status_code == 404
    assert (
        other.get(f"/staff/institutions/{institution_a.pk}/ledger/collection/").status_code == 404
    )
    officer = staff_signed_in(wg_officer)
    assert officer.post(f"/staff/loans/{loan.pk}/collection/", {"kind": "sms"}).status_code == 403
    assert CollectionAction.objects.count() == 1
    log = officer.get(f"/staff/loans/{loan.pk}/?as_of=2026-06-30").content.decode()
    assert "已寄送违约通知书" in log and "collection-submit" not in log


def test_reconciliation_lists_every_lender_whose_amounts_differ(
    tmp_path, worked, institution_a, operator_a
):
    register = register_file(
        tmp_path,
        [
            ["王五", "身份证", ID2, "13800000001", "10000.00", "0.00", "2"],
            ["赵六", "身份证", ID1, "13800000002", "7000.00", "0.00", "2"],
            ["孙八", "身份证", "110101199003070038", "13800000003", "500.00", "0.00", "1"],
        ],
    )
    upload_and_activate(institution_a, operator_a, register)
    result = selectors.reconciliation(institution_a, AS_OF)
    assert result.ledger_total_fen == 1_800_000 and result.register_total_fen == 1_750_000
    found = {(line.name, line.status, line.difference_fen) for line in result.differences}
    assert found == {("赵*", "金额不同", 100_000), ("孙*", "台账中没有", -50_000)}
    consistent = {line.name for line in result.lines if line.status == "一致"}
    assert consistent == {"王*", "钱*"}  # 钱七's loan was repaid in full: nothing to register
    assert ID3  # (钱七's number is only ever compared by blind index)
    page = staff_signed_in(operator_a).get(
        f"/staff/institutions/{institution_a.pk}/ledger/reconciliation/?as_of=2026-06-30"
    )
    text = page.content.decode()
    assert 'data-testid="difference-count">2 人' in text and "金额不同" in text


def test_outstanding_is_split_to_the_fen(tmp_path, institution_a, operator_a):
    from winddown.ledger.samples import HOLDING_HEADER, LOAN_HEADER, REPAYMENT_HEADER, write_csv
    from winddown.ledger.tests.conftest import import_files

    loan = [
        "JK1",
        "张三",
        ID1,
        "信用贷",
        "100.00",
        "12.00",
        "3",
        "等额本金",
        "2026-01-01",
        "",
        "否",
    ]
    holdings = [
        ["JK1", "甲", ID2, "33.33"],
        ["JK1", "乙", ID3, "33.33"],
        ["JK1", "丙", ID1, "33.34"],
    ]
    paid = ["JK1", "1", "2026-02-01", "33.33", "1.00", "0.00", "借款人", "2026-02-01"]
    paths = [
        write_csv(tmp_path / "l.csv", LOAN_HEADER, [loan]),
        write_csv(tmp_path / "h.csv", HOLDING_HEADER, holdings),
        write_csv(tmp_path / "r.csv", REPAYMENT_HEADER, [paid]),
    ]
    version = import_files(institution_a, operator_a, paths).version
    shares = selectors.lender_outstanding(version, date(2026, 2, 28))
    assert sum(shares.values()) == 6667  # 66.67 yuan remaining, split to the fen
    assert sorted(shares.values()) == [2222, 2222, 2223]


def test_a_register_version_is_generated_from_the_ledger(
    tmp_path, worked, institution_a, operator_a
):
    from winddown.claims.models import ClaimEntry, RegisterVersion

    register = register_file(
        tmp_path,
        [
            ["王五", "身份证", ID2, "13800000001", "10000.00", "0.00", "2"],
            ["赵六", "身份证", ID1, "13800000002", "7000.00", "0.00", "2"],
        ],
    )
    active = upload_and_activate(institution_a, operator_a, register)
    client = staff_signed_in(operator_a)
    url = f"/staff/institutions/{institution_a.pk}/ledger/register/?as_of=2026-06-30"
    response = client.post(url)
    pending = RegisterVersion.objects.get(status="pending")
    assert response.status_code == 302 and response.url == f"/staff/registers/{pending.pk}/"
    amounts = dict(ClaimEntry.objects.filter(version=pending).values_list("name", "principal_fen"))
    assert amounts == {"王五": 1_000_000, "赵六": 800_000}
    assert (pending.diff_base_id, pending.diff_changed) == (active.pk, 1)
    entry = ClaimEntry.objects.get(version=pending, name="赵六")
    assert entry.phone.value == "13800000002" and entry.loan_count == 2
    assert AuditEntry.objects.filter(action=LedgerAction.REGISTER_GENERATED).count() == 1


def test_generation_is_refused_for_lenders_without_a_phone(worked, institution_a, operator_a):
    with pytest.raises(DomainError, match="有 2 位出借人不在生效的债权登记表中"):
        services.register_generate(
            institution=institution_a, as_of=AS_OF, user=operator_a, actor=Actor(None, "t")
        )
    officer_post = staff_signed_in(operator_a).post(
        f"/staff/institutions/{institution_a.pk}/ledger/register/", follow=True
    )
    assert "无法生成登记表" in officer_post.content.decode()


def test_only_the_institutions_operator_generates(worked, institution_a, operator_b, wg_officer):
    url = f"/staff/institutions/{institution_a.pk}/ledger/register/"
    assert staff_signed_in(operator_b).post(url).status_code == 404
    assert staff_signed_in(wg_officer).post(url).status_code == 403
