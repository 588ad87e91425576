import hashlib
import secrets

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone

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
