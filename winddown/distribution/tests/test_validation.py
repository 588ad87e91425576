"""Invalid input is refused with the field named, in the Python API and at the JSON edge."""

from __future__ import annotations

import copy
from contextlib import contextmanager

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from winddown.distribution import (
    MAX_FEN,
    Claim,
    DistributionInputError,
    Policy,
    allocate,
    from_json,
    parse_amount,
    policy_from_dict,
    policy_to_dict,
)
from winddown.distribution.jsonio import _fast_claim, _parse_claim

DOC = {
    "pool": "1000.00",
    "claims": [
        {"id": "a", "principal": "600.00", "interest": "100.00"},
        {"id": "b", "principal": "500.00", "interest": "50.00"},
    ],
    "small_claims_first": "0",
}


@contextmanager
def refused(field: str):
    """Expect a DistributionInputError naming ``field`` with a bilingual message."""
    with pytest.raises(DistributionInputError) as err:
        yield err
    assert err.value.field == field, str(err.value)
    assert str(err.value).startswith(f"{field}: ")
    assert " / " in err.value.message  # Chinese / English


@pytest.mark.parametrize(
    ("value", "fen"),
    [("0", 0), ("600", 60000), ("600.5", 60050), ("600.05", 60005), ("0.01", 1), ("007", 700)],
)
def test_amounts(value, fen):
    assert parse_amount(value, "pool") == fen


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("600.001", "至多两位小数"),
        ("-1", "不能为负数"),
        ("-1.234", "至多两位小数"),
        (600, "字符串"),
        (600.5, "字符串"),
        (True, "布尔值"),
        (None, "金额字符串"),
        ("", "不是合法的金额"),
        ("1e3", "不是合法的金额"),
        (" 1", "不是合法的金额"),
        ("1,000.00", "不是合法的金额"),
        ("+1", "不是合法的金额"),
        ("1.", "不是合法的金额"),
        (".5", "不是合法的金额"),
        ("１２", "不是合法的金额"),  # full-width digits: not at this edge
        (str(MAX_FEN // 100 + 1), "过大"),
        ("9" * 40, "过大"),
    ],
)
def test_bad_amounts(value, words):
    with refused("claims[3].principal") as err:
        parse_amount(value, "claims[3].principal")
    assert words in err.value.message


def edit(path, value=None, delete=False):
    doc = copy.deepcopy(DOC)
    *head, last = path
    target = doc
    for key in head:
        target = target[key]
    if delete:
        del target[last]
    else:
        target[last] = value
    return doc


@pytest.mark.parametrize(
    ("doc", "field"),
    [
        (edit(["pool"], delete=True), "pool"),
        (edit(["pool"], 1000.0), "pool"),
        (edit(["pool"], "-5"), "pool"),
        (edit(["claims"], delete=True), "claims"),
        (edit(["claims"], {"a": 1}), "claims"),
        (edit(["claims", 1], "b"), "claims[1]"),
        (edit(["claims", 1, "principal"], "500.001"), "claims[1].principal"),
        (edit(["claims", 0, "interest"], delete=True), "claims[0].interest"),
        (edit(["claims", 0, "principal"], delete=True), "claims[0].principal"),
        (edit(["claims", 0, "id"], delete=True), "claims[0].id"),
        (edit(["claims", 0, "id"], 7), "claims[0].id"),
        (edit(["claims", 0, "id"], ""), "claims[0].id"),
        (edit(["claims", 0, "id"], "x" * 201), "claims[0].id"),
        (edit(["claims", 1, "id"], "a"), "claims[1].id"),  # duplicate
        (edit(["claims", 1, "disputed"], "yes"), "claims[1].disputed"),
        (edit(["claims", 1, "carried"], "550.01"), "claims[1].carried"),
        (edit(["claims", 1, "note"], "x"), "claims[1].note"),
        (edit(["small_claims_first"], "-1"), "small_claims_first"),
        (edit(["small_claims_first"], 0), "small_claims_first"),
        (edit(["min_payment"], "0.001"), "min_payment"),
        (edit(["policy"], {}), "policy"),  # unknown top-level key
        ([], "(document)"),
    ],
)
def test_bad_documents_name_the_field(doc, field):
    with refused(field):
        from_json(doc)


