"""Default reference data, loaded into editable tables by migration 0002 and by `fanxing demo`.

Administrators change these in the back office; code refers to them by code, never by name.
"""

TECH_FIELDS: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "vr",
        "虚拟现实",
        [("vr.device", "近眼显示与终端"), ("vr.content", "内容制作与交互"), ("vr.app", "行业应用")],
    ),
    (
        "ai",
        "人工智能",
        [
            ("ai.model", "大模型与算法"),
            ("ai.vision", "计算机视觉"),
            ("ai.nlp", "自然语言处理"),
            ("ai.compute", "算力与芯片"),
        ],
    ),
    (
        "ict",
        "新一代信息技术",
        [
            ("ict.comm", "通信与网络"),
            ("ict.electronics", "电子与集成电路"),
            ("ict.optics", "光电与光学工程"),
            ("ict.software", "软件与信息服务"),
            ("ict.geo", "测绘与地理信息"),
        ],
    ),
    (
        "mbio",
        "海洋生物医药",
        [("mbio.drug", "海洋药物"), ("mbio.product", "海洋生物制品"), ("mbio.food", "海洋功能食品")],
    ),
    (
        "bio",
        "生物医药与大健康",
        [
            ("bio.drug", "化学药与生物药"),
            ("bio.tcm", "中医药"),
            ("bio.clinical", "临床医学与诊疗"),
            ("bio.device", "医疗器械"),
            ("bio.life", "生物技术"),
            ("bio.health", "公共卫生与健康"),
        ],
    ),
    (
        "smart",
        "智能制造与工业互联网",
        [
            ("smart.equipment", "高端装备"),
            ("smart.mech", "机械设计与制造"),
            ("smart.control", "自动化与控制"),
            ("smart.iiot", "工业互联网"),
            ("smart.defense", "兵器与特种装备"),
            ("smart.aero", "航空航天"),
        ],
    ),
    (
        "nem",
        "新能源与新材料",
        [
            ("nem.energy", "新能源"),
            ("nem.power", "电气与储能"),
            ("nem.material", "先进材料"),
            ("nem.chem", "化学与化工"),
            ("nem.metal", "冶金与金属材料"),
            ("nem.nuclear", "核技术"),
        ],
    ),
    (
        "marine",
        "海洋科学与工程",
        [
            ("marine.ship", "船舶与海洋工程"),
            ("marine.science", "海洋科学与观测"),
            ("marine.fishery", "水产养殖与渔业"),
        ],
    ),
    (
        "agri",
        "现代农业与食品",
        [
            ("agri.food", "食品科学与工程"),
            ("agri.horti", "园艺与作物"),
            ("agri.engineering", "农业工程与装备"),
            ("agri.animal", "畜牧兽医"),
            ("agri.forest", "林业与资源利用"),
        ],
    ),
    (
        "env",
        "节能环保",
        [("env.pollution", "污染治理"), ("env.energy", "节能与热工"), ("env.climate", "气象与气候")],
    ),
    (
        "civil",
        "交通与土木工程",
        [("civil.transport", "交通运输"), ("civil.structure", "土木与建筑"), ("civil.water", "水利工程")],
    ),
    (
        "earth",
        "资源与地球科学",
        [
            ("earth.geology", "地质与勘探"),
            ("earth.petroleum", "石油与天然气"),
            ("earth.mining", "矿业工程"),
            ("earth.mechanics", "力学与基础科学"),
        ],
    ),
    ("textile", "纺织与轻工", [("textile.fibre", "纺织科学与工程")]),
    ("other", "其他", []),
]

CONVERSION_WAYS: list[tuple[str, str, str]] = [
    ("transfer", "转让", "向他人转让该科技成果（专利权、专利申请权、技术秘密）"),
    ("licence", "许可", "许可他人使用该科技成果（独占、排他、普通许可）"),
    ("equity", "作价投资", "以该科技成果作价投资，折算股份或者出资比例"),
    ("joint", "合作实施", "以该科技成果作为合作条件，与他人共同实施转化"),
    ("self", "自行实施", "自行投资实施转化"),
    ("development", "技术开发", "委托开发或合作开发"),
    ("service", "技术服务", "技术服务、技术咨询与培训"),
    ("other", "其他", "双方协商确定的其他方式"),
]

