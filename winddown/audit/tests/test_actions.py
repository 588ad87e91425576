"""Audit actions belong to their apps and are registered at start-up; the log refuses an
action nobody registered, and a value can belong to one app only."""

import pytest
from django.db import models

from winddown.audit.actions import action_label, register_actions, registered_actions
from winddown.audit.models import AuditEntry
from winddown.audit.services import Actor, record
from winddown.claims.audit_actions import ClaimsAction
from winddown.voting.audit_actions import VotingAction

SYSTEM = Actor.system("tests")


def test_every_app_registers_its_actions_with_chinese_labels():
    known = registered_actions()
    for enum in (ClaimsAction, VotingAction):
        for member in enum:
            assert known[member.value] == member.label
    assert action_label("event.opened") == "投票开始（冻结表决权名单）"


def test_a_stored_action_no_app_knows_any_more_reads_as_its_value():
    assert action_label("retired.action") == "retired.action"


@pytest.mark.django_db
def test_the_log_refuses_an_action_nobody_registered():
    class Unregistered(models.TextChoices):
        MADE_UP = "made.up", "随便写的"

    with pytest.raises(ValueError, match="not registered"):
        record(actor=SYSTEM, action=Unregistered.MADE_UP)
    assert not AuditEntry.objects.filter(action="made.up").exists()


def test_two_apps_cannot_claim_the_same_action_value():
    class Clash(models.TextChoices):
        OPENED = "event.opened", "另一个应用的同名操作"

    with pytest.raises(ValueError, match="already registered by VotingAction"):
        register_actions(Clash)
    assert registered_actions()["event.opened"] == "投票开始（冻结表决权名单）"


def test_registering_an_app_twice_changes_nothing():
    before = registered_actions()
    register_actions(VotingAction)
    assert registered_actions() == before
