"""Who is in the demo: the bureau, 16 universities and institutes, agencies, PoC platforms, investors, logins.

Institutions carry the CSL disciplines (or field codes) they plausibly publish in, so achievements go to a
fitting owner (marine topics to the ocean institutes, textiles to 青岛大学, petroleum to 中国石油大学（华东）...).
Unified social credit codes are generated from each name, with valid check characters.
"""

import hashlib
from dataclasses import dataclass

from fanxing.accounts.models import Role
from fanxing.core.models import Organisation
from fanxing.core.validators import uscc_check_char

Kind = Organisation.Kind
DEMO_PASSWORD = "fanxing2025"


@dataclass(frozen=True)
class OrgSpec:
    """An organisation of the demo and, for research ones, the disciplines its achievements come from."""

    name: str
    kind: str
    region: str  # GB/T 2260 district code
    registrar: (
        str  # the first two characters of its credit code: 11 organ, 12 public institution, 91 company...
    )
    short_name: str = ""
    slug: str = ""  # for usernames and demo e-mail addresses
    description: str = ""
    disciplines: tuple[str, ...] = ()  # CSL disciplines or, for finer topics, technical field codes

    @property
    def uscc(self) -> str:
        return demo_uscc(self.registrar, self.region, self.name)

    @property
    def is_institute(self) -> bool:
        return self.kind == Kind.INSTITUTE

    @property
    def code(self) -> str:
        """The organisation's code (`Organisation.code`, its figures' key prefix): the slug of a university or
        institute (qdu, ouc, upc...), none for the others."""
        return self.slug if self.kind in (Kind.UNIVERSITY, Kind.INSTITUTE) else ""


# Data tables, one organisation per block.
# fmt: off
BUREAU = OrgSpec("崂山区科学技术局", Kind.GOVERNMENT, "370212", "11", "崂山区科技局", "bureau",
                 "崂山区政府主管科技工作的工作部门，负责“繁星计划”科技成果转化平台的运营与审核。")

