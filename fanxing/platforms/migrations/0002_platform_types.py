"""The platform types (平台类型) the register starts with; the bureau edits the list in the admin."""

from django.db import migrations

TYPES = (
    "全国重点实验室",
    "国家技术创新中心",
    "国家制造业创新中心",
    "国家工程研究中心",
    "国家企业技术中心",
    "省重点实验室",
    "省技术创新中心",
    "省工程研究中心",
    "省企业技术中心",
    "工程技术研究中心",
    "重点实验室",
    "企业技术中心",
    "新型研发机构",
    "概念验证平台",
    "科技企业孵化器",
    "众创空间",
    "院士工作站",
)


def seed_types(apps, schema_editor):
    PlatformType = apps.get_model("platforms", "PlatformType")
    for i, name in enumerate(TYPES, start=1):
        PlatformType.objects.get_or_create(name=name, defaults={"order": i * 10})


class Migration(migrations.Migration):
    dependencies = [("platforms", "0001_initial")]

    operations = [migrations.RunPython(seed_types, migrations.RunPython.noop)]
