"""Staff sign-in over the API (password + TOTP) for a token, and revoking a token. Lenders
sign in by SMS code through `identity.api.sign_in`."""

from ninja import Router

from winddown.accounts import services
from winddown.accounts.ratelimits import check_staff_login_rate
from winddown.api.auth import AUTH
from winddown.api.schemas import DetailOut, ErrorOut, StrictSchema, TokenOut, ValidationErrorOut
from winddown.audit.services import Actor, actor_from_request

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


class StaffLoginIn(StrictSchema):
    username: str
    password: str
    otp: str


@router.post(
    "/staff/token", response={200: TokenOut, **ERRORS}, summary="工作人员用密码和动态口令换取令牌"
)
def staff_token(request, payload: StaffLoginIn):
    actor = actor_from_request(request)
    check_staff_login_rate(request)  # scripts carry no device cookie
    user = services.staff_password_check(
        username=payload.username, password=payload.password, actor=actor
    )
    services.totp_verify(user=user, code=payload.otp, actor=actor)
    key, token = services.api_token_issue(
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
        services.api_token_revoke(header[7:].strip())
    return {"detail": "已注销"}
