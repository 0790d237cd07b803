"""The review workflow shared by achievements and demands: states, visibility and the allowed moves.

draft → submitted → published, or submitted → returned (with a reason) → submitted again;
submitted or published → withdrawn → submitted again; published demands → expired after their deadline.
Who may make each move is decided in `fanxing.accounts.permissions`; the services apply it.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    PUBLISHED = "published", "已发布"
    RETURNED = "returned", "已退回"
    WITHDRAWN = "withdrawn", "已撤回"
    EXPIRED = "expired", "已过期"


class Visibility(models.TextChoices):
    PUBLIC = "public", "公开"
    REGISTERED = "registered", "注册用户可见"
    PRIVATE = "private", "仅本机构可见"


@dataclass(frozen=True)
class Move:
    """One workflow transition: its name, where it may start, where it ends, who may make it."""

    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    by: str  # "owner" (the record's organisation's editors), "reviewer" (bureau admins) or "system"
    needs_reason: bool = False


MOVES: dict[str, Move] = {
    m.action: m
    for m in (
        Move(
            "submit",
            "提交审核",
            (Status.DRAFT, Status.RETURNED, Status.WITHDRAWN, Status.EXPIRED),
            Status.SUBMITTED,
            "owner",
        ),
        Move("publish", "审核通过并发布", (Status.SUBMITTED,), Status.PUBLISHED, "reviewer"),
        Move("return", "退回修改", (Status.SUBMITTED,), Status.RETURNED, "reviewer", needs_reason=True),
        Move("withdraw", "撤回", (Status.SUBMITTED, Status.PUBLISHED), Status.WITHDRAWN, "owner"),
        Move("expire", "到期", (Status.PUBLISHED,), Status.EXPIRED, "system"),
    )
}


class ReviewedRecord(models.Model):
    """Fields every reviewed library record has: owner, status, visibility, contacts, timestamps."""

    ref = models.CharField("编号", max_length=40, unique=True, help_text="留空则自动生成")
    organisation = models.ForeignKey("core.Organisation", models.PROTECT, verbose_name="所属机构")
    keywords = models.CharField("关键词", max_length=300, blank=True, help_text="用逗号或顿号分隔")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    visibility = models.CharField(
        "可见范围", max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    return_reason = models.TextField("退回原因", blank=True)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    contact_email = models.EmailField("联系邮箱", blank=True)
    confidential_details = models.TextField(
        "保密信息", blank=True, help_text="仅本机构、管理员和获准用户可见"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="创建人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True, db_index=True)

    CONFIDENTIAL_FIELDS: tuple[str, ...] = (
        "contact_name",
        "contact_phone",
        "contact_email",
        "confidential_details",
    )

    class Meta:
        abstract = True

    @property
    def keyword_list(self) -> list[str]:
        return split_keywords(self.keywords)


def split_keywords(text: str) -> list[str]:
    """Keywords as typed by people: separated by commas, Chinese commas, 顿号, semicolons or spaces."""
    import re

    return [k for k in (part.strip() for part in re.split(r"[,，、;；\s]+", text or "")) if k]


def join_keywords(words: list[str]) -> str:
    return "，".join(dict.fromkeys(w.strip() for w in words if w.strip()))
