"""One presenter of a voting event's result: the API, the public result page, the staff
console, the PDF announcement and the XLSX roster only render what this builds.

Figures come from the stored result (`VotingEvent.result`: the tally and the rules engine's
decision with its Chinese explanations); nothing is recounted or re-decided here. Every
percentage is a `Share` that names its base, and the bases of the rows are the ones the
event's counting rule compares against (p2p-exit: yes heads against the attending lenders,
yes principal against the institution's outstanding principal), so a row's figures match
the rule's sentences. Percentages are for reading only (integer arithmetic, half-up); the
verdict is always the rules engine's.

Receipt checks live here too (`check_receipt`): one check, with the published root and size,
for the public page and the API.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from winddown.merkle import leaf_hash, verify_inclusion
from winddown.merkle.treefile import TreeFileError
from winddown.rules import RulesInputError, get_rule
from winddown.rules.text import percent, threshold_percent
from winddown.verify import iso_utc
from winddown.voting import receipt_tree
from winddown.voting.ballot_log import HASH_ALG, ballot_line
from winddown.voting.models import Ballot, EventKind, SignUpStatus, VotingEvent
from winddown.voting.tally import OPTION_LABELS, candidate_names, choice_words, event_options

# What a share is "of", in the words of the result tables (the rules engine names its
# quantities; spec: every percentage names its base).
BASE_LABELS = {
    "attending_heads": "占出席人数",
    "valid_heads": "占有效表决人数",
    "electorate_heads": "占全体有表决权人数",
    "attending_weight": "占出席本金",
    "valid_weight": "占有效表决本金",
    "electorate_weight": "占机构待收本金",
}
CANDIDATE_STATUS_LABELS = {
    "elected": "当选",
    "tied": "得票相同，未决出",
    "not-elected": "未当选（名次在应选人数之后）",
    "not-qualified": "未达到当选条件",
}
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Share:
    """`quantity` as a part of `whole`, which is the quantity `base` names."""

    quantity: int
    whole: int
    base: str  # a key of BASE_LABELS

    @property
    def label(self) -> str:
        return BASE_LABELS[self.base]

    @property
    def number(self) -> str | None:
        """ "66.67" (two decimals, half-up), or None without a base to divide by."""
        return percent(self.quantity, self.whole) if self.whole > 0 else None

    @property
    def text(self) -> str:
        number = self.number
        return f"{number}%" if number is not None else "—"

    def text_against(self, numerator: int, denominator: int) -> str:
        """The percentage with as many decimals as it takes not to look on the wrong side of
        the threshold numerator/denominator (599.99 of 900.00 is "66.666%", not "66.67%")."""
        if self.whole <= 0:
            return "—"
        return f"{threshold_percent(self.quantity, self.whole, numerator, denominator)[0]}%"

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Row:
    """One option or candidate of the tally."""

    key: str
    label: str
    heads: int
    weight_fen: int
    heads_share: Share
    weight_share: Share
    status: str = ""  # elections: elected / tied / not-elected / not-qualified
    rank: int | None = None

    @property
    def status_label(self) -> str:
        return CANDIDATE_STATUS_LABELS.get(self.status, self.status)

    @property
    def elected(self) -> bool:
        return self.status == "elected"


@dataclass(frozen=True)
class ResultView:
    event: VotingEvent
    rule: dict[str, str]  # id, name, citation, quote, params (in words)
    decision: dict[str, Any]  # the rules engine's JSON (winddown.rules.to_json)
    tally: dict[str, Any]
    rows: list[Row]
    participation_heads: Share  # of the electorate's heads
    participation_weight: Share  # of the electorate's principal
    heads_base: str  # what the rows' heads shares are of
    weight_base: str
    quorum: str  # the participation condition in words, or ""
    representatives: list[str] = field(default_factory=list)  # recruitments

    @property
    def counted(self) -> bool:
        return bool(self.tally)

    @property
    def passed(self) -> bool | None:
        return self.decision.get("passed")

    @property
    def elected(self) -> list[str]:
        return list(self.decision.get("elected") or [])

    @property
    def unresolved_tie(self) -> list[str]:
        return list(self.decision.get("unresolved_tie") or [])

    @property
    def summary(self) -> str:
        return result_summary(self.event, len(self.representatives))

    @property
    def criteria(self) -> list[dict[str, Any]]:
        return list(self.decision.get("criteria") or [])

    @property
    def candidates(self) -> list[dict[str, Any]]:
        """The decision per candidate (name, summary, criteria), in ranking order."""
        order = {row.label: index for index, row in enumerate(self.rows)}
        listed = self.decision.get("candidates") or []
        return sorted(listed, key=lambda c: order.get(c.get("name"), len(order)))

    @property
    def heads_base_label(self) -> str:
        return BASE_LABELS[self.heads_base]

    @property
    def weight_base_label(self) -> str:
        return BASE_LABELS[self.weight_base]


PARAM_LABELS = {
    "basis": ("计票依据", {"heads": "按人数（每人一票）", "weight": "按未偿还本金（权重）"}),
}


def rule_description(event: VotingEvent) -> dict[str, str]:
    """The event's counting rule: id, name, citation, the source text, parameters in words."""
    empty = {"id": event.rule_id, "name": "", "citation": "", "quote": "", "params": ""}
    if not event.rule_id:
        return empty
    try:
        rule = get_rule(event.rule_id)
    except RulesInputError:
        return empty
    params = []
    for name, value in (event.rule_params or {}).items():
        label, values = PARAM_LABELS.get(name, (name, {}))
        params.append(f"{label}：{values.get(value, value)}")
    return {
        "id": rule.id,
        "name": rule.name,
        "citation": rule.citation,
        "quote": rule.quote,
        "params": "；".join(params),
    }