INSTITUTIONS: tuple[OrgSpec, ...] = (
    OrgSpec("青岛大学", Kind.UNIVERSITY, "370212", "12", "青大", "qdu",
            "山东省属重点综合性大学，构建了“一体两翼”全链条成果转化体系。",
            ("基础医学/临床医学", "口腔医学", "药学", "中医学/中药学", "公共卫生与预防医学",
             "纺织科学与工程", "计算机科学与技术", "电子科学与技术", "电气工程", "数学", "物理学",
             "食品科学与工程", "材料科学与工程", "生物学/生物科学与工程", "建筑学")),
    OrgSpec("中国海洋大学", Kind.UNIVERSITY, "370212", "12", "海大", "ouc",
            "以海洋和水产学科为特色的教育部直属综合性大学。",
            ("海洋科学", "水产", "mbio.drug", "mbio.food", "mbio.product", "船舶与海洋工程", "大气科学",
             "食品科学与工程", "环境科学与工程", "地质学/地质资源与地质工程", "地球物理学",
             "化学/化学工程与技术")),
    OrgSpec("山东大学（青岛）", Kind.UNIVERSITY, "370215", "12", "山大青岛", "sduqd",
            "山东大学青岛校区，理工医文学科在此开展科研与成果转化。",
            ("计算机科学与技术", "基础医学/临床医学", "口腔医学", "数学", "物理学", "机械工程",
             "材料科学与工程", "控制科学与工程", "光学工程", "信息与通信工程", "环境科学与工程", "药学",
             "中医学/中药学", "核科学与技术")),
    OrgSpec("中国石油大学（华东）", Kind.UNIVERSITY, "370211", "12", "石大", "upc",
            "以石油石化为特色的教育部直属全国重点大学。",
            ("石油与天然气工程", "地质学/地质资源与地质工程", "化学/化学工程与技术", "机械工程", "力学",
             "材料科学与工程", "地球物理学", "矿业工程", "动力工程及工程热物理", "数学")),
    OrgSpec("青岛科技大学", Kind.UNIVERSITY, "370212", "12", "青科大", "qust",
            "以化工、橡胶和高分子材料为特色的多科性大学。",
            ("化学/化学工程与技术", "材料科学与工程", "机械工程", "环境科学与工程", "控制科学与工程",
             "信息与通信工程", "计算机科学与技术", "动力工程及工程热物理", "纺织科学与工程", "药学")),
    OrgSpec("青岛理工大学", Kind.UNIVERSITY, "370211", "12", "青理工", "qut",
            "以土木建筑、环境和机械为特色的多科性大学。",
            ("土木工程", "建筑学", "交通运输工程", "环境科学与工程", "机械工程", "水利工程", "力学",
             "动力工程及工程热物理", "冶金工程")),
    OrgSpec("青岛农业大学", Kind.UNIVERSITY, "370214", "12", "青农大", "qau",
            "以农学、生命科学和食品科学为特色的多科性大学。",
            ("园艺学", "作物学", "植物保护", "农业工程", "畜牧学/兽医学", "林学/林业工程", "农业资源利用",
             "食品科学与工程", "生物学/生物科学与工程", "环境科学与工程")),
    OrgSpec("山东科技大学", Kind.UNIVERSITY, "370211", "12", "山科大", "sdust",
            "以矿业、测绘和地学为特色的多科性大学。",
            ("矿业工程", "测绘科学与技术", "地质学/地质资源与地质工程", "地理学", "电气工程", "机械工程",
             "交通运输工程", "冶金工程", "力学", "土木工程", "信息与通信工程")),
    OrgSpec("中国科学院海洋研究所", Kind.INSTITUTE, "370202", "12", "中科院海洋所", "qdio",
            "综合性海洋科学研究机构，涵盖海洋生物、海洋环境与海洋腐蚀防护。",
            ("海洋科学", "水产", "mbio.product", "mbio.drug", "材料科学与工程", "环境科学与工程", "大气科学")),
    OrgSpec("中国科学院青岛生物能源与过程研究所", Kind.INSTITUTE, "370212", "12", "青岛能源所", "qibebt",
            "面向生物能源、先进储能与生物基材料的研究机构。",
            ("化学/化学工程与技术", "生物学/生物科学与工程", "材料科学与工程", "电气工程",
             "动力工程及工程热物理", "农业资源利用")),
    OrgSpec("自然资源部第一海洋研究所", Kind.INSTITUTE, "370212", "12", "自然资源部一所", "fio",
            "从事海洋调查观测、海洋资源与环境研究的公益性科研机构。",
            ("海洋科学", "测绘科学与技术", "地质学/地质资源与地质工程", "地理学", "大气科学", "地球物理学",
             "环境科学与工程")),
    OrgSpec("中国水产科学研究院黄海水产研究所", Kind.INSTITUTE, "370202", "12", "黄海水产所", "ysfri",
            "从事海水养殖、渔业资源与水产品加工研究的国家级科研机构。",
            ("水产", "mbio.food", "mbio.product", "mbio.drug")),
    OrgSpec("崂山实验室", Kind.INSTITUTE, "370215", "12", "崂山实验室", "lslab",
            "面向海洋科技前沿和重大需求的国家级科研平台。",
            ("海洋科学", "船舶与海洋工程", "信息与通信工程", "大气科学", "计算机科学与技术", "地球物理学")),
    OrgSpec("山东省科学院海洋仪器仪表研究所", Kind.INSTITUTE, "370212", "12", "海洋仪器所", "sdioi",
            "从事海洋监测仪器、传感器与观测系统研发。",
            ("光学工程", "电子科学与技术", "信息与通信工程", "控制科学与工程", "船舶与海洋工程", "海洋科学",
             "测绘科学与技术")),
    OrgSpec("青岛市农业科学研究院", Kind.INSTITUTE, "370214", "12", "青岛农科院", "qdaas",
            "从事作物、园艺、畜牧和农产品加工研究的市级农业科研机构。",
            ("园艺学", "作物学", "植物保护", "农业资源利用", "畜牧学/兽医学", "农业工程", "食品科学与工程")),
    OrgSpec("北京航空航天大学青岛研究院", Kind.INSTITUTE, "370211", "12", "北航青岛研究院", "buaaqd",
            "北京航空航天大学与青岛市共建的新型研发机构。",
            ("航空宇航科学与技术", "兵器科学与技术", "控制科学与工程", "机械工程", "电子科学与技术",
             "计算机科学与技术", "力学", "材料科学与工程", "光学工程", "冶金工程")),
)

# Where a discipline has no fitting institution above (there is none today), these take it.
GENERALISTS = ("青岛大学", "山东大学（青岛）", "青岛科技大学", "青岛理工大学")

