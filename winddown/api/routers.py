from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from winddown.core.errors import DomainError, ErrorCode
from winddown.core.middleware import API_WRITE_METHODS


class WinddownAPI(NinjaAPI):
    """The API, whose schema also documents what the platform's middleware answers before
    any operation runs: 415 for a write whose body is not JSON (or multipart)."""

    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        refused = {
            "description": "请求体不是 application/json（上传文件用 multipart/form-data）",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
        }
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                if method.upper() in API_WRITE_METHODS:
                    operation["responses"].setdefault(415, refused)
        return schema


api = WinddownAPI(
    title="网贷机构退出平台 API",
    version="1",
    description=(
        "出借人身份认证、债权确认与异议、债权登记表管理。金额字段以分为单位的整数（*_fen）"
        "和两位小数的字符串（元）同时给出。认证：`Authorization: Bearer <token>`"
        "（出借人用短信验证码换取，工作人员用密码和动态口令换取），或浏览器会话（需 CSRF）。"
    ),
    urls_namespace="api",
)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return api.create_response(request, exc.as_dict(), status=exc.http_status)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": str(exc) or "不存在"}, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(request, {"detail": "请先登录（缺少或无效的令牌）"}, status=401)


class ApiErrorCode(ErrorCode):
    INVALID_BODY = (400, "请求体无法解析，请发送 UTF-8 编码的 JSON")


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        # django-ninja's own message for a body that is not JSON: answer in our error shape.
        return domain_error(request, DomainError(ApiErrorCode.INVALID_BODY))
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    return api.create_response(
        request, {"detail": "请求格式不正确", "errors": exc.errors}, status=422
    )


def _mount() -> None:
    from winddown.accounts.api import router as accounts_router
    from winddown.cases.api import institution_router as cases_institution_router
    from winddown.cases.api import lender_router as cases_lender_router
    from winddown.cases.api import staff_router as cases_staff_router
    from winddown.claims.api import lender_router as claims_lender_router
    from winddown.claims.api import staff_router as claims_staff_router
    from winddown.identity.api import router as identity_router
    from winddown.identity.api import sign_in_router as identity_sign_in_router
    from winddown.institutions.api import router as institutions_router
    from winddown.reporting.api import public_router as reporting_public_router
    from winddown.reporting.api import staff_router as reporting_staff_router
    from winddown.voting.api import lender_router as voting_lender_router
    from winddown.voting.api import notices_router as voting_notices_router
    from winddown.voting.api import public_router as voting_public_router
    from winddown.voting.api import staff_router as voting_staff_router

    api.add_router("/auth", accounts_router)
    api.add_router("/auth", identity_sign_in_router)
    api.add_router("/me", identity_router)
    api.add_router("/me/claims", claims_lender_router)
    api.add_router("/institutions", institutions_router)
    api.add_router("/", claims_staff_router)
    api.add_router("/events", voting_lender_router)
    api.add_router("/notices", voting_notices_router)
    api.add_router("/results", voting_public_router)
    api.add_router("/staff", voting_staff_router)
    api.add_router("/", reporting_staff_router)
    api.add_router("/disclosure", reporting_public_router)
    api.add_router("/me/reports", cases_lender_router)
    api.add_router("/cases/reported", cases_institution_router)
    api.add_router("/cases", cases_staff_router)


_mount()