def test_optional_fields_default():
    r = from_json({"pool": "1", "claims": []})
    assert r.policy == Policy() and r.pool_fen == 100 and r.claims == ()
    r = from_json(edit(["claims", 0, "carried"], "700.00"))
    assert r.claims[0] == Claim("a", 60000, 10000, False, 70000)


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: allocate(-1, []), "pool"),
        (lambda: allocate(1.5, []), "pool"),
        (lambda: allocate(True, []), "pool"),
        (lambda: allocate(1, [Claim("a", 1, 1), ("b", 1, 1)]), "claims[1]"),
        (lambda: allocate(1, [Claim("a", 1, 1), Claim("a", 1, 1)]), "claims[1].id"),
        (lambda: allocate(1, [Claim("", 1, 1)]), "claims[0].id"),
        (lambda: allocate(1, [Claim(3, 1, 1)]), "claims[0].id"),
        (lambda: allocate(1, [Claim("a", 1, 1), Claim("b", -1, 1)]), "claims[1].principal"),
        (lambda: allocate(1, [Claim("a", 1, 1.0)]), "claims[0].interest"),
        (lambda: allocate(1, [Claim("a", True, 1)]), "claims[0].principal"),
        (lambda: allocate(1, [Claim("a", 1, 1, disputed=1)]), "claims[0].disputed"),
        (lambda: allocate(1, [Claim("a", 1, 1, carried_fen=3)]), "claims[0].carried"),
        (lambda: allocate(1, [Claim("a", 1, 1, carried_fen=-1)]), "claims[0].carried"),
        (lambda: allocate(1, [], policy={}), "policy"),
        (lambda: Policy(-1), "small_claims_first"),
        (lambda: Policy(0, 1.5), "min_payment"),
    ],
)
def test_bad_api_input_names_the_field(call, field):
    with refused(field):
        call()


def test_policy_dict():
    policy = Policy(small_claims_threshold_fen=1000000, min_payment_fen=5000)
    d = policy_to_dict(policy)
    assert d == {
        "method": "winddown.distribution/1",
        "order": ["small-claims-tier", "principal", "interest"],
        "rounding": "floor-then-largest-remainder",
        "tie_break": ["larger-remainder", "larger-tier-amount", "lower-id"],
        "small_claims_first": "10000.00",
        "min_payment": "50.00",
    }
    assert policy_from_dict(d) == policy
    d["order"].append("x")  # a copy: the module's constant is untouched
    assert policy_to_dict(policy)["order"] == ["small-claims-tier", "principal", "interest"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"method": "winddown.distribution/2"}, "policy.method"),
        ({"rounding": "round-robin"}, "policy.rounding"),
        ({"tie_break": ["lower-id"]}, "policy.tie_break"),
        ({"min_payment": "0.001"}, "policy.min_payment"),
        ({"extra": 1}, "policy.extra"),
    ],
)
def test_policy_dict_refuses_other_rules(change, field):
    d = {**policy_to_dict(Policy()), **change}
    with refused(field):
        policy_from_dict(d)


def test_policy_dict_requires_every_key():
    d = policy_to_dict(Policy())
    del d["small_claims_first"]
    with refused("policy.small_claims_first"):
        policy_from_dict(d)


_amount_texts = st.one_of(
    st.builds(
        lambda whole, frac: f"{whole}{frac}",
        st.one_of(st.integers(0, 999), st.integers(0, 10**20)),
        st.sampled_from(["", ".", ".5", ".05", ".505"]),
    ),
    st.sampled_from(["0", "-1", "1e3", " 1", "１", "+1", str(MAX_FEN // 100), "1" * 17, "007"]),
    st.integers(0, 10),
    st.booleans(),
    st.none(),
)
_values = st.one_of(_amount_texts, st.text(max_size=3))


_good_amounts = st.builds(
    lambda whole, frac: f"{whole}{frac}", st.integers(0, 10**6), st.sampled_from(["", ".5", ".05"])
)
_good_claims = st.fixed_dictionaries(
    {"id": st.text(min_size=1, max_size=3), "principal": _good_amounts, "interest": _good_amounts},
    optional={"disputed": st.booleans(), "carried": _good_amounts},
)
_messy_claims = st.fixed_dictionaries(
    {"id": st.one_of(st.text(max_size=3), st.integers(0, 2))},
    optional={
        "principal": _amount_texts,
        "interest": _amount_texts,
        "disputed": st.one_of(st.booleans(), _values),
        "carried": _amount_texts,
        "x": _values,
    },
)


@given(st.one_of(_good_claims, _messy_claims, st.lists(st.integers(), max_size=1)))
@example({"id": "a", "principal": "1", "interest": "0.5", "carried": "1.50"})
@example({"id": "a", "principal": "1", "interest": "0.5", "carried": "1.51"})
@example({"id": "a" * 200, "principal": str(MAX_FEN // 100), "interest": "0", "disputed": True})
def test_fast_claim_path_accepts_exactly_what_the_checked_path_accepts(raw):
    try:
        checked = _parse_claim(raw, "claims[0]")
    except DistributionInputError:
        checked = None
    fast = _fast_claim(raw)
    assert fast is None or fast == checked
    if checked is None:
        assert fast is None
