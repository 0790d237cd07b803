"""API for technology managers' training records and certificates, and the yearly training figures.

A manager's records are read by whoever may see their page (`profile_get`); training is recorded by the
manager themself or the bureau, certificates by the bureau (`training_add`, `certificate_add`).
"""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from fanxing.accounts import permissions
from fanxing.core.schemas import InputSchema
from fanxing.managers.models import Certificate, ManagerProfile, TrainingRecord
from fanxing.managers.selectors import profile_get, training_by_year
from fanxing.managers.services import certificate_add, training_add

router = Router(tags=["技术经理人"])


class TrainingIn(InputSchema):
    course: str = Field(description="课程")
    hours: Decimal = Field(description="学时，0.5–500")
    date: datetime.date = Field(description="培训日期")
    provider: str = Field(description="培训机构")


class TrainingOut(Schema):
    id: int
    course: str
    hours: float
    date: datetime.date
    provider: str


class CertificateIn(InputSchema):
    name: str = Field(description="证书名称")
    number: str = Field(description="证书编号，全平台唯一")
    level: str = Field("", description="等级：junior, intermediate, senior；可不填")
    issuer: str = Field(description="发证机构")
    issued_on: datetime.date = Field(description="发证日期")
    expires_on: datetime.date | None = Field(None, description="有效期至；不填为长期")


class CertificateOut(Schema):
    id: int
    name: str
    number: str
    level: str
    level_label: str
    issuer: str
    issued_on: datetime.date
    expires_on: datetime.date | None


class TrainingYearOut(Schema):
    year: int
    trained: int = Field(description="参加培训的人数")
    hours: float = Field(description="培训学时合计")
    certified: int = Field(description="当年取得证书的人数")


def training_out(t: TrainingRecord) -> dict[str, Any]:
    return {"id": t.pk, "course": t.course, "hours": t.hours, "date": t.date, "provider": t.provider}


def certificate_out(c: Certificate) -> dict[str, Any]:
    return {
        "id": c.pk,
        "name": c.name,
        "number": c.number,
        "level": c.level,
        "level_label": c.get_level_display(),
        "issuer": c.issuer,
        "issued_on": c.issued_on,
        "expires_on": c.expires_on,
    }


def manager(request: HttpRequest, profile_id: int) -> ManagerProfile:
    return profile_get(request.auth, "managers", profile_id)  # type: ignore[attr-defined]


@router.get("/training-stats", response=list[TrainingYearOut], summary="技术经理人培训统计（科技局管理员）")
def training_stats(request: HttpRequest) -> list[dict[str, Any]]:
    """Per year: managers who attended training, their hours, managers certified that year."""
    if not permissions.is_admin(request.auth):  # type: ignore[attr-defined]
        raise PermissionDenied("只有科技局管理员可以查看技术经理人培训统计")
    return [vars(y) for y in training_by_year()]


@router.get("/{int:profile_id}/training", response=list[TrainingOut], summary="培训记录")
def list_training(request: HttpRequest, profile_id: int) -> list[dict[str, Any]]:
    return [training_out(t) for t in manager(request, profile_id).trainings.all()]


@router.post(
    "/{int:profile_id}/training", response={201: TrainingOut}, summary="登记培训记录（本人或科技局）"
)
def add_training(request: HttpRequest, profile_id: int, payload: TrainingIn) -> Status[dict[str, Any]]:
    record = training_add(by=request.auth, manager=manager(request, profile_id), fields=payload.dict())  # type: ignore[attr-defined]
    return Status(201, training_out(record))


@router.get("/{int:profile_id}/certificates", response=list[CertificateOut], summary="证书")
def list_certificates(request: HttpRequest, profile_id: int) -> list[dict[str, Any]]:
    return [certificate_out(c) for c in manager(request, profile_id).certificates.all()]


@router.post(
    "/{int:profile_id}/certificates", response={201: CertificateOut}, summary="登记证书（科技局管理员）"
)
def add_certificate(request: HttpRequest, profile_id: int, payload: CertificateIn) -> Status[dict[str, Any]]:
    record = certificate_add(by=request.auth, manager=manager(request, profile_id), fields=payload.dict())  # type: ignore[attr-defined]
    return Status(201, certificate_out(record))
