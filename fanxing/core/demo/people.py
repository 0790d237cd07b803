"""The demo's technology managers (技术经理人) and expert reviewers (评审专家), spread over the district's fields.

Each row: username, name, level or title, where they work, specialty field codes (fanxing.core.reference),
专长, bio. The first manager and the first expert are the printed demo logins `manager` and `expert`.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class PersonSpec:
    username: str
    name: str
    grade: str  # a manager's level code, or an expert's title
    affiliation: str
    fields: tuple[str, ...]
    specialties: str
    bio: str


# fmt: off
MANAGERS: tuple[PersonSpec, ...] = (
    PersonSpec("manager", "陈思远", "senior", "崂山区技术转移服务中心", ("marine.fishery", "mbio.product", "mbio.food"),
               "海水养殖、养殖尾水处理、水产病害防控、水产品精深加工、海洋功能食品、技术许可谈判",
               "从事涉海科技成果转化十余年，促成对虾、海参养殖及尾水治理技术许可二十余项，熟悉水产企业的技术需求与投资习惯。"),
    PersonSpec("mgr02", "林晓燕", "intermediate", "中国海洋大学科技成果转化中心", ("mbio.drug", "bio.drug", "mbio.product"),
               "海洋药物、海洋活性物质、成药性评价、创新药专利许可、临床前研究外包资源对接",
               "药学硕士，负责海洋药物方向成果的评估与推介，对接过多家创新药企的许可与合作开发项目。"),
    PersonSpec("mgr03", "王海涛", "senior", "青岛大学技术转移中心", ("bio.clinical", "bio.device", "bio.health"),
               "临床诊疗技术、医疗器械注册申报、医院科研成果作价投资、慢病管理、公共卫生服务",
               "长期服务附属医院的成果转化，熟悉医疗器械注册流程和医疗机构成果作价入股的审批要求。"),
    PersonSpec("mgr04", "张明哲", "intermediate", "崂山区技术经理人协会", ("bio.tcm", "agri.food", "mbio.food"),
               "中药配方、中药提取工艺、药食同源产品、功能食品开发、中药材种植基地对接",
               "中药学背景，擅长把中药复方和提取工艺成果对接给保健食品与中药饮片企业。"),
    PersonSpec("mgr05", "刘佳琪", "junior", "青岛星桥知识产权代理有限公司", ("nem.material", "nem.chem"),
               "新材料专利布局、专利分析、高分子材料改性、防腐涂层、技术秘密保护",
               "专利代理师，为材料类成果提供专利布局与可转让性分析，协助起草许可合同的知识产权条款。"),
    PersonSpec("mgr06", "赵子轩", "senior", "青岛科技大学技术转移中心", ("nem.material", "nem.chem", "textile.fibre"),
               "橡胶与高分子材料产业化、复合材料、化工工艺包、中试放大、纺织新材料",
               "化工工程师出身，组织过多项橡胶助剂与高分子复合材料成果的中试放大和工艺包转让。"),
    PersonSpec("mgr07", "孙浩然", "intermediate", "崂山区人工智能与虚拟现实概念验证中心", ("ai.vision", "ai.model", "vr.app"),
               "计算机视觉、工业视觉检测、图像识别、深度学习模型授权、虚拟现实行业应用",
               "负责人工智能方向的概念验证项目，帮助算法团队把模型落地到质检、安防和文旅场景。"),
    PersonSpec("mgr08", "周宇", "junior", "崂山区技术转移服务中心", ("ict.software", "ict.comm", "ai.compute"),
               "软件著作权交易、物联网通信、无线网络、信息系统集成、算力服务",
               "计算机专业毕业，主要对接软件与通信类成果，熟悉软件著作权登记与技术服务合同。"),
    PersonSpec("mgr09", "吴敏", "intermediate", "山东大学（青岛）技术转移中心", ("ict.electronics", "ict.optics"),
               "集成电路、传感器芯片、激光器件、光纤传感、光电检测",
               "微电子背景，服务电子与光电方向的课题组，促成多项传感器芯片和光纤传感技术的合作开发。"),
    PersonSpec("mgr10", "郑志远", "senior", "崂山区智能制造概念验证中心", ("smart.mech", "smart.equipment", "smart.control"),
               "高端装备、工业机器人、数控加工、自动化产线改造、机械结构优化",
               "曾任装备制造企业技术总监，熟悉制造企业的工艺痛点，擅长组织产学研联合攻关。"),
    PersonSpec("mgr11", "冯建文", "intermediate", "北京航空航天大学青岛研究院", ("smart.aero", "smart.defense", "smart.control"),
               "无人机、航空部件、飞行控制、特种装备、军民两用技术转化",
               "负责研究院航空与特种装备方向的成果推广，熟悉军民两用技术的转化与保密要求。"),
    PersonSpec("mgr12", "杨立新", "intermediate", "中国石油大学（华东）技术转移中心", ("earth.petroleum", "earth.geology", "earth.mining"),
               "油气开采、储层改造、提高采收率、地质勘探、矿山安全",
               "石油工程背景，服务油田企业的技术需求，对接过压裂、采油和地质建模等多项技术。"),
    PersonSpec("mgr13", "黄思雨", "junior", "青岛农业大学技术转移中心", ("agri.horti", "agri.forest"),
               "作物育种、植物新品种权转让、设施园艺、病虫害绿色防控、林业资源综合利用",
               "农学硕士，协助育种团队办理品种权转让，熟悉种业企业和合作社的需求。"),
    PersonSpec("mgr14", "何俊峰", "intermediate", "青岛市农业科学研究院", ("agri.animal", "agri.engineering", "agri.food"),
               "畜禽养殖、动物疫病防控、饲料配方、农机装备、农产品加工保鲜",
               "从事农业科技推广工作多年，熟悉畜牧养殖企业和农机企业的技术改造需求。"),
    PersonSpec("mgr15", "马晓东", "senior", "崂山区技术转移服务中心", ("env.pollution", "env.energy", "env.climate"),
               "污水处理、固废资源化、VOCs治理、节能改造、合同能源管理、碳排放核算",
               "环境工程高级工程师，组织过多个园区污水与固废治理项目的技术对接和示范应用。"),
    PersonSpec("mgr16", "罗婉清", "intermediate", "青岛理工大学技术转移中心", ("civil.structure", "civil.transport", "civil.water"),
               "建筑结构加固、绿色建材、交通基础设施检测、桥梁健康监测、海绵城市",
               "土木工程背景，服务建筑与交通方向的课题组，熟悉工程类成果的示范应用与标准编制。"),
    PersonSpec("mgr17", "梁国庆", "junior", "自然资源部第一海洋研究所", ("marine.science", "ict.geo", "env.climate"),
               "海洋观测、海洋调查装备、遥感与地理信息、海洋气象预报",
               "海洋技术专业毕业，负责观测仪器与遥感数据产品的推广应用。"),
    PersonSpec("mgr18", "宋海宁", "intermediate", "山东省科学院海洋仪器仪表研究所", ("marine.ship", "marine.science", "ict.optics"),
               "船舶与海洋工程装备、海洋传感器、水下机器人、海洋监测仪器",
               "从事海洋仪器的研发管理与成果转化，对接过多家船舶与海工装备企业。"),
    PersonSpec("mgr19", "唐春梅", "intermediate", "中国科学院青岛生物能源与过程研究所", ("nem.power", "nem.energy", "bio.life"),
               "储能电池、锂电池材料、新能源、生物基材料、合成生物技术",
               "化学博士，负责储能与生物制造方向的成果转化，熟悉新能源企业的中试和投资需求。"),
    PersonSpec("mgr20", "谢振兴", "junior", "崂山区技术经理人协会", ("nem.metal", "earth.mechanics", "nem.nuclear"),
               "金属材料、冶金工艺、精密测量、力学测试、核技术应用",
               "材料与力学专业背景，协助金属材料和检测技术类成果的评价与推介。"),
)

EXPERTS: tuple[PersonSpec, ...] = (
    PersonSpec("expert", "吴振华", "教授", "中国海洋大学", ("marine.fishery", "mbio.product"),
               "海水养殖病害防控、养殖水环境调控、尾水处理、海洋生物资源利用",
               "长期从事海水养殖与水产病害研究，主持国家重点研发计划项目，任多个省级成果评价专家。"),
    PersonSpec("exp02", "李建国", "研究员", "中国科学院海洋研究所", ("marine.science", "nem.material"),
               "海洋腐蚀与防护、防污涂层、海洋环境监测",
               "研究海洋材料腐蚀与防护三十年，参与多项海工装备防腐标准制定。"),
    PersonSpec("exp03", "陈静", "主任医师、教授", "青岛大学附属医院", ("bio.clinical", "bio.device", "bio.health"),
               "心血管疾病诊疗、医疗器械临床评价、临床试验设计",
               "临床医学专家，担任医疗器械临床试验机构主要研究者，熟悉器械的临床评价要求。"),
    PersonSpec("exp04", "刘洋", "教授", "中国海洋大学医药学院", ("mbio.drug", "bio.drug", "bio.tcm"),
               "海洋药物化学、中药与天然药物、新药药理与毒理评价",
               "从事海洋药物与天然药物研究，参与多个一类新药的临床前研究。"),
    PersonSpec("exp05", "张丽", "教授", "青岛科技大学", ("nem.material", "nem.chem", "textile.fibre"),
               "高分子材料、橡胶复合材料、绿色化工工艺",
               "高分子材料领域专家，长期与轮胎、橡胶制品企业合作开展技术攻关。"),
    PersonSpec("exp06", "王强", "教授", "山东大学（青岛）", ("ai.vision", "ai.model", "ict.software"),
               "机器学习、计算机视觉、大模型应用评测、软件工程",
               "人工智能方向教授，参与多项智能制造与智慧医疗项目的技术评审。"),
    PersonSpec("exp07", "赵刚", "正高级工程师", "青岛智能装备研究院", ("smart.mech", "smart.equipment", "smart.control"),
               "数控装备、工业机器人、智能产线规划、设备可靠性",
               "在装备制造企业从事研发二十余年，主持多条智能产线的设计与验收。"),
    PersonSpec("exp08", "孙芳", "教授", "青岛农业大学", ("agri.horti", "agri.food", "agri.forest"),
               "果蔬采后保鲜、作物育种、农产品加工",
               "园艺学教授，长期开展果蔬育种与采后保鲜研究，服务本地农业龙头企业。"),
    PersonSpec("exp09", "周博", "研究员", "中国科学院青岛生物能源与过程研究所", ("nem.power", "nem.energy"),
               "固态电池、储能系统安全、锂电池材料",
               "储能材料研究员，参与多项固态电池技术的中试与产业化评估。"),
    PersonSpec("exp10", "郭敏", "教授", "青岛理工大学", ("env.pollution", "civil.structure", "civil.water"),
               "水污染控制工程、环境功能材料、海绵城市建设",
               "环境工程教授，担任市级生态环境专家库成员，参与多个污水处理工程的技术论证。"),
    PersonSpec("exp11", "徐志远", "教授", "中国石油大学（华东）", ("earth.petroleum", "earth.geology", "earth.mining"),
               "油气田开发、储层地质、非常规油气",
               "石油工程教授，长期为油田企业提供开发方案评审与技术咨询。"),
    PersonSpec("exp12", "高宇", "研究员", "山东省科学院海洋仪器仪表研究所", ("ict.optics", "ict.electronics", "marine.ship"),
               "光电传感、海洋监测仪器、水下光学成像",
               "海洋仪器研究员，主持多型海洋光学传感器的研制与海上试验。"),
)
# fmt: on