TRL_LEVELS: list[tuple[int, str, str]] = [
    (1, "基本原理清晰", "研发阶段"),
    (2, "形成技术概念或应用设想", "研发阶段"),
    (3, "关键功能/特性的概念验证", "研发阶段"),
    (4, "实验室环境下验证", "小试"),
    (5, "相关环境下部件验证", "小试"),
    (6, "相关环境下系统/样机演示", "中试"),
    (7, "实际使用环境下样机演示", "中试"),
    (8, "系统完成并通过试验验证", "小批量生产"),
    (9, "实际应用中得到验证", "产业化"),
]

# Provinces, Shandong's cities and Qingdao's districts (GB/T 2260); add others in the back office.
PROVINCES = [
    ("110000", "北京市"),
    ("120000", "天津市"),
    ("130000", "河北省"),
    ("140000", "山西省"),
    ("150000", "内蒙古自治区"),
    ("210000", "辽宁省"),
    ("220000", "吉林省"),
    ("230000", "黑龙江省"),
    ("310000", "上海市"),
    ("320000", "江苏省"),
    ("330000", "浙江省"),
    ("340000", "安徽省"),
    ("350000", "福建省"),
    ("360000", "江西省"),
    ("370000", "山东省"),
    ("410000", "河南省"),
    ("420000", "湖北省"),
    ("430000", "湖南省"),
    ("440000", "广东省"),
    ("450000", "广西壮族自治区"),
    ("460000", "海南省"),
    ("500000", "重庆市"),
    ("510000", "四川省"),
    ("520000", "贵州省"),
    ("530000", "云南省"),
    ("540000", "西藏自治区"),
    ("610000", "陕西省"),
    ("620000", "甘肃省"),
    ("630000", "青海省"),
    ("640000", "宁夏回族自治区"),
    ("650000", "新疆维吾尔自治区"),
    ("710000", "台湾省"),
    ("810000", "香港特别行政区"),
    ("820000", "澳门特别行政区"),
]
SHANDONG_CITIES = [
    ("370100", "济南市"),
    ("370200", "青岛市"),
    ("370300", "淄博市"),
    ("370400", "枣庄市"),
    ("370500", "东营市"),
    ("370600", "烟台市"),
    ("370700", "潍坊市"),
    ("370800", "济宁市"),
    ("370900", "泰安市"),
    ("371000", "威海市"),
    ("371100", "日照市"),
    ("371300", "临沂市"),
    ("371400", "德州市"),
    ("371500", "聊城市"),
    ("371600", "滨州市"),
    ("371700", "菏泽市"),
]
QINGDAO_DISTRICTS = [
    ("370202", "市南区"),
    ("370203", "市北区"),
    ("370211", "黄岛区"),
    ("370212", "崂山区"),
    ("370213", "李沧区"),
    ("370214", "城阳区"),
    ("370215", "即墨区"),
    ("370281", "胶州市"),
    ("370283", "平度市"),
    ("370285", "莱西市"),
]

LAOSHAN = "370212"


def load_defaults(apps) -> None:  # type: ignore[no-untyped-def]
    """Create the reference data that is missing; never overwrite what administrators changed."""
    TechField = apps.get_model("core", "TechField")
    ConversionWay = apps.get_model("core", "ConversionWay")
    TrlLevel = apps.get_model("core", "TrlLevel")
    Region = apps.get_model("core", "Region")
    for i, (code, name, children) in enumerate(TECH_FIELDS):
        parent, _ = TechField.objects.get_or_create(code=code, defaults={"name": name, "order": i * 10})
        for j, (child_code, child_name) in enumerate(children):
            TechField.objects.get_or_create(
                code=child_code, defaults={"name": child_name, "parent": parent, "order": i * 10 + j + 1}
            )
    for i, (code, name, description) in enumerate(CONVERSION_WAYS):
        ConversionWay.objects.get_or_create(
            code=code, defaults={"name": name, "description": description, "order": i}
        )
    for level, name, stage in TRL_LEVELS:
        TrlLevel.objects.get_or_create(level=level, defaults={"name": name, "stage": stage})
    provinces = {
        code: Region.objects.get_or_create(code=code, defaults={"name": name, "level": 1})[0]
        for code, name in PROVINCES
    }
    cities = {
        code: Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": 2, "parent": provinces["370000"]}
        )[0]
        for code, name in SHANDONG_CITIES
    }
    for code, name in QINGDAO_DISTRICTS:
        Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": 3, "parent": cities["370200"]}
        )
