"""Synthetic data for the benchmark: organisations, users and many achievements, written with bulk_create.

Run by `benchmarks/run.py` in a child process whose environment picks the database
(FANXING_DATA_DIR or FANXING_DATABASE_URL); it is not part of the platform.

    python benchmarks/seed.py achievements N OUT.json   # organisations, users, N achievements
    python benchmarks/seed.py organisations             # only the organisations (for the import run)
    python benchmarks/seed.py export N FILE             # N achievements to an xlsx with fanxing.core.io
    python benchmarks/seed.py count                     # how many achievements there are, as JSON

The text is made up from a vocabulary per technical field, so titles and summaries read like the
records a technology-transfer office keeps (150–250 characters of summary) without being real ones.
Everything is seeded from a fixed random seed: two runs produce the same data.
"""

import datetime
import json
import os
import random
import sys
import time
from decimal import Decimal
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanxing.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from fanxing.accounts.models import Role, User  # noqa: E402
from fanxing.achievements.models import Achievement, Patent, TeamMember  # noqa: E402
from fanxing.core.models import ConversionWay, Organisation, Region, TechField  # noqa: E402
from fanxing.core.validators import patent_check_char  # noqa: E402

SEED = 20260101
ORGANISATIONS = 200
BATCH = 2000

# Vocabulary ------------------------------------------------------------------------------------------

