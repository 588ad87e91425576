"""Every column that holds ciphertext (``*_enc``) and every column that holds a private
file's path (``*_path``) is declared on its model, and every model with personal data is
registered for key rotation: a new column cannot be forgotten by `rotate_pii_keys`."""

from django.apps import apps

from winddown.pii.fields import EncryptedField, EncryptedFile
from winddown.pii.registry import declared, is_registered


def _project_models():
    return [m for m in apps.get_models() if m.__module__.startswith("winddown.")]


def test_every_ciphertext_and_private_file_column_is_declared():
    undeclared = []
    for model in _project_models():
        fields, files = declared(model)
        covered = {spec.column for spec in fields} | {spec.column for spec in files}
        for field in model._meta.concrete_fields:
            if field.name.endswith(("_enc", "_path")) and field.name not in covered:
                undeclared.append(f"{model._meta.label}.{field.name}")
    assert undeclared == [], (
        "declare these with EncryptedField / EncryptedFile / PublicFile (winddown.pii.fields)"
    )


def test_every_model_declaring_personal_data_is_registered_for_rotation():
    missing = [
        model._meta.label
        for model in _project_models()
        if any(declared(model)) and not is_registered(model)
    ]
    assert missing == [], "register them from the app's AppConfig (register_personal_data)"


def test_the_checks_see_the_columns_they_guard():
    """Guards the two tests above against checking nothing: the known columns are seen."""
    labels = {
        f"{model._meta.label}.{spec.name}"
        for model in _project_models()
        for spec in (*declared(model)[0], *declared(model)[1])
        if isinstance(spec, EncryptedField | EncryptedFile)
    }
    assert {
        "identity.Lender.phone",
        "claims.ClaimEntry.id_number",
        "claims.Dispute.evidence",
        "voting.SignUp.phone",
        "voting.SignUp.resume",
    } <= labels
