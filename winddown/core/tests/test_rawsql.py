"""Model instances read by the hand-written statements equal what the ORM reads."""

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, connection, transaction
from django.db.transaction import TransactionManagementError

from winddown.conftest import make_lender
from winddown.core.rawsql import ModelRows, execute, fetchall, fetchone
from winddown.identity.models import Lender
from winddown.voting.models import VotingEvent
from winddown.voting.tests.conftest import make_event

pytestmark = pytest.mark.django_db


def _field_values(instance, fields):
    return {field.attname: getattr(instance, field.attname) for field in fields}


def test_every_field_converted_as_the_orm_does(institution_a, operator_a):
    event = make_event(institution_a, operator_a)
    rows = ModelRows(VotingEvent, alias="e")
    row = fetchone(f"SELECT {rows.columns} FROM voting_votingevent e WHERE e.id = %s", [event.pk])  # noqa: S608
    loaded = rows.instance(row)
    expected = VotingEvent.objects.get(pk=event.pk)
    fields = VotingEvent._meta.concrete_fields
    assert _field_values(loaded, fields) == _field_values(expected, fields)
    assert loaded.opens_at.tzinfo is not None  # SQLite's bare cursor gives naive datetimes
    assert loaded.rule_params == {}  # JSON decoded, not the string "{}"


def test_a_subset_named_in_any_order_and_a_second_model_in_the_same_row():
    lender = make_lender("13800138000", id_number="110101199003074578", password="258036")
    user_rows = ModelRows(type(lender.user), ["username", "id"], alias="u")
    lender_rows = ModelRows(
        Lender, ["failed_password_attempts", "id", "voting_password_hash"], alias="l"
    )
    row = fetchone(
        f"SELECT {user_rows.columns}, {lender_rows.columns} FROM accounts_user u"  # noqa: S608
        " JOIN identity_lender l ON l.user_id = u.id WHERE u.id = %s",
        [lender.user_id],
    )
    user = user_rows.instance(row)
    loaded = lender_rows.instance(row, len(user_rows))
    assert (user.pk, user.username) == (lender.user_id, lender.user.username)
    assert loaded.pk == lender.pk
    assert loaded.failed_password_attempts == 0
    assert loaded.voting_password_hash == Lender.objects.get(pk=lender.pk).voting_password_hash
    assert loaded.get_deferred_fields() >= {"real_name", "id_index"}


def test_a_field_the_model_does_not_have_is_refused():
    with pytest.raises(FieldDoesNotExist):
        ModelRows(Lender, ["id", "no_such_field"])


@pytest.mark.django_db(transaction=True)  # it closes the connection
def test_statements_behave_as_through_djangos_cursor_across_reconnects_and_errors():
    """On PostgreSQL the statements run on a cursor kept with the connection: it follows the
    connection when Django opens a new one, errors are Django's, and a transaction broken by
    an error refuses further statements, as Django's own cursor does."""
    assert fetchone("SELECT %s", [1]) == (1,)
    connection.close()  # as at the end of a request when the connection is too old
    assert fetchone("SELECT %s", [2]) == (2,)
    execute("CREATE TABLE rawsql_probe (id integer PRIMARY KEY)", [])
    execute("INSERT INTO rawsql_probe (id) VALUES (%s)", [1])
    with pytest.raises(IntegrityError), transaction.atomic():
        execute("INSERT INTO rawsql_probe (id) VALUES (%s)", [1])
    with transaction.atomic():
        with pytest.raises(IntegrityError), transaction.atomic(savepoint=False):
            execute("INSERT INTO rawsql_probe (id) VALUES (%s)", [1])
        with pytest.raises(TransactionManagementError):
            fetchall("SELECT id FROM rawsql_probe", [])
        transaction.set_rollback(True)
    assert fetchall("SELECT id FROM rawsql_probe", []) == [(1,)]
