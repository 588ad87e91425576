"""Lender identity over the API: status, real-name check, liveness, voting password."""

from django.conf import settings
from django.utils.http import url_has_allowed_host_and_scheme
from ninja import Router, Schema
from pydantic import StrictBool

from winddown.api.auth import AUTH, require_lender
from winddown.api.schemas import DetailOut, ErrorOut, StrictSchema, ValidationErrorOut
from winddown.audit.services import actor_from_request
from winddown.core.errors import DomainError
from winddown.identity import services
from winddown.identity.errors import IdentityErrorCode
from winddown.identity.models import Lender

router = Router(tags=["出借人身份"], auth=AUTH)
ERRORS = {
    400: ErrorOut,
    401: DetailOut,
    403: ErrorOut | DetailOut,  # not verified yet (a domain error) or not a lender
    409: ErrorOut,
    422: ValidationErrorOut,
    423: ErrorOut,
    429: ErrorOut,
    503: ErrorOut,
}


class MeOut(Schema):
    masked_phone: str
    real_name: str
    masked_id_number: str
    verified: bool
    next_step: str
    has_voting_password: bool
    agreement_version: str


def _me(lender: Lender) -> dict:
    return {
        "masked_phone": lender.phone.masked,
        "real_name": lender.real_name,
        "masked_id_number": lender.id_number.masked,
        "verified": lender.is_verified,
        "next_step": lender.next_step,
        "has_voting_password": lender.has_voting_password,
        "agreement_version": lender.agreement_version,
    }


class IdentityIn(StrictSchema):
    real_name: str
    id_number: str
    agreed: StrictBool


class LivenessStartIn(StrictSchema):
    return_url: str


class LivenessStartOut(Schema):
    redirect_url: str


class LivenessCompleteIn(StrictSchema):
    token: str


class PasswordSetIn(StrictSchema):
    password: str
    password_confirm: str


class PasswordChangeIn(StrictSchema):
    old_password: str
    password: str
    password_confirm: str


@router.get("", response={200: MeOut, **ERRORS}, summary="我的身份状态")
def me(request):
    return _me(require_lender(request))


@router.post("/identity", response={200: MeOut, **ERRORS}, summary="提交实名信息并同意平台服务协议")
def submit_identity(request, payload: IdentityIn):
    lender = services.identity_submit(
        lender=require_lender(request),
        real_name=payload.real_name,
        id_number_raw=payload.id_number,
        agreed=payload.agreed,
        actor=actor_from_request(request),
    )
    return _me(lender)


@router.post("/liveness/start", response={200: LivenessStartOut, **ERRORS}, summary="开始活体检测")
def liveness_start(request, payload: LivenessStartIn):
    # The provider sends the lender back here: only to our own hosts (no open redirect).
    if not url_has_allowed_host_and_scheme(
        payload.return_url, allowed_hosts=set(settings.ALLOWED_HOSTS), require_https=False
    ):
        raise DomainError(IdentityErrorCode.RETURN_URL_INVALID, field="return_url")
    url = services.liveness_start(lender=require_lender(request), return_url=payload.return_url)
    return {"redirect_url": url}


@router.post("/liveness/complete", response={200: MeOut, **ERRORS}, summary="提交活体检测结果")
def liveness_complete(request, payload: LivenessCompleteIn):
    lender = services.liveness_complete(
        lender=require_lender(request), token=payload.token, actor=actor_from_request(request)
    )
    return _me(lender)


@router.post("/voting-password", response={200: DetailOut, **ERRORS}, summary="设置投票密码")
def set_password(request, payload: PasswordSetIn):
    services.voting_password_set(
        lender=require_lender(request),
        password=payload.password,
        confirm=payload.password_confirm,
        actor=actor_from_request(request),
    )
    return {"detail": "投票密码设置成功"}


@router.put("/voting-password", response={200: DetailOut, **ERRORS}, summary="修改投票密码")
def change_password(request, payload: PasswordChangeIn):
    services.voting_password_change(
        lender=require_lender(request),
        old_password=payload.old_password,
        new_password=payload.password,
        confirm=payload.password_confirm,
        actor=actor_from_request(request),
    )
    return {"detail": "投票密码修改成功"}


@router.post(
    "/voting-password/forgot",
    response={200: MeOut, **ERRORS},
    summary="忘记密码：清空实名认证和投票密码，需重新认证",
)
def forgot_password(request):
    lender = require_lender(request)
    services.voting_password_forget(lender=lender, actor=actor_from_request(request))
    lender.refresh_from_db()
    return _me(lender)
