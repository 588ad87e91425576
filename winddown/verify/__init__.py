"""Result bundles of lender votes and their independent verifier (pure Python, no Django).

A bundle is one ZIP with ``manifest.json`` and ``ballots.csv`` (the whole ballot
log, changes included). Anyone can check it, trusting nothing but the bundle::

    python -m winddown.verify BUNDLE.zip
    python -m winddown.verify BUNDLE.zip --receipt ABCDEFGHJKLMNPQR

>>> from winddown.verify import verify_bundle
>>> report = verify_bundle("bundle.zip")            # doctest: +SKIP
>>> report.ok, report.problem                       # doctest: +SKIP

See README.md in this directory for the format and every check.
"""

from .bundle import BallotLine, read_manifest, write_bundle
from .check import Problem, Report, project_result, verify_bundle
from .receipt import ReceiptNotFound, inclusion_proof_for_receipt, normalize_receipt
from .spec import (
    FORMAT,
    BundleError,
    EventSpec,
    ManifestError,
    UnreadableBundle,
    iso_utc,
    parse_manifest,
)
from .tally import TallyError, aggregate, declare, evaluate_tally, sum_by_choice, tally_ballots

__all__ = [
    "FORMAT",
    "BallotLine",
    "BundleError",
    "EventSpec",
    "ManifestError",
    "Problem",
    "ReceiptNotFound",
    "Report",
    "TallyError",
    "UnreadableBundle",
    "aggregate",
    "declare",
    "evaluate_tally",
    "inclusion_proof_for_receipt",
    "iso_utc",
    "normalize_receipt",
    "parse_manifest",
    "project_result",
    "read_manifest",
    "sum_by_choice",
    "tally_ballots",
    "verify_bundle",
    "write_bundle",
]
