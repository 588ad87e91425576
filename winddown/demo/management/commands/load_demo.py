"""Demo data: 网贷机构A with about 1,000 lenders and a loan ledger of 300 loans (funded by
those lenders), 网贷机构B, one account per role, two demo
lenders (one ready to use, one to walk through identity verification) and voting events in
every stage that matters (winddown/demo/events.py)."""

import base64
import random
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from winddown.accounts import services as account_services
from winddown.accounts.models import User
from winddown.accounts.roles import Role
from winddown.audit.services import Actor
from winddown.claims.services import register_import, version_activate
from winddown.demo.cases import load_demo_cases
from winddown.demo.events import DEMO_VOTING_PASSWORD as VOTING_PASSWORD
from winddown.demo.events import load_demo_events
from winddown.demo.generators import register_rows, write_register_csv
from winddown.demo.lenders import verified_lender
from winddown.demo.reporting import load_demo_reporting
from winddown.identity import services as identity_services
from winddown.identity.models import Lender
from winddown.institutions.models import Institution, InstitutionStatus
from winddown.institutions.services import institution_create, membership_set
from winddown.ledger.samples import write_ledger
from winddown.ledger.services import ledger_import

DEMO_PASSWORD = "Winddown-demo-2026"
# Fixed demo TOTP secret (base32) so the README can tell people how to sign in.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
STAFF = [
    ("operator_a", Role.OPERATOR, "网贷机构A 经办人", "网贷机构A"),
    ("operator_b", Role.OPERATOR, "网贷机构B 经办人", "网贷机构B"),
    ("wg_officer", Role.WG_OFFICER, "专项工作组 李工", None),
    ("association", Role.ASSOCIATION_OFFICER, "互联网金融协会 周工", None),
    ("admin", Role.SYSADMIN, "系统管理员", None),
]
# Demo lenders: (phone, name, ID number, principal at A in yuan, ready to vote?)
READY_LENDER = ("13800138000", "王小金", "110101198001010053", "125000.00", True)
NEW_LENDER = ("13900139000", "张小英", "440305199203150027", "8800.50", False)


class Command(BaseCommand):
    help = "Load the demo institutions, staff accounts and lenders (does nothing if present)."

    def handle(self, *args, **options):
        if Institution.objects.filter(short_name="网贷机构A").exists():
            self.stdout.write("Demo data already loaded.")
            return
        actor = Actor.system("load_demo")
        with transaction.atomic():
            a = institution_create(
                actor=actor,
                full_name="深圳市网贷机构A信息咨询有限公司",
                short_name="网贷机构A",
                credit_code="91440300MA5DC6QX0G",
                registered_address="深圳市南山区科技园科苑路 15 号",
                business_address="深圳市福田区深南大道 6008 号",
                status=InstitutionStatus.WINDING_DOWN,
            )
            b = institution_create(
                actor=actor,
                full_name="广州网贷机构B金融信息服务有限公司",
                short_name="网贷机构B",
                credit_code="91440101MA59Q1WXXK",
                registered_address="广州市天河区珠江新城华夏路 8 号",
                status=InstitutionStatus.SUSPENDED,
            )
            institutions = {"网贷机构A": a, "网贷机构B": b}
            users = {}
            for username, role, name, institution in STAFF:
                user = User.objects.create_user(
                    username, DEMO_PASSWORD, role=role, display_name=name
                )
                TOTPDevice.objects.create(
                    user=user,
                    name="演示验证器",
                    key=base64.b32decode(DEMO_TOTP_SECRET).hex(),
                    confirmed=True,
                )
                if institution:
                    membership_set(actor=actor, user=user, institution=institutions[institution])
                users[username] = user
            enrolment = self._staff_administration(users["admin"])
            rows_a = self._register(
                a, users["operator_a"], 1000, seed=7, extra=[READY_LENDER, NEW_LENDER]
            )
            self._ledger(a, users["operator_a"], rows_a)
            rows_b = self._register(b, users["operator_b"], 60, seed=8, extra=[READY_LENDER])
            ready = self._ready_lender()
            load_demo_events(users=users, lenders_b=rows_b, ready_lender=ready)
            load_demo_reporting(users=users, institutions=institutions)
            load_demo_cases(users=users, institutions=institutions, ready_lender=ready)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(
            f"One-time enrolment link of new_officer (shown once, valid until "
            f"{enrolment.expires_at:%Y-%m-%d %H:%M} UTC): "
            f"http://127.0.0.1:8000/staff/enrol/{enrolment.token}/"
        )

    def _staff_administration(self, admin):
        """A staff member not yet enrolled (their one-time link is printed) and a former
        operator whose account is deactivated, as the administrator's page shows them."""
        admin_actor = Actor(admin.pk, admin.audit_label, "")
        former = User.objects.create_user(
            "former_operator", DEMO_PASSWORD, role=Role.OPERATOR, display_name="离职经办人"
        )
        account_services.staff_deactivate(account=former, user=admin, actor=admin_actor)
        return account_services.staff_create(
            user=admin,
            actor=admin_actor,
            username="new_officer",
            role=Role.WG_OFFICER,
            display_name="专项工作组 新同事",
        )

    def _register(self, institution, operator, count, *, seed, extra):
        rows = list(register_rows(count - len(extra), seed=seed))
        rng = random.Random(seed)
        for phone, name, number, principal, _ in extra:
            rows.insert(
                rng.randrange(len(rows)), [name, "身份证", number, phone, principal, "0.00", "3"]
            )
        with tempfile.TemporaryDirectory() as folder:
            path = write_register_csv(Path(folder) / "register.csv", rows)
            result = register_import(
                institution=institution,
                open_source=lambda: open(path, "rb"),  # noqa: SIM115 - the importer closes it
                source_name=f"{institution.short_name}债权登记表.csv",
                user=operator,
                actor=Actor(operator.pk, operator.audit_label),
            )
        if not result.ok:
            raise RuntimeError(f"demo register rejected: {[str(e) for e in result.errors[:5]]}")
        version_activate(
            version=result.version, user=operator, actor=Actor(operator.pk, operator.audit_label)
        )
        return rows

    def _ledger(self, institution, operator, register_rows):
        """A loan ledger of 300 loans funded by lenders of the demo register (issue 17)."""
        pool = [(row[0], row[2]) for row in register_rows[:400]]
        with tempfile.TemporaryDirectory() as folder:
            files = write_ledger(Path(folder), 300, seed=17, lender_pool=pool)
            result = ledger_import(
                institution=institution,
                sources=[(p.name, lambda p=p: open(p, "rb")) for p in files.all],  # noqa: SIM115
                user=operator,
                actor=Actor(operator.pk, operator.audit_label),
            )
        if not result.ok:
            raise RuntimeError(f"demo ledger rejected: {[str(e) for e in result.errors[:5]]}")

    def _ready_lender(self) -> Lender:
        phone, name, number, _, _ = READY_LENDER
        lender = verified_lender(
            username="lender-demo-ready", name=name, id_number=number, phone=phone
        )
        user = lender.user
        identity_services.voting_password_set(
            lender=lender,
            password=VOTING_PASSWORD,
            confirm=VOTING_PASSWORD,
            actor=Actor(user.pk, user.audit_label),
        )
        return lender
