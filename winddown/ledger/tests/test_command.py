"""manage.py import_ledger: exit codes and messages."""

import pytest
from django.core.management import CommandError, call_command

from winddown.ledger.models import LedgerVersion
from winddown.ledger.samples import write_ledger

pytestmark = pytest.mark.django_db


def test_import_ledger_prints_totals(tmp_path, institution_a, operator_a, capsys):
    files = write_ledger(tmp_path, 8, seed=4)
    call_command("import_ledger", "网贷机构A", *map(str, files.all), "--as-user", "operator_a")
    out = capsys.readouterr().out
    assert "已导入 网贷机构A 借款台账第1版（生效中）" in out and "借款 8 笔" in out
    assert LedgerVersion.objects.get().loan_count == 8


def test_import_ledger_with_errors_exits_1_and_names_each(
    tmp_path, institution_a, operator_a, capsys
):
    files = write_ledger(tmp_path, 3, seed=4)
    text = files.holdings.read_text(encoding="gb18030").splitlines()
    files.holdings.write_text("\n".join(text[:-1]) + "\n", encoding="gb18030")  # drop one
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_ledger", "网贷机构A", *map(str, files.all), "--as-user", "operator_a")
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "出借.csv 文件「出借本金(元)」：借款“JK04" in err and "未保存任何数据" in err
    assert not LedgerVersion.objects.exists()


def test_unknown_institution(tmp_path, operator_a):
    files = write_ledger(tmp_path, 1, seed=4)
    with pytest.raises(CommandError, match="机构“无此机构”不存在"):
        call_command("import_ledger", "无此机构", *map(str, files.all), "--as-user", "operator_a")
