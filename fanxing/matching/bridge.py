"""The one place where platform records become techmatch documents and attributes, and back.

Document ids carry a one-letter prefix naming the kind of record: A achievement, D demand, M technology
manager, E expert, O organisation (an enterprise). `record_pk` reads the primary key back.
"""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from fanxing.achievements.models import Achievement
from fanxing.core.models import ConversionWay, Organisation, Region, TechField
from fanxing.core.workflow import split_keywords
from fanxing.demands.models import Demand
from fanxing.managers.models import ExpertProfile, ManagerProfile
from techmatch.fit import Amount, Attributes, Labels
from techmatch.index import Document

PREFIX = {"achievements": "A", "demands": "D", "managers": "M", "experts": "E", "enterprises": "O"}
KIND_OF_PREFIX = {letter: kind for kind, letter in PREFIX.items()}
MODELS: dict[type, str] = {
    Achievement: "achievements",
    Demand: "demands",
    ManagerProfile: "managers",
    ExpertProfile: "experts",
    Organisation: "enterprises",
}


def doc_id(record: Any) -> str:
    return f"{PREFIX[MODELS[type(record)]]}{record.pk}"


def record_pk(document_id: str) -> int:
    return int(document_id[1:])


def doc_kind(document_id: str) -> str:
    """ "managers" for "M12", "experts" for "E3", ...: which kind of record a document id stands for."""
    return KIND_OF_PREFIX.get(document_id[:1], "")


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


def field_names(fields: Sequence[TechField]) -> list[str]:
    """The names of fields and of their parents, once each ("海洋科学与工程", "水产养殖与渔业", ...)."""
    names: dict[str, None] = {}
    for field in fields:
        if field.parent_id:
            names[field.parent.name] = None
        names[field.name] = None
    return list(names)


def person_document(profile: ManagerProfile | ExpertProfile) -> Document:
    """A manager or an expert: name, specialty field names (as keywords), 专长 and bio (as text)."""
    fields = field_names(list(profile.specialty_fields.all()))
    text = "。".join(p for p in (profile.specialties, profile.bio) if p)
    return Document(id=doc_id(profile), title=profile.name, text=text, keywords=tuple(fields))


def enterprise_document(organisation: Organisation, demands: Sequence[Demand]) -> Document:
    """An enterprise: name, description, and the title, problem and keywords of its published demands;
    the fields of those demands are its keywords."""
    parts = [organisation.description] + [f"{d.title}。{d.problem}" for d in demands]
    keywords = [k for d in demands for k in d.keyword_list] + field_names([d.field for d in demands])
    return Document(
        id=doc_id(organisation),
        title=organisation.name,
        text="。".join(p for p in parts if p),
        keywords=tuple(dict.fromkeys(keywords)),
    )


def specialty_phrases(profile: ManagerProfile | ExpertProfile) -> list[str]:
    """A profile's 专长 as the phrases the person typed."""
    return split_keywords(profile.specialties)


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
