"""Key rotation over everything registered (README, "Key rotation").

Re-encrypts every registered column under the first key of WINDDOWN_PII_KEYS and recomputes
its blind index under WINDDOWN_PII_INDEX_KEY; re-encrypts every registered private file;
rewrites registered copies of blind indexes. Batches commit one by one, so a row is readable
before and after its batch and the platform keeps serving while the rotation runs. Running
it twice changes nothing the second time but the ciphertexts' nonces.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from winddown.core import private_files
from winddown.pii.keys import keyring
from winddown.pii.registry import Registration, registrations


class RotationRefused(RuntimeError):
    """The blind-index key may not change now; the message says why."""


@dataclass
class RotationReport:
    primary_key_id: str
    index_key_changed: bool
    rows: dict[str, int] = field(default_factory=dict)  # "app.model" -> rows re-encrypted
    files: dict[str, int] = field(default_factory=dict)  # "app.model" -> files re-encrypted
    index_copies: dict[str, int] = field(default_factory=dict)  # "app.model.column" -> rows
    after: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "primary_key_id": self.primary_key_id,
            "index_key_changed": self.index_key_changed,
            "rows": self.rows,
            "files": self.files,
            "index_copies": self.index_copies,
            "after": self.after,
        }


def index_key_changed() -> bool:
    """Whether any stored blind index differs from the current index key's (checked on the
    first row of each indexed field: one key indexes everything)."""
    for registration in registrations():
        for spec in registration.fields:
            if not spec.index_column:
                continue
            row = (
                registration.model.objects.exclude(**{spec.column: ""})
                .order_by("pk")
                .only(spec.column, spec.index_column)
                .first()
            )
            if row is None:
                continue
            sealed = getattr(row, spec.name)
            if spec.index(sealed.value, row) != sealed.index:
                return True
    return False


def personal_data_rotate(*, batch_size: int = 2000) -> RotationReport:
    ring = keyring()
    changed = index_key_changed()
    if changed:
        for registration in registrations():
            reason = registration.index_key_guard and registration.index_key_guard()
            if reason:
                raise RotationRefused(reason)
    report = RotationReport(primary_key_id=ring.primary_id, index_key_changed=changed)
    index_maps: dict[str, dict[str, str]] = defaultdict(dict)
    for registration in registrations():
        label = registration.model._meta.label_lower
        if registration.fields:
            report.rows[label] = _rotate_fields(registration, ring, batch_size, index_maps)
        if registration.files:
            report.files[label] = _rotate_files(registration)
    for registration in registrations():
        for copy in registration.index_copies:
            key = f"{registration.model._meta.label_lower}.{copy.column}"
            report.index_copies[key] = _rewrite_index_copy(
                registration, copy.column, index_maps[copy.purpose], batch_size
            )
    for registration in registrations():
        if registration.after_rotation is not None:
            report.after[registration.model._meta.label_lower] = registration.after_rotation()
    return report


def _rotate_fields(registration: Registration, ring, batch_size: int, index_maps) -> int:
    model = registration.model
    columns = [column for spec in registration.fields for column in spec.columns]
    done = 0
    last_pk = 0
    while True:
        with transaction.atomic():
            batch = list(
                model.objects.select_for_update().filter(pk__gt=last_pk).order_by("pk")[:batch_size]
            )
            if not batch:
                return done
            for row in batch:
                for spec in registration.fields:
                    sealed = getattr(row, spec.name)
                    if not sealed:
                        continue
                    spec.store(row, sealed.value, ring)
                    if spec.index_column:
                        new_index = getattr(row, spec.index_column)
                        if sealed.index and new_index != sealed.index:
                            index_maps[spec.purpose][sealed.index] = new_index
            model.objects.bulk_update(batch, columns)
            done += len(batch)
            last_pk = batch[-1].pk


def _rotate_files(registration: Registration) -> int:
    model = registration.model
    done = 0
    for spec in registration.files:
        rows = model.objects.exclude(**{spec.column: ""}).order_by("pk")
        for pk, old_path in rows.values_list("pk", spec.column).iterator():
            try:
                new_path = private_files.save_encrypted(
                    private_files.read_decrypted(old_path, purpose=spec.purpose),
                    purpose=spec.purpose,
                    folder=spec.folder,
                )
            except FileNotFoundError:  # removed meanwhile (an upload the worker finished)
                continue
            with transaction.atomic():
                updated = model.objects.filter(pk=pk, **{spec.column: old_path}).update(
                    **{spec.column: new_path}
                )
            if updated:
                private_files.delete(old_path)
                done += 1
            else:  # the row changed meanwhile (e.g. the upload was processed): keep its file
                private_files.delete(new_path)
    return done


def _rewrite_index_copy(registration, column: str, mapping: dict[str, str], batch_size) -> int:
    if not mapping:
        return 0
    rows = registration.model.objects
    done = 0
    pairs = list(mapping.items())
    for start in range(0, len(pairs), batch_size):
        with transaction.atomic():
            for old, new in pairs[start : start + batch_size]:
                done += rows.filter(**{column: old}).update(**{column: new})
    return done
