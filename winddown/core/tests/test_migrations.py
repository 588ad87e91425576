"""The models and the migrations agree: a deployment's `migrate` builds what the code uses."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=0)
    except SystemExit as missing:  # makemigrations --check exits 1 when one is missing
        pytest.fail(f"a model change has no migration (makemigrations --check: {missing.code})")
