import hashlib
import secrets

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac

from winddown.accounts.roles import STAFF_ROLES, Role


class UserManager(BaseUserManager):
    def create_user(self, username: str, password: str | None = None, **fields):
        user = self.model(username=username, **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, username: str, password: str | None = None, **fields):
        fields.setdefault("role", Role.SYSADMIN)
        return self.create_user(username, password, **fields)


class User(AbstractBaseUser):
    """Every account. Staff sign in with username, password and TOTP; lenders by SMS code
    (their mobile number lives encrypted in `identity.Lender`, the username is opaque)."""

    username = models.CharField("用户名", max_length=150, unique=True)
    role = models.CharField("角色", max_length=32, choices=Role.choices)
    display_name = models.CharField("姓名", max_length=100, blank=True)
    is_active = models.BooleanField("启用", default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # Bumped to end every open session of the user (deactivation, password or
    # authenticator reset): Django checks a session's hash on each request.
    session_version = models.PositiveIntegerField(default=0)

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = ["role"]

    class Meta:
        verbose_name = "账户"
        verbose_name_plural = "账户"

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_lender(self) -> bool:
        return self.role == Role.LENDER

    @property
    def is_staff_member(self) -> bool:
        return self.role in STAFF_ROLES

    # Django admin is for system administrators only (and still behind TOTP, see web.admin).
    @property
    def is_staff(self) -> bool:
        return self.is_active and self.role == Role.SYSADMIN

    @property
    def is_superuser(self) -> bool:
        return self.is_staff

    def has_perm(self, perm, obj=None) -> bool:
        return self.is_staff

    def has_perms(self, perm_list, obj=None) -> bool:
        return self.is_staff

    def has_module_perms(self, app_label) -> bool:
        return self.is_staff

    def _get_session_auth_hash(self, secret=None):
        """Django's HMAC of the password hash, with the session version mixed in once it
        has been bumped (version 0 keeps the hash sessions signed in before it existed)."""
        if not self.session_version:
            return super()._get_session_auth_hash(secret=secret)
        key_salt = "winddown.accounts.User.get_session_auth_hash"
        value = f"{self.password}:{self.session_version}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    @property
    def audit_label(self) -> str:
        if self.is_lender:
            return f"lender#{self.pk}"
        return f"{self.role}:{self.username}"


class ApiToken(models.Model):
    """Bearer token for API clients (mini-program, scripts). Only a SHA-256 of it is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True)
    revoked_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"API token of {self.user}"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return "wd_" + secrets.token_urlsafe(32)


class EnrolmentPurpose(models.TextChoices):
    CREATED = "created", "新建账户"
    PASSWORD_RESET = "password_reset", "重置密码"
    TOTP_RESET = "totp_reset", "重置动态口令"


class EnrolmentLink(models.Model):
    """A one-time link on which a staff member sets their own password and binds (or, after
    a password reset, proves) their authenticator. Only a SHA-256 of the token is stored;
    the administrator sees the link once. A newer link voids the older ones."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="enrolment_links")
    token_hash = models.CharField(max_length=64, unique=True)
    purpose = models.CharField(max_length=32, choices=EnrolmentPurpose.choices)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "绑定链接"
        verbose_name_plural = "绑定链接"

    def __str__(self) -> str:
        return f"enrolment link of {self.user}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    def usable_at(self, now) -> bool:
        return self.used_at is None and self.voided_at is None and self.expires_at > now
