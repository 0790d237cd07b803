"""The audit log in words, and a record's history: an entry's action, and its changes with the field's name and the values' labels as
the forms show them (a status as 已发布, not published). The entries keep the codes; only the display is
translated, so a code without a label here still shows, as itself."""

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist

from fanxing.core.models import AuditEntry
from fanxing.core.workflow import MOVES

ACTIONS: dict[str, str] = {
    "create": "新建",
    "update": "修改",
    **{code: move.label for code, move in MOVES.items()},
    "patents": "更新专利",
    "comment": "评论",
    # accounts
    "access_request": "申请加入机构",
    "access_grant": "批准加入机构",
    "access_refuse": "拒绝加入机构",
    "member_create": "新建成员账号",
    "member_enable": "启用成员账号",
    "member_disable": "停用成员账号",
    # deals
    "lead_create": "新建线索",
    "lead_assign": "指派技术经理人",
    "lead_move": "推进线索",
    "lead_activity": "记录跟进",
    "contract_create": "登记合同",
    "contract_update": "修改合同",
    "contract_register": "合同认定登记",
    "instalment_add": "添加付款计划",
    "payment_add": "记录到账",
    "cost_add": "记录成本",
    "reward_distribute": "记录奖励发放",
    "payout_mark_paid": "奖励已发放",
    # events
    "event_create": "新建活动",
    "event_update": "修改活动",
    "event_publish": "发布活动",
    "event_close": "结束活动",
    "event_curate": "刷新推荐",
    "event_register": "报名",
    "event_check_in": "签到",
    "event_availability": "修改不能参加的时段",
    "event_schedule": "生成洽谈日程",
    "meeting_request": "预约洽谈",
    "meeting_request_answer": "回复洽谈预约",
    "meeting_outcome": "记录洽谈结果",
    "invitation_accept": "采纳推荐",
    "invitation_remove": "移除推荐",
    "invitation_invite": "发出邀请",
    "invitation_restore": "恢复推荐",
    # competitions
    "competition_create": "新建大赛",
    "competition_update": "修改大赛",
    "entry_submit": "提交参赛",
    "entry_withdraw": "撤回参赛",
    "judge_add": "添加评委",
    "judge_remove": "移除评委",
    "assignments_make": "分配评审",
    "score_submit": "提交评分",
    "awards_decide": "确定奖项",
    # proof of concept
    "call_open": "开始申报",
    "call_reviewing": "截止申报，进入评审",
    "call_decided": "完成资助决定",
    "poc_apply": "提交申报",
    "poc_withdraw": "撤回申报",
    "poc_assign": "分配评审专家",
    "poc_assign_replace": "更换评审专家",
    "poc_review": "提交评审",
    "poc_fund": "资助",
    "poc_reject": "不予资助",
    "poc_milestone": "添加项目节点",
    "poc_milestone_report": "报告节点",
    "poc_milestone_accept": "验收节点",
    "poc_outcome": "记录转化成果",
    # indicators and leaderboard
    "value_enter": "填报数值",
    "value_correct": "更正数值",
    "target_set": "设定目标",
    "leaderboard_save": "保存榜单",
    "leaderboard_publish": "发布榜单",
    "leaderboard_withdraw": "撤回榜单",
}

# Changes that name no field of the record (counts and summaries a service writes).
KEYS: dict[str, str] = {
    "meetings": "洽谈场数",
    "requested_met": "满足的预约",
    "value": "匹配总值",
    "assignments": "分配数",
    "achievements": "带来的成果",
    "demands": "带来的需求",
    "organisation": "机构",
    "parties": "当事人",
    "team": "团队",
    "ways": "转化方式",
    "fields": "领域",
    "activity": "跟进",
}


@dataclass(frozen=True)
class Change:
    label: str
    before: Any
    after: Any


def entries_of(record: Any, limit: int = 50) -> Any:
    """A record's history, newest first (the record pages' 审计记录)."""
    kind = ContentType.objects.get_for_model(record)
    return AuditEntry.objects.filter(content_type=kind, object_id=record.pk).select_related("actor")[:limit]


def action_label(code: str) -> str:
    return ACTIONS.get(code, code)


def changes(entry: AuditEntry) -> list[Change]:
    """The entry's changes, each with its field's name and, for a field with choices, the values' labels.
    The record's model comes from ContentType's cache, not a query per entry."""
    model = ContentType.objects.get_for_id(entry.content_type_id).model_class()
    rows = []
    for key, pair in (entry.changes or {}).items():
        before, after = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
        label, choices = KEYS.get(key, key), {}
        try:
            field = model._meta.get_field(key) if model is not None else None
        except FieldDoesNotExist:
            field = None
        if field is not None:
            label = str(getattr(field, "verbose_name", key))
            choices = {str(k): str(v) for k, v in (getattr(field, "flatchoices", None) or [])}
        rows.append(Change(label, choices.get(str(before), before), choices.get(str(after), after)))
    return rows
