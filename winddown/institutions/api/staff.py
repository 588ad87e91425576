"""The register of institutions over the API."""

from datetime import datetime

from ninja import Router, Schema
from ninja.responses import Status

from winddown.accounts.roles import INSTITUTION_ADMIN_ROLES
from winddown.api.auth import AUTH, require_staff
from winddown.api.schemas import DetailOut, ErrorOut, StrictSchema, ValidationErrorOut
from winddown.audit.services import actor_from_request
from winddown.institutions import services
from winddown.institutions.models import Institution, InstitutionStatus
from winddown.institutions.selectors import access_institution_by_id, visible_institutions

router = Router(tags=["网贷机构"], auth=AUTH)


class InstitutionOut(Schema):
    id: int
    full_name: str
    short_name: str
    credit_code: str
    registered_address: str
    business_address: str
    status: InstitutionStatus
    status_label: str
    updated_at: datetime

    @staticmethod
    def resolve_status_label(obj: Institution) -> str:
        return obj.get_status_display()


class InstitutionIn(StrictSchema):
    full_name: str
    short_name: str
    credit_code: str
    registered_address: str
    business_address: str = ""
    status: InstitutionStatus = InstitutionStatus.OPERATING


class InstitutionPatch(StrictSchema):
    full_name: str | None = None
    short_name: str | None = None
    credit_code: str | None = None
    registered_address: str | None = None
    business_address: str | None = None
    status: InstitutionStatus | None = None


ERRORS = {
    400: ErrorOut,
    401: DetailOut,
    403: DetailOut,
    404: DetailOut,
    409: ErrorOut,
    422: ValidationErrorOut,
}


@router.get("", response={200: list[InstitutionOut], **ERRORS}, summary="可见的机构")
def list_institutions(request):
    return visible_institutions(require_staff(request))


@router.post("", response={201: InstitutionOut, **ERRORS}, summary="登记机构")
def create_institution(request, payload: InstitutionIn):
    require_staff(request, *INSTITUTION_ADMIN_ROLES)
    institution = services.institution_create(actor=actor_from_request(request), **payload.dict())
    return Status(201, institution)


@router.get("/{institution_id}", response={200: InstitutionOut, **ERRORS}, summary="机构详情")
def get_institution(request, institution_id: int):
    return access_institution_by_id(require_staff(request), institution_id)


@router.patch("/{institution_id}", response={200: InstitutionOut, **ERRORS}, summary="修改机构信息")
def update_institution(request, institution_id: int, payload: InstitutionPatch):
    user = require_staff(request, *INSTITUTION_ADMIN_ROLES)
    institution = access_institution_by_id(user, institution_id)
    return services.institution_update(
        actor=actor_from_request(request),
        institution=institution,
        **payload.dict(exclude_unset=True),
    )
