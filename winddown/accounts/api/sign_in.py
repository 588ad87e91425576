"""Sign-in over the API: lenders by SMS code, staff by password + TOTP; both get a token."""

from datetime import datetime

from ninja import Router, Schema

from winddown.accounts import services
from winddown.api.auth import AUTH
from winddown.api.schemas import DetailOut, ErrorOut, StrictSchema, ValidationErrorOut
from winddown.audit.services import Actor, actor_from_request
from winddown.identity import services as identity_services
from winddown.web.ratelimits import check_login_rate, check_sms_rate

router = Router(tags=["登录"])
ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    409: ErrorOut,
    422: ValidationErrorOut,
    429: ErrorOut,
    502: ErrorOut,
}


class SmsCodeIn(StrictSchema):
    phone: str


class SmsCodeOut(Schema):
    masked_phone: str
    expires_in_seconds: int
    resend_after_seconds: int


class LenderLoginIn(StrictSchema):
    phone: str
    code: str


class StaffLoginIn(StrictSchema):
    username: str
    password: str
    otp: str


class TokenOut(Schema):
    token: str
    expires_at: datetime
    role: str


@router.post("/lender/sms-code", response={200: SmsCodeOut, **ERRORS}, summary="发送登录验证码")
def lender_sms_code(request, payload: SmsCodeIn):
    check_sms_rate(request)
    return identity_services.request_login_code(
        phone_raw=payload.phone, actor=actor_from_request(request)
    )


@router.post("/lender/token", response={200: TokenOut, **ERRORS}, summary="出借人用验证码换取令牌")
def lender_token(request, payload: LenderLoginIn):
    check_login_rate(request)
    user = identity_services.login_with_code(
        phone_raw=payload.phone, code_raw=payload.code, actor=actor_from_request(request)
    )
    key, token = services.issue_api_token(
        user=user, actor=Actor(user.pk, user.audit_label, actor_from_request(request).source_ip)
    )
    return {"token": key, "expires_at": token.expires_at, "role": user.role}


@router.post(
    "/staff/token", response={200: TokenOut, **ERRORS}, summary="工作人员用密码和动态口令换取令牌"
)
def staff_token(request, payload: StaffLoginIn):
    actor = actor_from_request(request)
    user = services.check_staff_password(
        username=payload.username, password=payload.password, actor=actor
    )
    services.verify_totp(user=user, code=payload.otp, actor=actor)
    key, token = services.issue_api_token(
        user=user, actor=Actor(user.pk, user.audit_label, actor.source_ip)
    )
    return {"token": key, "expires_at": token.expires_at, "role": user.role}


@router.delete(
    "/token",
    auth=AUTH,
    response={200: DetailOut, 401: DetailOut, 403: DetailOut},
    summary="注销当前令牌",
)
def revoke_token(request):
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        services.revoke_api_token(header[7:].strip())
    return {"detail": "已注销"}
