"""Property-based tests (hypothesis).

The oracle below restates every rule from the brief with ``fractions.Fraction``
— written independently of the registry's condition table — so a wrong
fraction, base or comparison in the table shows up as a counterexample.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction as F

from hypothesis import example, given, settings
from hypothesis import strategies as st

from winddown.rules import (
    RULES,
    Candidate,
    Election,
    Group,
    Motion,
    Options,
    Tally,
    evaluate,
    evaluate_election,
    from_json,
    to_json,
)
from winddown.rules.text import format_hundredths

UNGROUPED = [r for r in RULES if not RULES[r].grouped]
# Adding a "yes" ballot from someone who has not voted raises yes and attending
# alike; every rule here is monotone under that, the quorum rules included, so
# the property is checked on all of them (the brief requires it for the rules
# without a participation quorum).
MONOTONE = [*UNGROUPED, "bankruptcy-reorganization"]


def oracle(rule: str, e: Tally, o: Options, params) -> bool:
    """Passed or not, straight from the legal texts, with exact fractions."""
    yh, yw = o.yes.heads, o.yes.weight
    ah = o.yes.heads + o.no.heads + o.abstain.heads
    aw = o.yes.weight + o.no.weight + o.abstain.weight
    if e.heads == 0 or ah == 0:
        return False
    uses_weight = rule not in ("committee-supermajority",) and not (
        rule == "simple-majority" and params.get("basis", "heads") == "heads"
    )
    if uses_weight and e.weight == 0:
        return False
    half, two_thirds, three_quarters = F(1, 2), F(2, 3), F(3, 4)
    if rule == "p2p-exit":
        return F(aw, e.weight) >= two_thirds and F(yh, ah) > half and F(yw, e.weight) > half
    if rule == "bankruptcy-general":
        return F(yh, ah) > half and F(yw, e.weight) >= half
    if rule in ("bankruptcy-settlement", "bankruptcy-reorganization"):
        return F(yh, ah) > half and F(yw, e.weight) >= two_thirds
    if rule.startswith("homeowners-"):
        if F(aw, e.weight) < two_thirds or F(ah, e.heads) < two_thirds or aw == 0:
            return False
        if rule == "homeowners-major":
            return F(yw, aw) >= three_quarters and F(yh, ah) >= three_quarters
        return F(yw, aw) > half and F(yh, ah) > half
    if rule == "committee-supermajority":
        return F(yh, e.heads) > two_thirds
    if rule == "simple-majority":
        if params.get("basis", "heads") == "weight":
            return yw > o.no.weight
        return yh > o.no.heads
    raise AssertionError(rule)


SCALES = st.sampled_from([3, 10, 1000, 10**7, 10**14])


@st.composite
def ballots(draw, reserve=False):
    """(electorate, options) with yes+no+abstain within the electorate.

    With ``reserve``, at least one member of the electorate has not voted.
    """
    eh = draw(st.integers(1 if reserve else 0, draw(st.sampled_from([4, 12, 30, 10**7]))))
    ew = draw(st.integers(0, draw(SCALES))) if eh else 0
    tallies = []
    heads_left, weight_left = eh - (1 if reserve else 0), ew
    for _ in range(3):
        h = draw(st.integers(0, heads_left))
        w = draw(st.integers(0, weight_left)) if h else 0
        heads_left -= h
        weight_left -= w
        tallies.append(Tally(h, w))
    order = draw(st.permutations(tallies))
    return Tally(eh, ew), Options(*order)


@st.composite
def motions(draw, rules=UNGROUPED, reserve=False):
    rule = draw(st.sampled_from(rules))
    params = {}
    if rule == "simple-majority":
        params = {"basis": draw(st.sampled_from(["heads", "weight"]))}
    if RULES[rule].grouped:
        n = draw(st.integers(1, 4))
        groups = tuple(Group(f"组{i}", *draw(ballots(reserve))) for i in range(n))
        return Motion(rule=rule, groups=groups)
    e, o = draw(ballots(reserve))
    return Motion(rule=rule, electorate=e, options=o, params=params)


def expected(m: Motion) -> bool:
    if m.groups:
        return all(oracle(m.rule, g.electorate, g.options, m.params) for g in m.groups)
    return oracle(m.rule, m.electorate, m.options, m.params)


@settings(max_examples=1500)
@given(motions(MONOTONE))
# exact boundaries that random draws rarely hit
@example(Motion("p2p-exit", Tally(20, 90000), Options(Tally(6, 45001), Tally(4, 14999))))
@example(Motion("p2p-exit", Tally(20, 90000), Options(Tally(6, 45001), Tally(4, 14998))))
@example(Motion("bankruptcy-general", Tally(9, 100), Options(Tally(5, 50), Tally(4, 0))))
@example(Motion("bankruptcy-settlement", Tally(3, 3), Options(Tally(2, 2), Tally(1, 0))))
@example(Motion("homeowners-major", Tally(30, 300), Options(Tally(15, 150), Tally(5, 50))))
@example(Motion("homeowners-ordinary", Tally(3, 300), Options(Tally(2, 150), Tally(0, 0))))
@example(Motion("committee-supermajority", Tally(9, 0), Options(Tally(6, 0), Tally(0, 0))))
def test_engine_agrees_with_the_fraction_oracle(m):
    assert evaluate(m).passed is expected(m)


def _room(e: Tally, o: Options) -> tuple[int, int]:
    return (
        e.heads - o.yes.heads - o.no.heads - o.abstain.heads,
        e.weight - o.yes.weight - o.no.weight - o.abstain.weight,
    )


def with_extra_yes(m: Motion, weight: int) -> Motion:
    """``m`` plus one yes ballot of ``weight`` (in the first group for grouped rules)."""

    def bump(o: Options) -> Options:
        return Options(Tally(o.yes.heads + 1, o.yes.weight + weight), o.no, o.abstain)

    if m.groups:
        g = m.groups[0]
        first = Group(g.name, g.electorate, bump(g.options))
        return Motion(m.rule, groups=(first, *m.groups[1:]))
    return Motion(m.rule, m.electorate, bump(m.options), params=m.params)


@settings(max_examples=800)
@given(motions(MONOTONE, reserve=True), st.data())
def test_adding_a_yes_ballot_never_turns_a_pass_into_a_fail(m, data):
    e, o = (m.groups[0].electorate, m.groups[0].options) if m.groups else (m.electorate, m.options)
    room_heads, room_weight = _room(e, o)
    assert room_heads >= 1
    weight = data.draw(st.integers(0, room_weight))
    before, after = evaluate(m), evaluate(with_extra_yes(m, weight))
    if before.passed:
        assert after.passed


def scaled(m: Motion, k: int) -> Motion:
    def t(x: Tally) -> Tally:
        return Tally(x.heads, x.weight * k)

    def o(x: Options) -> Options:
        return Options(t(x.yes), t(x.no), t(x.abstain))

    if m.groups:
        return Motion(
            m.rule, groups=tuple(Group(g.name, t(g.electorate), o(g.options)) for g in m.groups)
        )
    return Motion(m.rule, t(m.electorate), o(m.options), params=m.params)


@settings(max_examples=800)
@given(motions(MONOTONE), st.integers(1, 10**9))
def test_scaling_all_weights_never_changes_the_outcome(m, k):
    before, after = evaluate(m), evaluate(scaled(m, k))
    assert before.passed is after.passed
    assert [c.holds for c in before.criteria] == [c.holds for c in after.criteria]


_VERDICT = re.compile(r"^表决结果：(通过|未通过)。")


def _threshold_display(num: int, den: int, places: int) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 80
        return (Decimal(num * 100) / Decimal(den)).quantize(
            Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
        )


def _exact_display(q: int, b: int, places: int) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 80
        return (Decimal(q * 100) / Decimal(b)).quantize(
            Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
        )


def check_criterion_text(c) -> None:
    s = c.spec
    text = c.explanation
    assert text.endswith("，满足。") if c.holds else text.endswith("，不满足。")
    if c.base == 0:
        assert c.percentage is None and "无法计算比例" in text
        return
    ratio, threshold = F(c.quantity, c.base), F(s.numerator, s.denominator)
    pct = c.percentage
    places = len(pct.split(".")[1])
    shown = Decimal(pct)
    # the printed percentage is the exact ratio rounded half-up (checked with Decimal) ...
    assert shown == _exact_display(c.quantity, c.base, places)
    assert f" {pct}%" in text
    # ... and it sits on the same side of the printed threshold as the exact ratio does
    t_shown = _threshold_display(s.numerator, s.denominator, places)
    if ratio > threshold:
        assert shown > t_shown and "高于" in text
    elif ratio < threshold:
        assert shown < t_shown and "低于" in text
    else:
        assert "恰好等于" in text
    # the sentence's verdict is the one the comparison implies
    holds = ratio >= threshold if s.comparison == ">=" else ratio > threshold
    assert c.holds is holds


@settings(max_examples=1500)
@given(motions(MONOTONE))
@example(Motion("p2p-exit", Tally(20, 90000), Options(Tally(6, 45001), Tally(4, 14998))))
@example(
    Motion("p2p-exit", Tally(10**7, 10**14), Options(Tally(10**7, 66666666666666), Tally(0, 0)))
)
def test_the_chinese_text_states_the_same_verdict_as_the_flags(m):
    d = evaluate(m)
    match = _VERDICT.match(d.summary)
    assert match is not None, d.summary
    assert (match.group(1) == "通过") is d.passed
    for c in d.criteria:
        check_criterion_text(c)
    for g in d.groups:
        assert ("：通过" in g.summary) is g.passed
        assert ("：未通过" in g.summary) is not g.passed
        for c in g.criteria:
            check_criterion_text(c)
    if d.groups:
        failed = [g.name for g in d.groups if not g.passed]
        assert all(name in d.summary for name in failed)


def _doc(m: Motion) -> dict:
    def t(x: Tally) -> dict:
        return {"heads": x.heads, "weight": format_hundredths(x.weight)}

    def o(x: Options) -> dict:
        return {"yes": t(x.yes), "no": t(x.no), "abstain": t(x.abstain)}

    if m.groups:
        groups = {
            g.name: {"electorate": t(g.electorate), "options": o(g.options)} for g in m.groups
        }
        return {"rule": m.rule, "groups": groups}
    return {
        "rule": m.rule,
        "params": dict(m.params),
        "electorate": t(m.electorate),
        "options": o(m.options),
    }


@settings(max_examples=500)
@given(motions(MONOTONE))
def test_json_round_trip_keeps_every_fen(m):
    parsed = from_json(_doc(m))
    assert parsed.electorate == m.electorate and parsed.options == m.options
    assert parsed.groups == m.groups
    out = to_json(evaluate(parsed))
    assert out["passed"] is evaluate(m).passed


@st.composite
def elections(draw):
    rule = draw(st.sampled_from(UNGROUPED))
    params = (
        {"basis": draw(st.sampled_from(["heads", "weight"]))} if rule == "simple-majority" else {}
    )
    eh = draw(st.integers(1, 50))
    ew = draw(st.integers(0, 10**6))
    ph = draw(st.integers(0, eh))
    pw = draw(st.integers(0, ew)) if ph else 0
    k = draw(st.integers(1, 4))
    n = draw(st.integers(0, 12))
    cands, left_h, left_w = [], k * ph, k * pw
    for i in range(n):
        h = draw(st.integers(0, min(ph, left_h)))
        w = draw(st.integers(0, min(pw, left_w))) if h else 0
        # small pool of values makes ties common
        if draw(st.booleans()) and cands:
            h, w = cands[-1].votes.heads, cands[-1].votes.weight
            if h > left_h or w > left_w:
                h = w = 0
        left_h -= h
        left_w -= w
        cands.append(Candidate(f"c{i}", Tally(h, w)))
    return Election(
        rule, Tally(eh, ew), Tally(ph, pw), draw(st.integers(1, 6)), k, tuple(cands), params
    )


@settings(max_examples=800)
@given(elections())
def test_election_invariants(el):
    r = evaluate_election(el)
    by = {c.name: c for c in r.candidates}
    assert len(r.elected) <= el.seats
    assert not set(r.elected) & set(r.unresolved_tie)
    assert r.vacant_seats == el.seats - len(r.elected)
    uses_weight = r.ranked_by_weight

    def key(name):
        v = by[name].votes
        return (v.weight if uses_weight else 0, v.heads)

    for name in r.elected:
        assert by[name].passed and by[name].status == "elected"
    for c in r.candidates:
        if c.passed and c.status == "not-elected":
            assert all(key(e) > key(c.name) for e in r.elected)
            assert all(key(t) > key(c.name) for t in r.unresolved_tie)
        # each candidate's verdict equals the oracle with yes = votes, attending = participation
        rest = Tally(
            el.participation.heads - c.votes.heads, el.participation.weight - c.votes.weight
        )
        want = oracle(el.rule, el.electorate, Options(c.votes, rest), el.params)
        assert c.passed is (want and r.reason_code is None)
    if r.unresolved_tie:
        keys = {key(n) for n in r.unresolved_tie}
        assert len(keys) == 1 and len(r.unresolved_tie) >= 2
        assert len(r.elected) < el.seats < len(r.elected) + len(r.unresolved_tie)
    else:
        qualified = sum(c.passed for c in r.candidates)
        assert len(r.elected) == min(el.seats, qualified)
    for name in r.elected:
        assert name in r.summary
    assert r.summary.startswith(f"选举结果：应选 {el.seats} 名")