# Per top-level field: the things studied (objects) and the means (methods).
VOCABULARY: dict[str, tuple[list[str], list[str]]] = {
    "vr": (
        ["头戴显示器", "光波导镜片", "虚拟仿真实训系统", "全景视频", "数字孪生场景", "手势交互装置"],
        ["光场渲染", "空间定位", "眼动追踪", "实时三维重建", "低延迟编码"],
    ),
    "ai": (
        ["工业质检模型", "智能问答系统", "遥感影像解译", "语音识别引擎", "推荐系统", "边缘推理芯片"],
        ["深度学习", "知识图谱", "迁移学习", "大语言模型", "图神经网络", "强化学习"],
    ),
    "ict": (
        ["毫米波天线", "光纤传感器", "射频前端芯片", "北斗定位终端", "工业软件", "光通信模块"],
        ["超材料设计", "软件定义网络", "时频同步", "信道编码", "异构集成"],
    ),
    "mbio": (
        ["海洋多糖", "海藻酸盐敷料", "鱼皮胶原蛋白肽", "海洋微生物酶", "褐藻寡糖", "海参皂苷"],
        ["定向酶解", "高通量筛选", "发酵工程", "分子修饰", "膜分离纯化"],
    ),
    "bio": (
        ["单克隆抗体", "体外诊断试剂盒", "中药复方制剂", "可降解心血管支架", "基因检测芯片", "康复机器人"],
        ["合成生物学", "微流控", "靶向递送", "细胞培养", "多组学分析"],
    ),
    "smart": (
        ["数控机床", "工业机器人", "减速器", "智能产线", "激光焊接装备", "无人机"],
        ["数字孪生", "预测性维护", "视觉伺服", "柔性制造", "多轴联动控制"],
    ),
    "nem": (
        ["锂离子电池", "钙钛矿太阳能电池", "氢燃料电池", "碳纤维复合材料", "石墨烯涂层", "固态电解质"],
        ["原子层沉积", "溶胶凝胶法", "高通量计算", "界面调控", "热管理"],
    ),
    "marine": (
        ["海洋牧场", "水下机器人", "深海浮标", "海水淡化装置", "船舶压载水处理系统", "海上风电基础"],
        ["水声通信", "多波束测深", "循环水养殖", "防腐蚀涂层", "浪流耦合模拟"],
    ),
    "agri": (
        ["耐盐碱小麦", "设施蔬菜", "果蔬保鲜剂", "智能灌溉系统", "饲料添加剂", "植物源农药"],
        ["分子育种", "微生物发酵", "精准施肥", "冷链物流", "低温等离子体"],
    ),
    "env": (
        ["工业废水", "挥发性有机物", "污泥", "余热锅炉", "土壤重金属", "碳捕集装置"],
        ["高级氧化", "膜生物反应器", "催化燃烧", "生物修复", "热泵"],
    ),
    "civil": (
        ["桥梁健康监测系统", "装配式建筑构件", "沥青路面", "隧道衬砌", "港口装卸设备", "海绵城市设施"],
        ["有限元分析", "智能感知", "再生骨料", "BIM", "车路协同"],
    ),
    "earth": (
        ["页岩气储层", "地下水", "矿山尾矿", "地震预警系统", "海底管道", "滑坡体"],
        ["地球物理反演", "微地震监测", "遥感解译", "三维地质建模", "压裂改造"],
    ),
    "textile": (
        ["功能性面料", "生物基纤维", "医用无纺布", "智能可穿戴织物", "印染废水"],
        ["静电纺丝", "等离子体改性", "数码印花", "相变调温"],
    ),
    "other": (
        ["科技服务平台", "知识产权评估模型", "技术转移服务体系", "创新创业孵化模式"],
        ["大数据分析", "流程再造", "标准化", "绩效评价"],
    ),
}
SUFFIXES = ["方法", "系统", "装置", "制备方法", "关键技术", "及其应用", "平台", "工艺"]
SCENES = ["复杂工况", "海洋环境", "规模化生产", "基层医疗", "城市治理", "高温高湿", "野外作业", "低成本应用"]
PROBLEMS = [
    "精度低、成本高",
    "效率低、能耗大",
    "稳定性差",
    "依赖进口",
    "检测周期长",
    "污染严重",
    "可靠性不足",
    "工艺复杂",
]
PRODUCTS = ["样机", "中试线", "软件系统", "成套装备", "工艺包", "产品原型", "技术标准"]
TESTS = ["第三方检测机构", "用户现场", "中试基地", "国家级质检中心", "合作企业"]
METRICS = ["检测精度", "生产效率", "转化率", "使用寿命", "响应速度", "产品收率", "良品率"]
METRICS_DOWN = ["能耗", "成本", "故障率", "排放", "人工投入", "原料消耗"]
STAGES = ["小试", "中试", "样机试制", "示范应用", "小批量生产"]
APPLICATIONS = [
    "海洋装备",
    "智慧城市",
    "医疗健康",
    "新能源汽车",
    "现代农业",
    "电子信息",
    "化工园区",
    "港口物流",
    "轨道交通",
    "食品加工",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国志鹏海燕晓东宇航"
PLACES = [
    "青岛",
    "济南",
    "烟台",
    "潍坊",
    "威海",
    "日照",
    "临沂",
    "淄博",
    "东营",
    "济宁",
    "泰安",
    "滨州",
    "德州",
    "聊城",
    "菏泽",
    "枣庄",
    "黄海",
    "齐鲁",
    "胶东",
    "崂山",
]
DISCIPLINES = [
    "海洋",
    "理工",
    "科技",
    "医科",
    "农业",
    "工程",
    "材料",
    "信息",
    "能源",
    "生物",
    "智能制造",
    "环境",
    "交通",
    "轻工",
]
KINDS = [
    ("大学", Organisation.Kind.UNIVERSITY),
    ("研究院", Organisation.Kind.INSTITUTE),
    ("概念验证中心", Organisation.Kind.POC),
    ("科技有限公司", Organisation.Kind.ENTERPRISE),
]


def title_and_summary(rng: random.Random, top: str) -> tuple[str, str, str, list[str]]:
    """(title, summary, description, keywords) for one achievement of the given top-level field."""
    objects, methods = VOCABULARY.get(top, VOCABULARY["other"])
    thing, (method, other_method) = rng.choice(objects), rng.sample(methods, 2)
    title = rng.choice(
        [
            f"一种基于{method}的{thing}{rng.choice(SUFFIXES)}",
            f"{method}在{thing}中的应用",
            f"面向{rng.choice(SCENES)}的{thing}{rng.choice(SUFFIXES)}",
            f"高性能{thing}的{method}与产业化",
        ]
    )
    up, down = rng.sample(METRICS, 2), rng.choice(METRICS_DOWN)
    apps = rng.sample(APPLICATIONS, 2)
    sentences = [
        f"本成果针对{thing}在{rng.choice(SCENES)}中{rng.choice(PROBLEMS)}等问题，"
        f"提出了一种基于{method}的{rng.choice(SUFFIXES)}。",
        f"项目团队围绕{thing}开展了系统研究，突破了{method}与{other_method}相结合的关键技术，"
        f"形成了具有自主知识产权的{rng.choice(PRODUCTS)}。",
        f"经{rng.choice(TESTS)}测试，{up[0]}提升{rng.randint(12, 60)}%，{down}降低{rng.randint(10, 45)}%，"
        f"{up[1]}达到国内领先水平。",
        f"目前已完成{rng.choice(STAGES)}，可应用于{apps[0]}、{apps[1]}等领域，具有良好的市场前景和推广价值。",
        f"拟通过许可或合作实施方式与企业共同推进{thing}的产业化，并提供技术培训与后续升级服务。",
    ]
    summary = "".join(sentences[:4])
    if len(summary) < 150:
        summary += sentences[4]
    description = summary + "".join(
        [
            f"技术路线：以{method}为核心，结合{other_method}，建立了从材料、工艺到系统集成的完整方案。",
            f"主要创新点：一是提出了新的{thing}结构设计；二是建立了{up[0]}在线评价方法；"
            f"三是实现了关键部件国产化。",
            f"合作需求：希望与{apps[0]}领域企业合作，共建中试平台，推动成果在{rng.choice(PLACES)}落地转化。",
        ]
    )
    keywords = list(dict.fromkeys([thing, method, other_method, apps[0]]))
    return title, summary, description, keywords


def patent_number(rng: random.Random) -> str:
    digits = f"{rng.randint(2012, 2025)}{rng.choice('12')}{rng.randint(0, 9999999):07d}"
    return f"ZL{digits}.{patent_check_char(digits)}"


# Writers ---------------------------------------------------------------------------------------------


def organisations(rng: random.Random) -> list[Organisation]:
    """The same ORGANISATIONS organisations every time (names unique), created if missing."""
    names: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    while len(names) < ORGANISATIONS:
        place, discipline, (suffix, kind) = rng.choice(PLACES), rng.choice(DISCIPLINES), rng.choice(KINDS)
        name = f"{place}{discipline}{suffix}"
        if name in seen:
            continue
        seen.add(name)
        names.append((name, f"{place}{discipline}"[:30], kind))
    district = Region.objects.filter(code="370212").first()  # 崂山区 when the reference data has it
    Organisation.objects.bulk_create(
        [Organisation(name=n, short_name="", kind=k, region=district) for n, _, k in names],
        ignore_conflicts=True,
    )
    return list(Organisation.objects.filter(name__in=[n for n, _, _ in names]).order_by("pk"))


def users(orgs: list[Organisation]) -> None:
    password = make_password("bench-password-1")
    rows = [
        User(username="bench-admin", role=Role.BUREAU_ADMIN, password=password, display_name="压测管理员")
    ]
    for i, org in enumerate(orgs[:4]):
        rows.append(
            User(
                username=f"bench-staff-{i}",
                role=Role.ORG_STAFF,
                organisation=org,
                password=password,
                display_name=f"压测员{i}",
            )
        )
    User.objects.bulk_create(rows, ignore_conflicts=True)


STATES = [  # (weight, status, visibility): about 90% published and public
    (90, "published", "public"),
    (3, "published", "registered"),
    (3, "draft", "public"),
    (2, "submitted", "public"),
    (1, "returned", "public"),
    (1, "withdrawn", "public"),
]


def achievements(n: int) -> dict[str, Any]:
    """Organisations, users and n achievements with ways; a tenth get patents and a team."""
    rng = random.Random(SEED)
    started = time.perf_counter()
    orgs = organisations(rng)
    users(orgs)
    leaves = list(TechField.objects.exclude(parent=None).select_related("parent"))
    ways = list(ConversionWay.objects.all())
    Through = Achievement.ways.through
    now = timezone.now()
    weights = [w for w, _, _ in STATES]
    admin = User.objects.get(username="bench-admin")
    made = 0
    while made < n:
        size = min(BATCH, n - made)
        rows = []
        for i in range(made, made + size):
            field = rng.choice(leaves)
            title, summary, description, keywords = title_and_summary(rng, field.parent.code)
            _, status, visibility = rng.choices(STATES, weights)[0]
            published = now - datetime.timedelta(minutes=rng.randint(0, 5 * 365 * 24 * 60))
            price = rng.random()
            low = Decimal(rng.randint(5, 500))
            rows.append(
                Achievement(
                    ref=f"CGB-{i + 1:07d}",
                    organisation=rng.choice(orgs),
                    keywords="，".join(keywords),
                    status=status,
                    visibility=visibility,
                    contact_name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                    contact_phone=f"0532-8{rng.randint(1000000, 9999999)}",
                    contact_email=f"tto{rng.randint(1, 999)}@example.edu.cn",
                    created_by=admin,
                    submitted_at=published if status != "draft" else None,
                    published_at=published if status == "published" else None,
                    title=title,
                    summary=summary,
                    description=description,
                    field=field,
                    trl=rng.randint(1, 9),
                    price_negotiable=price < 0.4,
                    price_min=low if price >= 0.6 else None,
                    price_max=low + rng.randint(0, 300) if price >= 0.6 else None,
                )
            )
        with transaction.atomic():
            created = Achievement.objects.bulk_create(rows, batch_size=500)
            links = [
                Through(achievement_id=a.pk, conversionway_id=w.pk)
                for a in created
                for w in rng.sample(ways, rng.randint(1, 3))
            ]
            Through.objects.bulk_create(links, batch_size=2000)
            patents, team = [], []
            for a in created:
                if rng.random() < 0.1:
                    for number in {patent_number(rng) for _ in range(rng.randint(1, 2))}:
                        kind = "invention" if number[6] == "1" else "utility"
                        patents.append(
                            Patent(
                                achievement=a,
                                number=number,
                                title=a.title[:60],
                                kind=kind,
                                legal_status="granted",
                            )
                        )
                    for k in range(rng.randint(2, 4)):
                        team.append(
                            TeamMember(
                                achievement=a,
                                name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(["", *GIVEN]),
                                title=rng.choice(["教授", "副教授", "研究员", "高级工程师", "讲师"]),
                                is_lead=k == 0,
                                order=k,
                            )
                        )
            Patent.objects.bulk_create(patents, batch_size=1000)
            TeamMember.objects.bulk_create(team, batch_size=1000)
        made += size
        print(f"  seeded {made}/{n}", file=sys.stderr, flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # the state autovacuum reaches soon after a bulk load
    return {"seconds": round(time.perf_counter() - started, 1), **facts()}


def facts() -> dict[str, Any]:
    """What the request mix needs to know: ids to open, codes to filter by, words that occur."""
    visible = Achievement.objects.filter(status="published", visibility="public")
    ids = list(visible.order_by("?").values_list("pk", flat=True)[:500])
    words = sorted({thing for objects, _ in VOCABULARY.values() for thing in objects})
    return {
        "achievements": Achievement.objects.count(),
        "public_published": visible.count(),
        "through_rows": Achievement.ways.through.objects.count(),
        "organisations": Organisation.objects.count(),
        "detail_ids": ids,
        "top_fields": list(TechField.objects.filter(parent=None).values_list("code", flat=True)),
        "leaf_fields": list(TechField.objects.exclude(parent=None).values_list("code", flat=True)),
        "ways": list(ConversionWay.objects.values_list("code", flat=True)),
        "words": words,
    }


def export(n: int, path: str) -> dict[str, Any]:
    """Write n achievements to an xlsx workbook with the platform's own export."""
    from fanxing.core import io

    started = time.perf_counter()
    qs = Achievement.objects.filter(
        pk__in=list(Achievement.objects.order_by("pk").values_list("pk", flat=True)[:n])
    )
    io.records_export("achievements", qs, None, path)
    return {"rows": n, "seconds": round(time.perf_counter() - started, 1), "bytes": os.path.getsize(path)}


def main(argv: list[str]) -> None:
    command = argv[0]
    if command == "achievements":
        result = achievements(int(argv[1]))
        with open(argv[2], "w", encoding="utf-8") as out:
            json.dump(result, out, ensure_ascii=False)
    elif command == "organisations":
        print(json.dumps({"organisations": len(organisations(random.Random(SEED)))}))
    elif command == "export":
        print(json.dumps(export(int(argv[1]), argv[2])))
    elif command == "count":
        print(json.dumps({"achievements": Achievement.objects.count(), "patents": Patent.objects.count()}))
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