def _rule_bases(event: VotingEvent) -> tuple[str, str, str]:
    """(heads base, weight base, participation condition's id) of the event's rule: the
    bases its "yes" conditions compare against; attending lenders where it has none."""
    heads, weight, participation = "attending_heads", "electorate_weight", ""
    if not event.rule_id:
        return heads, weight, participation
    try:
        context = "election" if event.kind == EventKind.ELECTION else "motion"
        specs = get_rule(event.rule_id).conditions(event.rule_params, context)
    except RulesInputError:
        return heads, weight, participation
    weight = "attending_weight"
    for spec in specs:
        if spec.quantity == "yes_heads":
            heads = spec.base
        elif spec.quantity == "yes_weight":
            weight = spec.base
        elif spec.quantity.startswith("attending") and spec.base.startswith("electorate"):
            participation = spec.id
    return heads, weight, participation


def _wholes(event: VotingEvent, tally: dict) -> dict[str, int]:
    participation = tally.get("participation") or {"heads": 0, "weight_fen": 0}
    options = tally.get("options") or {}
    valid = [options.get(o, {"heads": 0, "weight_fen": 0}) for o in ("yes", "no")]
    return {
        "attending_heads": participation["heads"],
        "attending_weight": participation["weight_fen"],
        "valid_heads": sum(count["heads"] for count in valid),
        "valid_weight": sum(count["weight_fen"] for count in valid),
        "electorate_heads": event.electorate_heads or 0,
        "electorate_weight": event.electorate_weight_fen or 0,
    }


def _rows(event: VotingEvent, tally: dict, decision: dict, bases: tuple[str, str]) -> list[Row]:
    wholes = _wholes(event, tally)
    heads_base, weight_base = bases

    def row(key: str, label: str, count: dict, **extra) -> Row:
        heads, weight = int(count.get("heads", 0)), int(count.get("weight_fen", 0))
        return Row(
            key=key,
            label=label,
            heads=heads,
            weight_fen=weight,
            heads_share=Share(heads, wholes[heads_base], heads_base),
            weight_share=Share(weight, wholes[weight_base], weight_base),
            **extra,
        )

    zero = {"heads": 0, "weight_fen": 0}
    if event.kind == EventKind.RESOLUTION:
        options = tally.get("options") or {}
        return [
            row(option, OPTION_LABELS[option], options.get(option, zero))
            for option in event_options(event)
        ]
    names = candidate_names(event)  # ballot order
    judged = {c["name"]: c for c in decision.get("candidates") or []}
    counts = tally.get("candidates") or {}
    rows = []
    for position, (key, name) in enumerate(names.items()):
        if key not in counts:
            continue
        verdict = judged.get(name, {})
        rows.append(
            (
                (verdict.get("rank") is None, verdict.get("rank") or 0, position),
                row(
                    key,
                    name,
                    counts[key],
                    status=verdict.get("status", ""),
                    rank=verdict.get("rank"),
                ),
            )
        )
    return [r for _, r in sorted(rows, key=lambda item: item[0])]  # ranking, then ballot order


def result_summary(event: VotingEvent, representatives: int | None = None) -> str:
    """The result in one sentence (the rules engine's; a recruitment's count of approved
    representatives)."""
    if event.kind == EventKind.RECRUITMENT:
        if representatives is None:
            representatives = event.signups.filter(status=SignUpStatus.APPROVED).count()
        return f"征集已结束，审核通过 {representatives} 名出借人代表。"
    return ((event.result or {}).get("result") or {}).get("summary", "")


def representatives(event: VotingEvent) -> list[str]:
    """A recruitment's approved lender representatives, in the order they signed up."""
    return list(
        event.signups.filter(status=SignUpStatus.APPROVED)
        .order_by("created_at")
        .values_list("name", flat=True)
    )