OTHER_ORGANISATIONS: tuple[OrgSpec, ...] = (
    OrgSpec("崂山区技术转移服务中心", Kind.AGENCY, "370212", "12", "崂山技转中心", "ttc",
            "为区内高校院所和企业提供成果评价、技术经纪与对接服务。"),
    OrgSpec("青岛星桥知识产权代理有限公司", Kind.AGENCY, "370212", "91", "星桥知识产权", "xingqiao",
            "专利申请、布局分析与知识产权运营服务。"),
    OrgSpec("崂山区技术经理人协会", Kind.AGENCY, "370212", "51", "技术经理人协会", "tma",
            "技术经理人的培训、认定与行业自律组织。"),
    OrgSpec("崂山区海洋生物医药概念验证中心", Kind.POC, "370212", "52", "海洋医药概念验证中心", "pocmbio",
            "为海洋药物、海洋生物制品提供成药性评价与中试验证。"),
    OrgSpec("崂山区人工智能与虚拟现实概念验证中心", Kind.POC, "370212", "52", "AI与VR概念验证中心", "pocai",
            "为人工智能、虚拟现实成果提供样机开发与场景验证。"),
    OrgSpec("崂山区智能制造概念验证中心", Kind.POC, "370212", "52", "智能制造概念验证中心", "pocsmart",
            "为装备与工业互联网成果提供工艺验证与小批量试制。"),
    OrgSpec("青岛星海创业投资有限公司", Kind.INVESTOR, "370212", "91", "星海创投", "xinghai",
            "专注早期硬科技项目的创业投资机构。"),
    OrgSpec("崂山科创成果转化投资基金管理有限公司", Kind.INVESTOR, "370212", "91", "崂山科创基金", "lsfund",
            "管理区级科技成果转化引导基金，投资区内转化项目。"),
)
# fmt: on


@dataclass(frozen=True)
class Login:
    """A demo account printed for people trying the platform."""

    username: str
    role: str
    organisation: str  # an organisation name, or "" for roles without one
    display_name: str
    is_superuser: bool = False


LOGINS: tuple[Login, ...] = (
    Login("admin", Role.BUREAU_ADMIN, BUREAU.name, "刘敏", is_superuser=True),
    Login("qdu_admin", Role.ORG_ADMIN, "青岛大学", "赵立新"),
    Login("qdu_staff", Role.ORG_STAFF, "青岛大学", "孙晓雯"),
    Login("ouc_staff", Role.ORG_STAFF, "中国海洋大学", "周海宁"),
    # "enterprise" belongs to the first enterprise of demands.json; its name is filled in when loading.
    Login("enterprise", Role.ENTERPRISE, "", "企业联系人"),
    Login("manager", Role.MANAGER, "", "陈思远"),
    Login("expert", Role.EXPERT, "", "吴振华"),
)

# One staff member per institution, in the order of INSTITUTIONS.
STAFF_NAMES = "孙晓雯 周海宁 马骁 郑雨桐 冯佳 韩磊 杨帆 许静 何畅 高远 罗婷 梁晨 宋雪 唐宁 谢丹 董浩".split()

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建文立新海宁晨阳博宇浩然子轩思雨欣怡梓涵俊峰志远晓东振兴国庆春梅"
LEAD_TITLES = {"university": ("教授",), "institute": ("研究员",)}
MEMBER_TITLES = {
    "university": ("副教授", "副教授", "讲师", "博士研究生", "高级工程师"),
    "institute": ("副研究员", "副研究员", "助理研究员", "高级工程师", "工程师"),
}

RETURN_REASONS = (
    "成果简介过于简略，请补充主要技术指标和适用场景。",
    "技术就绪水平与材料不符：文中仅有实验室数据，请调整为 TRL 4 或补充中试材料。",
    "请补充专利受理通知书或授权证书的编号。",
    "意向价格与所选转化方式不一致，请核实后重新提交。",
)
DEMAND_RETURN_REASONS = (
    "预算与需求描述的工作量不符，请核实预算范围。",
    "需求描述中含有企业内部工艺参数，建议移至保密信息后重新提交。",
    "截止日期过近，请预留不少于 30 天的对接时间。",
)
CONFIDENTIAL_NOTES = (
    "关键工艺参数、配方及中试数据在签署保密协议后提供。",
    "样品与检测报告可在对接会现场查看。",
    "菌种保藏编号及扩大培养条件在签署许可协议后提供。",
    "核心算法源代码与训练数据仅在合作开发阶段开放。",
)


def demo_uscc(registrar: str, region: str, name: str) -> str:
    """A valid 18-character unified social credit code derived from the name (GB 32100 and GB 11714 checks)."""
    digest = int(hashlib.sha256(name.encode()).hexdigest(), 16)
    body = f"{digest % 10**8:08d}"
    total = sum(int(c) * w for c, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    check = 11 - total % 11
    org_code = body + {10: "X", 11: "0"}.get(check, str(check))
    first17 = registrar + region + org_code
    return first17 + uscc_check_char(first17)


def enterprise_spec(name: str, description: str, index: int) -> OrgSpec:
    """An enterprise of demands.json: in 崂山区 mostly, some in other districts of Qingdao."""
    regions = ("370212", "370212", "370212", "370211", "370214", "370213", "370203", "370215")
    return OrgSpec(name, Kind.ENTERPRISE, regions[index % len(regions)], "91", description=description)
