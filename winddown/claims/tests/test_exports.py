"""The register template an operator downloads (a CSV written by core.spreadsheets)."""

import pytest

from winddown.claims import selectors
from winddown.conftest import upload_and_activate

pytestmark = pytest.mark.django_db


def test_register_template_opens_in_excel_and_imports_as_it_is(
    client, tmp_path, institution_a, operator_a
):
    response = client.get("/staff/register-template.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    data = response.content
    assert data.startswith("\ufeff".encode())  # Excel reads UTF-8 only with the BOM
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("姓名,")
    assert lines[1] == "张三,身份证,110101199003070011,13800138000,10000.00,350.00,2"

    path = tmp_path / "template.csv"
    path.write_bytes(data)
    version = upload_and_activate(institution_a, operator_a, path)
    [entry] = selectors.version_entries(version)
    assert entry.name == "张三" and entry.id_number.value == "110101199003070011"
