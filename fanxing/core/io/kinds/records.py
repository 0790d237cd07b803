"""The columns of the reviewed records (achievements, demands) and of organisations."""

from fanxing.achievements.models import Achievement
from fanxing.core.io import cells
from fanxing.core.io.kinds.columns import (
    Col,
    Kind,
    amount_range,
    choice,
    field_col,
    organisation_col,
    patents_col,
    ref_col,
    reviewed_tail,
    team_col,
    text,
    ways_col,
    whole_number,
)
from fanxing.core.models import Organisation
from fanxing.core.tabular import Column
from fanxing.demands.models import Demand

PRICE_HELP = "单位万元：填一个数（如 80）、区间（如 50-120）或“面议”；留空为未填写。"

ACHIEVEMENTS = Kind(
    name="achievements",
    label="科技成果",
    model=Achievement,
    key="ref",
    ref_prefix="CG",
    cols=(
        ref_col("留空则新建并自动生成编号；填写已有编号则更新该成果。同一文件中编号不能重复。"),
        text(
            "成果名称",
            "title",
            required=True,
            width=30,
            help="必填，不超过200字。",
            example="一种海水养殖尾水的微生物处理方法",
        ),
        text(
            "成果简介",
            "summary",
            required=True,
            width=40,
            help="必填，概述成果内容与用途。",
            example="利用复合功能菌群降解养殖尾水中的氨氮与亚硝酸盐，处理后达到排放标准。",
        ),
        text(
            "详细介绍",
            "description",
            width=40,
            help="可选：技术原理、指标、应用场景等。",
            example="已在对虾养殖场完成中试，日处理尾水 500 吨。",
        ),
        field_col(),
        text(
            "关键词",
            "keywords",
            width=24,
            help="多个关键词用逗号或顿号分隔，不超过300字。",
            example="尾水处理，微生物，对虾养殖",
        ),
        whole_number(
            "技术就绪水平",
            Achievement,
            "trl",
            required=True,
            example=6,
            help="必填，1–9 的整数（TRL）：4–5 小试，6–7 中试，8 小批量生产，9 产业化。",
        ),
        ways_col("转化方式"),
        amount_range(
            "价格（万元）",
            "price",
            aliases=("价格", "意向价格"),
            help=PRICE_HELP + "保密字段。",
            example="50-120",
        ),
        organisation_col(
            "必填，机构全称或简称，须已在机构库登记；机构用户只能导入本机构的成果，留空即为本机构。"
        ),
        patents_col(),
        team_col(),
        *reviewed_tail("成果"),
    ),
)

DEMANDS = Kind(
    name="demands",
    label="技术需求",
    model=Demand,
    key="ref",
    ref_prefix="XQ",
    cols=(
        ref_col("留空则新建并自动生成编号；填写已有编号则更新该需求。同一文件中编号不能重复。"),
        text(
            "需求名称",
            "title",
            required=True,
            width=30,
            help="必填，不超过200字。",
            example="寻求对虾养殖尾水达标排放技术",
        ),
        text(
            "需解决的问题",
            "problem",
            required=True,
            width=40,
            help="必填，用企业自己的话说明要解决的问题。",
            example="我公司对虾养殖场尾水氨氮超标，需要低成本、易运维的处理工艺。",
        ),
        text(
            "期望效果",
            "wanted_effect",
            width=30,
            help="可选：希望达到的指标或效果。",
            example="出水氨氮低于 2 mg/L，吨水处理成本低于 1 元。",
        ),
        field_col(),
        text("关键词", "keywords", width=24, help="多个关键词用逗号或顿号分隔。", example="尾水，氨氮"),
        whole_number(
            "最低技术就绪水平",
            Demand,
            "min_trl",
            required=False,
            example=5,
            help="1–9 的整数，留空为 1：希望成果至少达到的成熟度。",
        ),
        ways_col("合作方式"),
        amount_range("预算（万元）", "budget", aliases=("预算",), help=PRICE_HELP, example="30-100"),
        Col(
            Column(
                "截止日期",
                "deadline",
                True,
                "必填，格式 YYYY-MM-DD（如 2026-12-31），也可填 Excel 日期。",
                14,
            ),
            ("deadline",),
            lambda v, lookups: {"deadline": cells.parse_date(v)},
            lambda r: r.deadline,
            lambda ctx: ctx["deadline"],
        ),
        organisation_col(
            "必填，发布需求的企业或机构全称或简称；机构用户只能导入本机构的需求，留空即为本机构。"
        ),
        *reviewed_tail("需求"),
    ),
)

ORGANISATIONS = Kind(
    name="organisations",
    label="机构",
    model=Organisation,
    key="name",
    cols=(
        text(
            "名称",
            "name",
            required=True,
            width=30,
            example="青岛示例海洋科技有限公司",
            help="必填，机构全称；与已有机构同名则更新该机构，否则新建（新建须科技局管理员）。",
        ),
        text("简称", "short_name", example="示例海洋", help="可选，不超过30字。"),
        choice("类型", "kind", Organisation.Kind, required=True, example="企业", help="必填。"),
        text(
            "统一社会信用代码",
            "uscc",
            upper=True,
            width=22,
            example="91370212MA3C12345T",
            help="可选；18位，最后一位校验位会被核对，不含 I、O、Z、S、V。",
        ),
        Col(
            Column("所在地区", "region", False, "写全称（如 山东省青岛市崂山区）、名称或6位区划代码。", 22),
            ("region",),
            lambda v, lookups: {"region": lookups.region(v)},
            lambda r: r.region.full_name if r.region_id else "",
            lambda ctx: ctx["region"],
        ),
        text("地址", "address", width=30, example="山东省青岛市崂山区科苑纬一路1号", help="可选。"),
        text(
            "网址",
            "website",
            width=24,
            example="https://www.example.com",
            help="可选，以 http:// 或 https:// 开头。",
        ),
        text("简介", "description", width=40, example="专注海洋生物技术研发与成果转化。", help="可选。"),
    ),
)


# Technology contracts (技术合同) -------------------------------------------------------------------------