def result_view(event: VotingEvent) -> ResultView:
    """The result as every page, answer and document shows it (an empty tally before the
    event is counted)."""
    stored = event.result or {}
    tally = stored.get("tally") or {}
    decision = stored.get("result") or {}
    heads_base, weight_base, participation_id = _rule_bases(event)
    participation = tally.get("participation") or {"heads": 0, "weight_fen": 0}
    quorum = ""
    for criterion in decision.get("criteria") or []:
        if criterion.get("id") == participation_id:
            quorum = criterion.get("explanation", "")
    return ResultView(
        event=event,
        rule=rule_description(event),
        decision=decision,
        tally=tally,
        rows=_rows(event, tally, decision, (heads_base, weight_base)) if tally else [],
        participation_heads=Share(
            participation["heads"], event.electorate_heads or 0, "electorate_heads"
        ),
        participation_weight=Share(
            participation["weight_fen"], event.electorate_weight_fen or 0, "electorate_weight"
        ),
        heads_base=heads_base,
        weight_base=weight_base,
        quorum=quorum,
        representatives=representatives(event) if event.kind == EventKind.RECRUITMENT else [],
    )


# --- Receipts -------------------------------------------------------------------------------


class UnknownReceipt(LookupError):
    """No ballot of the event carries this receipt."""


@dataclass(frozen=True)
class ReceiptCheck:
    """A receipt looked up in the published log and proved against the published root."""

    proof: dict[str, Any]  # as winddown.verify.inclusion_proof_for_receipt answers
    verified: bool  # the proof holds, for the root and size this platform published
    superseded: bool  # a later ballot of the same lender replaced it
    choice: str
    choice_label: str
    weight_fen: int | None
    cast_at: str

    @property
    def final(self) -> bool:
        """The lender's last ballot of the event: the one counted."""
        return bool(self.proof.get("final")) and not self.superseded

    @property
    def status_label(self) -> str:
        if not self.verified:
            return "无法证明该选票记录包含在公布的 Merkle 根之下，请下载结果包自行核验"
        if self.superseded:
            return "该选票已被您之后提交的选票取代，不计入结果；请用最新选票的回执码核验"
        return "这是您的最终选票，已计入结果，且包含在公布的 Merkle 根之下"


def check_receipt(event: VotingEvent, code: str) -> ReceiptCheck:
    """`code` (normalized) of a published event, in O(log n) without reading the bundle.

    The ballot row is found by the receipt index of the Ballot table (UnknownReceipt when
    none); its log line is rebuilt from the row by the function that wrote it
    (`ballot_log.ballot_line`), so the bundle's ballots.csv holds the same line; its leaf
    index is `seq - 1`; the audit path comes from the event's tree file
    (`receipt_tree`: O(log n) reads) and `superseded_by_later` from the database (a later
    ballot of the same elector). The proof is checked against the root and size the
    platform published (not the tree file's own): a tampered tree file or ballot row gives
    `verified=False`, never a proof shown as holding. The offline check on the bundle
    (`winddown.verify.inclusion_proof_for_receipt`) gives the same answer."""
    if not event.bundle_path or event.merkle_size is None:
        raise UnknownReceipt(code)
    ballot = (
        Ballot.objects.filter(event=event, receipt=code)
        .values("seq", "voter", "receipt", "choice", "weight_fen", "cast_at", "elector_id")
        .first()
    )
    if ballot is None:
        raise UnknownReceipt(code)
    line = ballot_line(
        seq=ballot["seq"],
        voter=ballot["voter"],
        receipt=ballot["receipt"],
        choice=ballot["choice"],
        weight_fen=ballot["weight_fen"],
        cast_at=ballot["cast_at"],
    )
    leaf = leaf_hash(line.encode(), HASH_ALG)
    index = ballot["seq"] - 1
    # By the elector alone (a ballot's event is its elector's event, models.Ballot): with
    # the event in the filter SQLite walks the (event, seq) index over every later entry.
    later = Ballot.objects.filter(elector_id=ballot["elector_id"], seq__gt=ballot["seq"]).exists()
    root, size, alg, path = event.merkle_root, event.merkle_size, HASH_ALG, []
    try:
        with receipt_tree.tree_open(event) as tree:
            root, size, alg = tree.root.hex(), tree.size, tree.alg
            if 0 <= index < tree.size:
                path = tree.inclusion_proof(index)
    except (receipt_tree.ReceiptTreeRefused, TreeFileError) as exc:
        logger.error("receipt %s of event %s not proved: %s", code, event.pk, exc)
    in_tree = 0 <= index < size and verify_inclusion(
        leaf, index, size, path, bytes.fromhex(root), alg
    )
    proof = {
        "receipt": ballot["receipt"],
        "seq": ballot["seq"],
        "index": index,
        "line": line,
        "voter": ballot["voter"],
        "leaf_hash": leaf.hex(),
        "proof": [p.hex() for p in path],
        "size": size,
        "root": root,
        "hash_alg": alg,
        "verified": in_tree,
        "final": not later,
        "superseded_by_later": later,
        "duplicate": False,  # the receipt is unique per event (ballot_receipt_unique)
        "entries": size,
    }
    # Checked here against the root and size the platform published (not the tree's own).
    verified = in_tree and root == event.merkle_root and size == event.merkle_size
    return ReceiptCheck(
        proof=proof,
        verified=verified,
        superseded=later,
        choice=ballot["choice"],
        choice_label=choice_words(event, ballot["choice"]),
        weight_fen=ballot["weight_fen"],
        cast_at=iso_utc(ballot["cast_at"]),
    )
