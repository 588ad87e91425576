"""Voting events (manual 2.1–2.3): recruitment of lender representatives, elections of the
supervisory committee, resolutions on the exit plan; their frozen electorate, the ballot
log, sign-ups and in-app notices."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from winddown.claims.models import RegisterVersion
from winddown.identity.models import Lender
from winddown.institutions.models import Institution
from winddown.pii import purposes
from winddown.pii.fields import EncryptedField, EncryptedFile, PublicFile, StoredFile
from winddown.pii.masking import mask_id_number, mask_phone


class EventKind(models.TextChoices):
    RECRUITMENT = "recruitment", "征集出借人代表"
    ELECTION = "election", "选举"
    RESOLUTION = "resolution", "决议"


class EventStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "已退回"
    SCHEDULED = "scheduled", "已批准，待开始"
    OPEN = "open", "进行中"
    CLOSED = "closed", "已截止"
    COUNTED = "counted", "已计票"
    PUBLISHED = "published", "已公布"
    CANCELLED = "cancelled", "已取消"


EDITABLE_STATUSES = (EventStatus.DRAFT, EventStatus.RETURNED)
LENDER_VISIBLE = (  # from approval on, lenders see an event (cancelled: if it was approved)
    EventStatus.SCHEDULED,
    EventStatus.OPEN,
    EventStatus.CLOSED,
    EventStatus.COUNTED,
    EventStatus.PUBLISHED,
    EventStatus.CANCELLED,
)


class VotingEvent(models.Model):
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField("类型", max_length=16, choices=EventKind.choices)
    title = models.CharField("标题", max_length=200)
    content = models.TextField("活动内容")
    rule_id = models.CharField("计票规则", max_length=64, blank=True)
    rule_params = models.JSONField(default=dict, blank=True)
    allow_abstain = models.BooleanField("允许弃权", default=False)  # the manual: 同意 / 不同意
    seats = models.PositiveIntegerField("应选人数", null=True, blank=True)
    max_choices = models.PositiveIntegerField("每人最多票数", null=True, blank=True)
    opens_at = models.DateTimeField("开始时间")
    closes_at = models.DateTimeField("截止时间")
    status = models.CharField(max_length=16, choices=EventStatus.choices, default=EventStatus.DRAFT)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True)
    review_comment = models.TextField(blank=True)
    # Lenders see an event from its approval on, also when it is cancelled afterwards; a draft
    # cancelled before approval stays the institution's own.
    approved_at = models.DateTimeField(null=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True)
    cancel_reason = models.TextField(blank=True)

    # Frozen when the event opens (the record date): who may vote and with what weight.
    record_version = models.ForeignKey(
        RegisterVersion, null=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(null=True)
    electorate_heads = models.PositiveIntegerField(null=True)
    electorate_weight_fen = models.BigIntegerField(null=True)
    # Secret per event: voters appear in the published log under HMAC pseudonyms.
    voter_key = models.CharField(max_length=64)

    closed_at = models.DateTimeField(null=True)
    counted_at = models.DateTimeField(null=True)
    result = models.JSONField(null=True)  # tally + the rules engine's decision
    merkle_size = models.BigIntegerField(null=True)
    merkle_root = models.CharField(max_length=64, blank=True)
    bundle_path = models.CharField(max_length=500, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True)

    bundle = PublicFile(column="bundle_path")

    class Meta:
        ordering = ["-opens_at"]
        indexes = [
            models.Index(fields=["status", "opens_at"]),
            models.Index(fields=["status", "closes_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.institution} · {self.title}"

    @classmethod
    def lock(cls, pk: int) -> "VotingEvent":
        """The event, its row locked until the transaction ends. FOR NO KEY UPDATE: rows that
        refer to the event (ballots, sign-ups, readings) can still be inserted meanwhile, so
        a ballot holding the log head never waits for a transition that waits for it."""
        return cls.objects.select_for_update(no_key=True).get(pk=pk)

    @property
    def is_ballot_event(self) -> bool:
        return self.kind in (EventKind.ELECTION, EventKind.RESOLUTION)


class Candidate(models.Model):
    event = models.ForeignKey(VotingEvent, on_delete=models.CASCADE, related_name="candidates")
    key = models.CharField(max_length=8)  # "c1", "c2" ... : what ballots and the bundle name
    name = models.CharField("姓名", max_length=50)
    description = models.TextField("介绍", blank=True)
    order = models.PositiveIntegerField(default=0)
    signup = models.ForeignKey(
        "SignUp", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "key"], name="candidate_key_unique")
        ]

    def __str__(self) -> str:
        return self.name


class EventAttachment(models.Model):
    """A document lenders must open before voting (手册：点击阅读附件后方可投票)."""

    event = models.ForeignKey(VotingEvent, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    path = models.CharField(max_length=500)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # A PDF's pages as images (private paths, in order; see attachment_pages) and how many
    # pages the PDF has: phones show images in the page, not PDFs.
    page_images = models.JSONField(default=list, blank=True)
    page_count = models.PositiveIntegerField(default=0)
    # A Word document's content as sanitized HTML (a private path; see core.word_documents):
    # it reflows on a phone, where a .docx cannot be opened inside the page.
    html_path = models.CharField(max_length=500, blank=True, default="")

    original = PublicFile(column="path")
    pages = PublicFile(column="page_images", many=True)
    html = PublicFile(column="html_path")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"

    @property
    def is_word(self) -> bool:
        return bool(self.html_path)

    @property
    def stored_paths(self) -> list[str]:
        """Every private file of the attachment: the original and what was made from it."""
        return [self.path, *self.page_images, *([self.html_path] if self.html_path else [])]

    @property
    def pages_not_shown(self) -> int:
        return max(self.page_count - len(self.page_images), 0)


class AttachmentOpen(models.Model):
    attachment = models.ForeignKey(EventAttachment, on_delete=models.CASCADE, related_name="opens")
    lender = models.ForeignKey(Lender, on_delete=models.CASCADE, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attachment", "lender"], name="attachment_open_once")
        ]

    def __str__(self) -> str:
        return f"{self.lender} 阅读 {self.attachment}"


class Elector(models.Model):
    """One member of the frozen electorate: a lender identity (blind index) and weight."""

    # No single-column index: both unique constraints lead with the event.
    event = models.ForeignKey(
        VotingEvent, on_delete=models.CASCADE, related_name="electors", db_index=False
    )
    id_index = models.CharField(max_length=32)
    weight_fen = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "id_index"], name="elector_unique"),
            # The key a ballot refers to (see Ballot.event).
            models.UniqueConstraint(fields=["event", "id"], name="elector_of_event"),
        ]

    def __str__(self) -> str:
        return f"elector {self.pk} of {self.event_id}"


class BallotLog(models.Model):
    """Head of an event's ballot log: the last sequence number and the Merkle frontier
    (roots of the perfect subtrees, RFC 6962), so the running root costs O(log n)."""

    event = models.OneToOneField(VotingEvent, on_delete=models.CASCADE, related_name="log")
    size = models.BigIntegerField(default=0)
    frontier = models.JSONField(default=list)  # hex digests, largest subtree first
    root = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"log of {self.event_id}: {self.size}"


class Ballot(models.Model):
    """An entry of the ballot log. Changing a ballot appends a new entry; the lender's latest
    entry (`is_current`) is the one that counts."""

    # No single-column indexes for these two: the composite indexes below lead with them, and
    # every index is written again for each ballot and each change.
    # No foreign key from a ballot to its event's row either: checking it share-locks that
    # row, the same row for every ballot of the event, which under thousands of concurrent
    # ballots was the hot path's largest avoidable cost. Instead the ballot refers to the
    # pair (event, elector) of its elector's row (migration 0007: a foreign key on
    # PostgreSQL, triggers on SQLite, which a rebuild of this table by a later migration
    # must create again), so a ballot's event is also its elector's event.
    event = models.ForeignKey(
        VotingEvent,
        on_delete=models.CASCADE,
        related_name="ballots",
        db_index=False,
        db_constraint=False,
    )
    elector = models.ForeignKey(
        Elector, on_delete=models.CASCADE, related_name="ballots", db_index=False
    )
    seq = models.BigIntegerField()
    voter = models.CharField(max_length=32)  # pseudonym in the published log
    receipt = models.CharField(max_length=16)
    choice = models.CharField(max_length=200)  # "yes" / "no" / "abstain" or "c1+c3"
    weight_fen = models.BigIntegerField()
    cast_at = models.DateTimeField()
    leaf_hash = models.CharField(max_length=64)
    is_current = models.BooleanField(default=True)
    idempotency_key = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "seq"], name="ballot_seq_unique"),
            models.UniqueConstraint(fields=["event", "receipt"], name="ballot_receipt_unique"),
            # Never two current ballots for one lender.
            models.UniqueConstraint(
                fields=["elector"], condition=Q(is_current=True), name="one_current_ballot"
            ),
        ]
        indexes = [
            models.Index(fields=["event", "is_current", "choice"]),
            models.Index(fields=["elector", "idempotency_key"]),
        ]

    def __str__(self) -> str:
        return f"ballot #{self.seq} of {self.event_id}"


class SignUpStatus(models.TextChoices):
    ACTIVE = "active", "已报名"
    WITHDRAWN = "withdrawn", "已撤回"
    APPROVED = "approved", "审核通过"
    REJECTED = "rejected", "未通过"


class SignUp(models.Model):
    """A lender's application to become a lender representative (manual 2.1 报名出借人代表)."""

    event = models.ForeignKey(VotingEvent, on_delete=models.CASCADE, related_name="signups")
    lender = models.ForeignKey(Lender, on_delete=models.CASCADE, related_name="signups")
    name = models.CharField("姓名", max_length=50)
    id_number_enc = models.TextField()
    phone_enc = models.TextField()
    introduction = models.TextField("介绍", max_length=2000)
    photo_path = models.CharField(max_length=500)
    photo_type = models.CharField(max_length=100)
    resume_path = models.CharField(max_length=500)
    resume_name = models.CharField(max_length=255)
    resume_type = models.CharField(max_length=100)
    status = models.CharField(max_length=16, choices=SignUpStatus.choices, default="active")
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True)
    review_reason = models.TextField(blank=True)

    # Copies of the lender's verified identity as signed up, kept encrypted like the lender's.
    id_number = EncryptedField(
        purpose=purposes.ID_NUMBER, column="id_number_enc", mask=mask_id_number
    )
    phone = EncryptedField(purpose=purposes.PHONE, column="phone_enc", mask=mask_phone)
    photo = EncryptedFile(purpose=purposes.ATTACHMENT_FILE, column="photo_path", folder="signups")
    resume = EncryptedFile(purpose=purposes.ATTACHMENT_FILE, column="resume_path", folder="signups")

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "lender"],
                condition=~Q(status="withdrawn"),
                name="one_live_signup",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} 报名 {self.event}"

    def stored_file(self, which: str) -> tuple[StoredFile, str, str]:
        """(the encrypted file, content type, file name) of the photo or the résumé."""
        if which == "photo":
            return self.photo, self.photo_type, f"photo-{self.pk}"
        return self.resume, self.resume_type, self.resume_name


class Notice(models.Model):
    """An in-app message to a lender (the SMS carries the same news)."""

    lender = models.ForeignKey(Lender, on_delete=models.CASCADE, related_name="notices")
    event = models.ForeignKey(VotingEvent, null=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32)
    title = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # Each notice of an event goes out once per lender, however often a task re-runs.
            models.UniqueConstraint(fields=["lender", "event", "kind"], name="notice_once")
        ]

    def __str__(self) -> str:
        return self.title
