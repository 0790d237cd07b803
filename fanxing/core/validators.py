"""Validators for Chinese identifiers: unified social credit codes and patent numbers."""

import re
from typing import Any

from django.core.exceptions import ValidationError

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_RE = re.compile(r"^[1-9ANY][1-9][0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def uscc_check_char(first17: str) -> str:
    """The 18th character of a unified social credit code (GB 32100-2015)."""
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARS[(31 - total % 31) % 31]


def validate_uscc(value: str) -> None:
    code = value.strip().upper()
    if len(code) != 18:
        raise ValidationError(f"统一社会信用代码应为18位，实际为{len(code)}位", code="uscc_length")
    if not USCC_RE.match(code):
        raise ValidationError("统一社会信用代码含有不允许的字符（不含 I、O、Z、S、V）", code="uscc_chars")
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise ValidationError(f"统一社会信用代码校验位错误：应为 {expected}", code="uscc_check")


PATENT_KINDS = {"1": "invention", "2": "utility", "3": "design", "8": "invention", "9": "utility"}
PATENT_RE = re.compile(r"^(?:ZL|CN)?\s*(\d{4})([12389])(\d{7})\.?([0-9X])$")
PATENT_OLD_RE = re.compile(r"^(?:ZL|CN)?\s*(\d{2})([123])(\d{5})\.?([0-9X])$")


def patent_check_char(digits: str) -> str:
    """Check character of a CNIPA application number: weights 2..9 repeating, mod 11, 10 → X."""
    weights = [2, 3, 4, 5, 6, 7, 8, 9] * 2
    total = sum(int(d) * w for d, w in zip(digits, weights, strict=False))
    rest = total % 11
    return "X" if rest == 10 else str(rest)


def parse_patent_number(value: str) -> tuple[str, str]:
    """Normalise a Chinese patent application number to "ZL202310123456.7".

    Returns (normalised number, patent kind from its type digit). Raises ValidationError naming the fault.
    """
    raw = re.sub(r"\s+", "", value.upper())
    match = PATENT_RE.match(raw)
    if match:
        year, kind, serial, check = match.groups()
        if not 1985 <= int(year) <= 2100:
            raise ValidationError(f"专利申请号年份 {year} 不合理", code="patent_year")
        digits = year + kind + serial
    else:
        match = PATENT_OLD_RE.match(raw)
        if not match:
            raise ValidationError(
                "专利号格式不正确：应为 ZL + 12位数字 + . + 校验位，例如 ZL202310123456.6",
                code="patent_format",
            )
        year, kind, serial, check = match.groups()
        digits = year + kind + serial
    expected = patent_check_char(digits)
    if check != expected:
        raise ValidationError(f"专利号校验位错误：应为 {expected}", code="patent_check")
    return f"ZL{digits}.{check}", PATENT_KINDS[kind]


def validate_patent_number(value: str) -> None:
    parse_patent_number(value)


def validate_amounts(negotiable: bool, low: Any, high: Any, *, prefix: str, label: str) -> None:
    """An amount in 万元 is 面议, one figure (low == high), a range, or not given; errors name the field."""
    errors: dict[str, str] = {}
    if negotiable and (low is not None or high is not None):
        errors[f"{prefix}_min" if low is not None else f"{prefix}_max"] = f"选择{label}面议时不要填写金额"
    elif (low is None) != (high is None):
        errors[f"{prefix}_min" if low is None else f"{prefix}_max"] = (
            f"请同时填写{label}下限和上限（单一金额时两者相同）"
        )
    elif low is not None and low < 0:
        errors[f"{prefix}_min"] = f"{label}不能为负数"
    elif low is not None and high is not None and low > high:
        errors[f"{prefix}_max"] = f"{label}上限（{high}）不能低于下限（{low}）"
    if errors:
        raise ValidationError(errors)
