"""Lenders sign in over the API with an SMS code and get a token (mounted under /api/auth
with the staff sign-in of `accounts.api`)."""

from ninja import Router, Schema

from winddown.accounts import services as account_services
from winddown.api.schemas import ErrorOut, StrictSchema, TokenOut, ValidationErrorOut
from winddown.audit.services import Actor, actor_from_request
from winddown.identity import services
from winddown.identity.ratelimits import check_login_rate, check_sms_rate

router = Router(tags=["登录"])
ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
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


@router.post("/lender/sms-code", response={200: SmsCodeOut, **ERRORS}, summary="发送登录验证码")
def lender_sms_code(request, payload: SmsCodeIn):
    check_sms_rate(request)
    return services.login_code_send(phone_raw=payload.phone, actor=actor_from_request(request))


@router.post("/lender/token", response={200: TokenOut, **ERRORS}, summary="出借人用验证码换取令牌")
def lender_token(request, payload: LenderLoginIn):
    check_login_rate(request)
    user = services.lender_login(
        phone_raw=payload.phone, code_raw=payload.code, actor=actor_from_request(request)
    )
    key, token = account_services.api_token_issue(
        user=user, actor=Actor(user.pk, user.audit_label, actor_from_request(request).source_ip)
    )
    return {"token": key, "expires_at": token.expires_at, "role": user.role}
