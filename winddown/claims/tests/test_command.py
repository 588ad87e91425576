import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from winddown.claims.models import RegisterVersion
from winddown.conftest import register_file
from winddown.demo.generators import register_rows

pytestmark = pytest.mark.django_db


def test_prints_totals_on_success(tmp_path, capsys, institution_a, operator_a):
    rows = [["张三", "身份证", "110101198001010053", "13800138000", "1,000.50", "20.00", "2"]]
    call_command(
        "import_claims", "网贷机构A", str(register_file(tmp_path, rows)), "--as-user", "operator_a"
    )
    out = capsys.readouterr().out
    assert (
        "第1版（待启用）" in out
        and "出借人数 1" in out
        and "1,000.50 元" in out
        and "20.00 元" in out
    )


def test_by_credit_code_and_default_uploader(tmp_path, capsys, institution_a, sysadmin):
    path = register_file(tmp_path, list(register_rows(3, seed=2)))
    call_command("import_claims", "91440300MA5DC6QX0G", str(path))
    assert "出借人数 3" in capsys.readouterr().out


def test_prints_every_row_error_and_exits_non_zero(tmp_path, capsys, institution_a, operator_a):
    rows = list(register_rows(30, seed=4))
    for row in rows[::3]:
        row[4] = "-1"
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "import_claims",
            "网贷机构A",
            str(register_file(tmp_path, rows)),
            "--as-user",
            "operator_a",
        )
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert err.count("待收本金(元)") == 10 and "第2行" in err and "第29行" in err
    assert "10 处错误，未保存任何数据" in err
    assert not RegisterVersion.objects.exists()


def test_unknown_institution_or_file(tmp_path, institution_a, operator_a):
    with pytest.raises(CommandError, match="不存在"):
        call_command("import_claims", "没有这家", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="文件不存在"):
        call_command(
            "import_claims", "网贷机构A", str(tmp_path / "missing.csv"), "--as-user", "operator_a"
        )


def test_a_sparse_xlsx_bomb_is_refused_with_a_message(tmp_path, capsys, institution_a, operator_a):
    """The probe's 1.5 KB sheet with a cell at XFD1048576 aborted the command (exit 134, no
    message) while the spreadsheet reader asked for 512 GB."""
    from winddown.core.tests.test_tabular import sparse_xlsx

    path = tmp_path / "bomb.xlsx"
    path.write_bytes(sparse_xlsx("A1", "XFD1048576"))
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_claims", "网贷机构A", str(path), "--as-user", "operator_a")
    assert exit_info.value.code == 1
    assert "表格范围过大（16384 列 × 1048576 行）" in capsys.readouterr().err
    assert not RegisterVersion.objects.exists()
