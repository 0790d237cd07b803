"""Leads (对接线索): a pair worth following up, handed to a technology manager; here a lead is created
from a match. Technology contracts (技术合同) with their parties, payment schedule and payments received."""

import operator
from decimal import Decimal
from functools import reduce

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from fanxing.deals import rewards


class Lead(models.Model):
    """A demand and an achievement (or either alone) a technology manager should bring together.

    Stages run 新建 → 已联系 → 洽谈中 → 已签约, or end in 已终止 with a reason (fanxing.deals.services.leads
    holds the moves). `last_activity_at` is the newest activity or stage change: a lead without one for
    FANXING_LEAD_STALE_DAYS days is flagged as stale.
    """

    class Stage(models.TextChoices):
        NEW = "new", "新建"
        CONTACTED = "contacted", "已联系"
        NEGOTIATING = "negotiating", "洽谈中"
        SIGNED = "signed", "已签约"
        CLOSED = "closed", "已终止"

    class Source(models.TextChoices):
        MATCH = "match", "智能匹配"
        EVENT = "event", "对接活动"
        MANUAL = "manual", "手工录入"

    class CloseReason(models.TextChoices):
        NO_INTEREST = "no_interest", "需求方无意向"
        PRICE = "price", "价格未谈拢"
        IMMATURE = "immature", "技术成熟度不足"
        RIGHTS = "rights", "权属不清或受限"
        ELSEWHERE = "elsewhere", "已与他方合作"
        UNREACHABLE = "unreachable", "联系不上"
        OTHER = "other", "其他"

    demand = models.ForeignKey("demands.Demand", models.PROTECT, null=True, blank=True, related_name="leads")
    achievement = models.ForeignKey(
        "achievements.Achievement", models.PROTECT, null=True, blank=True, related_name="leads"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="leads",
        verbose_name="技术经理人",
        limit_choices_to={"role": "manager"},
    )
    assignment = models.CharField("分配依据", max_length=200, blank=True)
    stage = models.CharField("阶段", max_length=12, choices=Stage.choices, default=Stage.NEW)
    close_reason = models.CharField("终止原因", max_length=12, choices=CloseReason.choices, blank=True)
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.MATCH)
    note = models.TextField("说明", blank=True)
    score = models.FloatField("匹配度", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_activity_at = models.DateTimeField("最近跟进", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "对接线索"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(demand__isnull=False) | Q(achievement__isnull=False), name="lead_has_a_record"
            ),
            models.CheckConstraint(
                condition=Q(stage="closed", close_reason__gt="") | (~Q(stage="closed") & Q(close_reason="")),
                name="lead_closed_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.demand or '—'} ↔ {self.achievement or '—'}"

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


# Stages in which a lead is still being followed up (its manager's load; the stale flag).
OPEN_STAGES = (Lead.Stage.NEW, Lead.Stage.CONTACTED, Lead.Stage.NEGOTIATING)


class LeadActivity(models.Model):
    """One step of following a lead up (跟进记录): a call, a visit, a meeting or a note, with its date."""

    class Kind(models.TextChoices):
        CALL = "call", "电话"
        VISIT = "visit", "走访"
        MEETING = "meeting", "会谈"
        NOTE = "note", "备注"

    lead = models.ForeignKey(Lead, models.CASCADE, related_name="activities")
    kind = models.CharField("方式", max_length=10, choices=Kind.choices)
    happened_on = models.DateField("日期")
    note = models.TextField("内容")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "跟进记录"
        ordering = ["-happened_on", "-id"]

    def __str__(self) -> str:
        return f"{self.happened_on} {self.get_kind_display()}"


# Technology contracts (技术合同), Civil Code Art. 843 ff.


class ContractKind(models.TextChoices):
    DEVELOPMENT = "development", "技术开发"
    TRANSFER = "transfer", "技术转让"
    LICENCE = "licence", "技术许可"
    CONSULTING = "consulting", "技术咨询"
    SERVICE = "service", "技术服务"


class ContractSubkind(models.TextChoices):
    COMMISSIONED = "commissioned", "委托开发"
    COOPERATIVE = "cooperative", "合作开发"
    PATENT = "patent", "专利权"
    PATENT_APPLICATION = "patent_application", "专利申请权"
    SECRET = "secret", "技术秘密"
    OTHER = "other", "其他"
    EXCLUSIVE = "exclusive", "独占许可"
    SOLE = "sole", "排他许可"
    ORDINARY = "ordinary", "普通许可"
    SECRET_LICENCE = "secret_licence", "技术秘密使用许可"
    GENERAL_SERVICE = "general_service", "一般技术服务"
    TRAINING = "training", "技术培训"
    INTERMEDIARY = "intermediary", "技术中介"


# The one table of allowed (type, sub-type) pairs: validation, the database constraint, forms and imports
# all read it. 技术咨询 has no sub-type (an empty one).
CONTRACT_TYPES: dict[str, tuple[str, ...]] = {
    ContractKind.DEVELOPMENT: (ContractSubkind.COMMISSIONED, ContractSubkind.COOPERATIVE),
    ContractKind.TRANSFER: (
        ContractSubkind.PATENT,
        ContractSubkind.PATENT_APPLICATION,
        ContractSubkind.SECRET,
        ContractSubkind.OTHER,
    ),
    ContractKind.LICENCE: (
        ContractSubkind.EXCLUSIVE,
        ContractSubkind.SOLE,
        ContractSubkind.ORDINARY,
        ContractSubkind.SECRET_LICENCE,
    ),
    ContractKind.CONSULTING: ("",),
    ContractKind.SERVICE: (
        ContractSubkind.GENERAL_SERVICE,
        ContractSubkind.TRAINING,
        ContractSubkind.INTERMEDIARY,
    ),
}
# 作价投资 converts the achievement into shares: recorded on transfer and licence contracts only.
EQUITY_KINDS = (ContractKind.TRANSFER, ContractKind.LICENCE)


def contract_type_check(kind: str, subkind: str) -> None:
    """Raise a ValidationError naming the field when (kind, subkind) is not a pair of CONTRACT_TYPES."""
    if kind not in CONTRACT_TYPES:
        allowed = "、".join(label for _, label in ContractKind.choices)
        raise ValidationError({"kind": f"合同类型“{kind}”不存在，可选：{allowed}"})
    subkinds = CONTRACT_TYPES[kind]
    if subkind in subkinds:
        return
    kind_label = ContractKind(kind).label
    if subkinds == ("",):
        raise ValidationError({"subkind": f"{kind_label}合同不分子类型，请留空"})
    allowed = "、".join(str(ContractSubkind(code).label) for code in subkinds)
    if subkind not in ContractSubkind.values:
        raise ValidationError({"subkind": f"合同子类型“{subkind}”不存在；{kind_label}合同可选：{allowed}"})
    raise ValidationError(
        {"subkind": f"“{ContractSubkind(subkind).label}”不属于{kind_label}合同；可选：{allowed}"}
    )


def _pairs_q() -> Q:
    """The database's copy of CONTRACT_TYPES (makemigrations --check notices when the table changes)."""
    return reduce(operator.or_, (Q(kind=k, subkind__in=list(subs)) for k, subs in CONTRACT_TYPES.items()))


class TechContract(models.Model):
    """A technology contract (技术合同) an office keeps on record: its type, parties, amount, registration.

    `organisation` is the office whose record it is (the seller side for transfers and licences). The
    certified amount (技术交易额) is set when the contract is registered (技术合同认定登记) and may be lower
    than the contract amount. Payments received feed later computations (net income for inventor rewards).
    """

    class Registration(models.TextChoices):
        UNREGISTERED = "unregistered", "未登记"
        REGISTERED = "registered", "已登记"
        REFUSED = "refused", "不予登记"

    number = models.CharField("合同编号", max_length=50, unique=True)
    title = models.CharField("合同名称", max_length=200)
    kind = models.CharField("合同类型", max_length=12, choices=ContractKind.choices)
    subkind = models.CharField("合同子类型", max_length=20, choices=ContractSubkind.choices, blank=True)
    equity = models.BooleanField("作价投资", default=False)
    equity_share = models.DecimalField(
        "股权/出资比例（%）", max_digits=5, decimal_places=2, null=True, blank=True
    )
    organisation = models.ForeignKey(
        "core.Organisation", models.PROTECT, related_name="contracts", verbose_name="所属机构"
    )
    achievements = models.ManyToManyField(
        "achievements.Achievement", blank=True, related_name="contracts", verbose_name="涉及成果"
    )
    lead = models.ForeignKey(
        Lead, models.SET_NULL, null=True, blank=True, related_name="contracts", verbose_name="对接线索"
    )
    amount = models.DecimalField("合同金额（万元）", max_digits=14, decimal_places=4)
    certified_amount = models.DecimalField(
        "技术交易额（万元）", max_digits=14, decimal_places=4, null=True, blank=True
    )
    signed_on = models.DateField("签订日期", null=True, blank=True)
    term_start = models.DateField("履行期限起", null=True, blank=True)
    term_end = models.DateField("履行期限止", null=True, blank=True)
    registration_status = models.CharField(
        "登记状态", max_length=12, choices=Registration.choices, default=Registration.UNREGISTERED
    )
    registration_number = models.CharField("登记编号", max_length=50, blank=True)
    registered_on = models.DateField("登记日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "技术合同"
        ordering = ["-signed_on", "-id"]
        indexes = [models.Index(fields=["organisation", "signed_on"], name="contract_org_signed")]
        constraints = [
            models.CheckConstraint(condition=_pairs_q(), name="contract_type_pair"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="contract_amount_positive"),
            models.CheckConstraint(
                condition=Q(certified_amount__isnull=True)
                | Q(certified_amount__gt=0, certified_amount__lte=F("amount")),
                name="contract_certified_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(term_start__isnull=True)
                | Q(term_end__isnull=True)
                | Q(term_end__gte=F("term_start")),
                name="contract_term_ordered",
            ),
            models.CheckConstraint(
                condition=Q(equity=False, equity_share__isnull=True)
                | Q(equity=True, equity_share__gt=0, equity_share__lte=100),
                name="contract_equity_share",
            ),
            models.UniqueConstraint(
                fields=["registration_number"],
                condition=~Q(registration_number=""),
                name="contract_registration_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def clean(self) -> None:
        contract_type_check(self.kind, self.subkind)
        errors: dict[str, str] = {}
        if self.amount is not None and self.amount <= 0:
            errors["amount"] = "合同金额必须大于 0 万元"
        if self.certified_amount is not None:
            if self.certified_amount <= 0:
                errors["certified_amount"] = "技术交易额必须大于 0 万元"
            elif self.amount is not None and self.certified_amount > self.amount:
                errors["certified_amount"] = (
                    f"技术交易额（{self.certified_amount:f} 万元）不能高于合同金额（{self.amount:f} 万元）"
                )
        if self.term_start and self.term_end and self.term_end < self.term_start:
            errors["term_end"] = "履行期限止不能早于履行期限起"
        if self.equity and self.kind not in EQUITY_KINDS:
            errors["equity"] = "作价投资只适用于技术转让或技术许可合同"
        elif self.equity and not (self.equity_share and 0 < self.equity_share <= 100):
            errors["equity_share"] = "作价投资须填写股权/出资比例，大于 0 且不超过 100"
        elif not self.equity and self.equity_share is not None:
            errors["equity_share"] = "未选择作价投资时不填股权/出资比例"
        if errors:
            raise ValidationError(errors)


class ContractParty(models.Model):
    """A party to a contract: an organisation on the platform, or a name when it is not on it."""

    class Role(models.TextChoices):
        SELLER = "seller", "卖方/让与方"
        BUYER = "buyer", "买方/受让方"
        INTERMEDIARY = "intermediary", "中介方"

    contract = models.ForeignKey(TechContract, models.CASCADE, related_name="parties")
    role = models.CharField("角色", max_length=12, choices=Role.choices)
    organisation = models.ForeignKey(
        "core.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="contract_parties",
        verbose_name="机构",
    )
    name = models.CharField("名称", max_length=100, blank=True, help_text="不在平台上的当事人填写名称")

    class Meta:
        verbose_name = verbose_name_plural = "合同当事人"
        constraints = [
            models.CheckConstraint(condition=Q(organisation__isnull=False) | ~Q(name=""), name="party_named"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}：{self.organisation or self.name}"


class PaymentInstalment(models.Model):
    """One due payment of a contract's schedule (付款计划)."""

    contract = models.ForeignKey(TechContract, models.CASCADE, related_name="instalments")
    due_on = models.DateField("应付日期")
    amount = models.DecimalField("金额（万元）", max_digits=14, decimal_places=4)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "付款计划"
        ordering = ["due_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="instalment_amount_positive")]

    def __str__(self) -> str:
        return f"{self.due_on} {self.amount:f} 万元"


class Payment(models.Model):
    """Money received under a contract (到账). Net income for rewards = payments received − costs."""

    contract = models.ForeignKey(TechContract, models.CASCADE, related_name="payments")
    received_on = models.DateField("到账日期")
    amount = models.DecimalField("金额（万元）", max_digits=14, decimal_places=4)
    note = models.CharField("说明", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "到账记录"
        ordering = ["received_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")]

    def __str__(self) -> str:
        return f"{self.received_on} {self.amount:f} 万元"


class RewardRule(models.Model):
    """An organisation's published rule for rewarding the people who made its service achievements: the
    team's shares (per cent; never below the law's, fanxing.deals.rewards) and the costs it deducts."""

    organisation = models.OneToOneField(
        "core.Organisation", models.CASCADE, related_name="reward_rule", verbose_name="机构"
    )
    transfer_share = models.DecimalField(
        "转让、许可净收入的奖励比例（%）", max_digits=5, decimal_places=2, default=50
    )
    equity_share = models.DecimalField(
        "作价投资股份的奖励比例（%）", max_digits=5, decimal_places=2, default=50
    )
    implementation_share = models.DecimalField(
        "实施转化营业利润的奖励比例（%）", max_digits=5, decimal_places=2, default=5
    )
    deductible = models.JSONField("可扣除的费用类别", default=list, blank=True)
    document_no = models.CharField("制度文号", max_length=100, blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "科技成果转化奖励规则"

    def __str__(self) -> str:
        return f"{self.organisation} 奖励规则"

    def as_rule(self) -> rewards.RewardRule:
        """The rule as the calculation takes it (raises RewardError when it breaks the law's minimum)."""
        return rewards.RewardRule(
            transfer_share=self.transfer_share,
            equity_share=self.equity_share,
            implementation_share=self.implementation_share,
            deductible=frozenset(self.deductible),
        )


class ContractCost(models.Model):
    """A direct cost the owning organisation bore for a contract (元), which its rule may deduct."""

    contract = models.ForeignKey(TechContract, models.CASCADE, related_name="costs")
    kind = models.CharField("费用类别", max_length=12, choices=list(rewards.COST_KINDS.items()))
    amount = models.DecimalField(
        "金额（元）", max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    incurred_on = models.DateField("发生日期")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "合同直接费用"
        ordering = ["incurred_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="contract_cost_positive")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} 元"


class RewardDistribution(models.Model):
    """One decision to reward a contract's team (奖励发放): the calculation as it stood (lines of
    fanxing.deals.rewards, in 元), the pool and the payouts to each member. A later distribution of the
    same contract rewards only what the income since added (the earlier pools are deducted)."""

    contract = models.ForeignKey(TechContract, models.PROTECT, related_name="distributions")
    mode = models.CharField("方式", max_length=16)
    lines = models.JSONField("计算过程", default=list)
    base = models.DecimalField("计算基数", max_digits=16, decimal_places=2)
    pool = models.DecimalField("本次奖励总额", max_digits=16, decimal_places=2)
    decided_on = models.DateField("决定日期")
    note = models.CharField("说明", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "奖励发放"
        ordering = ["decided_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(pool__gte=0), name="distribution_pool_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.contract.number} {self.decided_on} {self.pool} 元"


class RewardPayout(models.Model):
    """A team member's part of a distribution (元), by contribution; `paid_on` once it is paid."""

    distribution = models.ForeignKey(RewardDistribution, models.CASCADE, related_name="payouts")
    name = models.CharField("姓名", max_length=50)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="reward_payouts"
    )
    contribution = models.DecimalField("贡献比例（%）", max_digits=5, decimal_places=2)
    amount = models.DecimalField("奖励金额（元）", max_digits=16, decimal_places=2)
    paid_on = models.DateField("发放日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "奖励明细"
        ordering = ["distribution", "-contribution", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contribution__gt=0, contribution__lte=100), name="payout_contribution_range"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="payout_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.amount} 元"
