import pytest

from winddown.audit.services import Actor
from winddown.ledger.samples import write_ledger
from winddown.ledger.services import ledger_import


def import_files(institution, operator, paths):
    return ledger_import(
        institution=institution,
        sources=[(p.name, lambda p=p: open(p, "rb")) for p in paths],
        user=operator,
        actor=Actor(operator.pk, operator.audit_label),
    )


@pytest.fixture
def ledger_a(tmp_path, institution_a, operator_a):
    files = write_ledger(tmp_path / "a", 60, seed=5)
    result = import_files(institution_a, operator_a, files.all)
    assert result.ok, [str(e) for e in result.errors[:10]]
    return result.version
