import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from winddown.core.errors import DomainError
from winddown.voting.errors import VotingErrorCode as E
from winddown.voting.models import EventStatus, SignUpStatus
from winddown.voting.services import authoring, casting, lifecycle, signups
from winddown.voting.tests.conftest import (
    ME,
    PASSWORD,
    close_now,
    make_event,
    open_now,
    sign_up,
)

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = b"%PDF-1.4\n%resume\n"


def test_recruitment_to_election(institution_a, operator_a, wg_officer, lenders):
    recruitment = open_now(
        make_event(institution_a, operator_a, kind="recruitment", title="征集出借人代表"),
        wg_officer,
    )
    with pytest.raises(DomainError) as info:
        sign_up(recruitment, lenders[0], id_number="110101198001010053")
    assert info.value.error_code is E.SIGNUP_IDENTITY_MISMATCH
    with pytest.raises(DomainError):
        sign_up(recruitment, lenders[0], photo=SimpleUploadedFile("x.pdf", PDF))
    first = sign_up(recruitment, lenders[0])
    with pytest.raises(DomainError) as info:
        sign_up(recruitment, lenders[0])
    assert info.value.error_code is E.SIGNUP_EXISTS
    signups.signup_withdraw(signup=first, actor=ME)
    again = sign_up(recruitment, lenders[0])
    other = sign_up(recruitment, lenders[1])
    third = sign_up(recruitment, lenders[2])
    with pytest.raises(DomainError):  # review only after closing
        signups.signup_review(signup=again, approve=True, reason="", user=wg_officer, actor=ME)
    recruitment = close_now(recruitment)
    assert recruitment.status == EventStatus.CLOSED  # recruitments are not counted
    with pytest.raises(DomainError) as info:
        signups.signup_review(signup=third, approve=False, reason="", user=wg_officer, actor=ME)
    assert info.value.error_code is E.REVIEW_REASON_REQUIRED
    signups.signup_review(signup=again, approve=True, reason="", user=wg_officer, actor=ME)
    signups.signup_review(signup=other, approve=True, reason="", user=wg_officer, actor=ME)
    signups.signup_review(signup=third, approve=False, reason="材料不全", user=wg_officer, actor=ME)
    assert third.__class__.objects.get(pk=third.pk).status == SignUpStatus.REJECTED

    election = make_event(institution_a, operator_a, kind="election", seats=1, max_choices=1)
    assert (
        signups.candidates_from_signups(
            election=election, user=election.created_by, recruitment=recruitment, actor=ME
        )
        == 2
    )
    assert (
        signups.candidates_from_signups(
            election=election, user=election.created_by, recruitment=recruitment, actor=ME
        )
        == 0
    )
    names = list(election.candidates.values_list("name", flat=True))
    assert names == [lenders[0].real_name, lenders[1].real_name]

    election = open_now(election, wg_officer)
    c1, c2 = election.candidates.values_list("key", flat=True)
    for lender, pick in zip(lenders, [c1, c1, c1, c1, c2], strict=True):
        casting.ballot_cast(
            event=election, lender=lender, choice=[pick], password=PASSWORD, actor=ME
        )
    election = close_now(election)
    decision = election.result["result"]
    # 5 of 11 lenders (500 of 1100 yuan) took part: below 2/3, nobody is elected.
    assert decision["elected"] == []
    assert election.result["tally"]["candidates"] == {
        c1: {"heads": 4, "weight_fen": 40000},
        c2: {"heads": 1, "weight_fen": 10000},
    }


def test_election_elects_when_quorum_met(
    institution_a, operator_a, wg_officer, lenders, register_rows_a
):
    from winddown.conftest import make_lender

    more = [
        make_lender(r[3], name=r[0], id_number=r[2], password=PASSWORD)
        for r in register_rows_a[5:8]
    ]
    election = make_event(institution_a, operator_a, kind="election", seats=1, max_choices=1)
    c1 = authoring.candidate_add(event=election, user=election.created_by, name="王小进").key
    c2 = authoring.candidate_add(event=election, user=election.created_by, name="张小英").key
    election = open_now(election, wg_officer)
    voters = lenders + more  # 8 of 11 lenders, 800 of 1100 yuan >= 2/3
    for lender, pick in zip(voters, [c1] * 6 + [c2] * 2, strict=True):
        casting.ballot_cast(
            event=election, lender=lender, choice=[pick], password=PASSWORD, actor=ME
        )
    election = close_now(election)
    assert election.result["result"]["elected"] == ["王小进"]
    published = lifecycle.event_publish(event=election, user=wg_officer, actor=ME)
    assert published.status == EventStatus.PUBLISHED and published.bundle_path
