"""The one place where platform records become techmatch documents and attributes, and back."""

from decimal import Decimal

from fanxing.achievements.models import Achievement
from fanxing.core.models import ConversionWay, Region, TechField
from fanxing.demands.models import Demand
from techmatch.fit import Amount, Attributes, Labels
from techmatch.index import Document

PREFIX = {"achievements": "A", "demands": "D"}


def doc_id(record: Achievement | Demand) -> str:
    return f"{PREFIX['achievements' if isinstance(record, Achievement) else 'demands']}{record.pk}"


def record_pk(document_id: str) -> int:
    return int(document_id[1:])


def query_text(record: Achievement | Demand) -> str:
    """What a record asks for, as the engine reads a query: title, the text, keywords."""
    if isinstance(record, Demand):
        parts = [record.title, record.problem, record.wanted_effect, " ".join(record.keyword_list)]
    else:
        parts = [record.title, record.summary, " ".join(record.keyword_list)]
    return "。".join(p for p in parts if p)


def document(record: Achievement | Demand) -> Document:
    if isinstance(record, Demand):
        text = "。".join(p for p in (record.problem, record.wanted_effect) if p)
    else:
        text = record.description or record.summary
        if record.summary and record.summary not in text:
            text = f"{record.summary}。{text}"
    return Document(id=doc_id(record), title=record.title, text=text, keywords=tuple(record.keyword_list))


def _amount(negotiable: bool, low: Decimal | None, high: Decimal | None) -> Amount:
    return Amount(
        low=float(low) if low is not None else None,
        high=float(high) if high is not None else None,
        negotiable=negotiable,
    )


def attributes(record: Achievement | Demand) -> Attributes:
    """The structured side: field code, TRL (a demand's minimum), price or budget, ways, region."""
    region = record.organisation.region.code if record.organisation.region_id else ""
    ways = frozenset(w.code for w in record.ways.all())
    if isinstance(record, Demand):
        amount = _amount(record.budget_negotiable, record.budget_min, record.budget_max)
        return Attributes(
            field=record.field.code, trl=record.min_trl, amount=amount, ways=ways, region=region
        )
    amount = _amount(record.price_negotiable, record.price_min, record.price_max)
    return Attributes(field=record.field.code, trl=record.trl, amount=amount, ways=ways, region=region)


def labels() -> Labels:
    return Labels(
        fields=dict(TechField.objects.values_list("code", "name")),
        ways=dict(ConversionWay.objects.values_list("code", "name")),
        regions=dict(Region.objects.values_list("code", "name")),
    )
