"""The JSON API at /api/v1/ (django-ninja); each app adds its router.

Errors come back as JSON in Chinese: 401 unknown caller, 403 not allowed, 404 not found (or not visible),
422 bad input as {"detail": "...", "errors": {key: [messages]}} naming each key at fault.
The schema is at /api/v1/openapi.json, the browsable docs at /api/v1/docs.
"""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from fanxing.accounts.api import ApiAuth
from fanxing.accounts.api import router as accounts_router
from fanxing.achievements.api import ledger_router
from fanxing.achievements.api import router as achievements_router
from fanxing.competitions.api import router as competitions_router
from fanxing.core.api import alliance_router, organisations_router, reference_router
from fanxing.deals.api import router as contracts_router
from fanxing.deals.api_leads import router as leads_router
from fanxing.deals.api_rewards import router as rewards_router
from fanxing.demands.api import router as demands_router
from fanxing.events.api import router as events_router
from fanxing.managers.api import router as managers_router
from fanxing.matching.api import router as matching_router
from fanxing.platforms.api import router as platforms_router
from fanxing.poc.api import router as poc_router
from fanxing.reports.api import router as reports_router


class ErrorOut(Schema):
    """Every error's body: a sentence in Chinese, and for 422 the messages by key at fault."""

    detail: str
    errors: dict[str, list[str]] | None = None


ERROR_DESCRIPTIONS = {
    400: "请求体不是有效的 JSON",
    401: "未登录（写操作）或 API 令牌无效",
    403: "无权执行该操作，或会话写操作缺少 CSRF 令牌",
    404: "记录不存在或无权查看",
    422: "提交的数据有误：errors 按字段列出原因",
}


def error_statuses(operation: dict[str, Any]) -> list[int]:
    """The errors an operation can answer with: any may be refused (401, 403); one with a body may get one
    that is not JSON (400); one that names a record in its path or body may not find it (404); one that
    takes input may reject it (422)."""
    places = {parameter["in"] for parameter in operation.get("parameters", [])}
    body = "requestBody" in operation
    return [
        401,
        403,
        *([400] if body else []),
        *([404] if "path" in places or body else []),
        *([422] if places or body else []),
    ]


class FanxingAPI(NinjaAPI):
    """NinjaAPI whose schema documents the errors of every operation (ErrorOut) beside its own responses."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema["components"]["schemas"]["ErrorOut"] = ErrorOut.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        body = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status in error_statuses(operation):
                    operation["responses"].setdefault(
                        status, {"description": ERROR_DESCRIPTIONS[status], "content": body}
                    )
        return schema


api = FanxingAPI(
    title="繁星汇 API",
    version="1",
    description=(
        "科技成果、技术需求与机构的开放接口。读取可匿名；写入需登录会话（带 CSRF 令牌）"
        "或 `Authorization: Bearer <API令牌>`。可见范围与保密字段规则与网站一致。"
    ),
    urls_namespace="api",
    auth=ApiAuth(),
)

api.add_router("", accounts_router)
api.add_router("", reference_router)
api.add_router("/organisations", organisations_router)
api.add_router("/organisations", ledger_router)
api.add_router("/achievements", achievements_router)
api.add_router("/demands", demands_router)
api.add_router("/managers", managers_router)
api.add_router("/alliance", alliance_router)
api.add_router("", matching_router)
api.add_router("/leads", leads_router)
api.add_router("/contracts", contracts_router)
api.add_router("/rewards", rewards_router)
api.add_router("/competitions", competitions_router)
api.add_router("/events", events_router)
api.add_router("/poc", poc_router)
api.add_router("/platforms", platforms_router)
api.add_router("", reports_router)


# ---- errors ---------------------------------------------------------------------------------------------

PYDANTIC_MESSAGES = {
    "missing": "必填",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "decimal_max_digits": "数字位数过多",
    "decimal_max_places": "小数位数过多",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文本",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "date_parsing": "应为日期，格式 YYYY-MM-DD",
    "date_from_datetime_parsing": "应为日期，格式 YYYY-MM-DD",
    "date_type": "应为日期，格式 YYYY-MM-DD",
    "datetime_parsing": "应为时间，格式 ISO 8601",
    "json_invalid": "请求体不是有效的 JSON",
    "extra_forbidden": "不支持该字段",
}


def pydantic_message(error: dict[str, Any]) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind in PYDANTIC_MESSAGES:
        return PYDANTIC_MESSAGES[kind]
    if kind in ("less_than_equal", "less_than"):
        return (
            f"不能大于 {ctx.get('le', ctx.get('lt'))}"
            if kind == "less_than_equal"
            else f"应小于 {ctx.get('lt')}"
        )
    if kind in ("greater_than_equal", "greater_than"):
        return f"不能小于 {ctx.get('ge')}" if kind == "greater_than_equal" else f"应大于 {ctx.get('gt')}"
    if kind == "literal_error":
        return f"可选值为 {ctx.get('expected')}"
    if kind == "string_too_long":
        return f"不能超过 {ctx.get('max_length')} 个字符"
    if kind == "too_long":
        return f"最多 {ctx.get('max_length')} 项"
    return "格式不正确"


def error_key(loc: tuple[Any, ...] | list[Any]) -> str:
    """("body", "payload", "patents", 0, "number") → "patents.0.number"; ("query", "page_size") → "page_size"."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "form", "header", "cookie"):
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in ("payload", "filters", "query"):
        parts = parts[1:]
    return ".".join(parts) or "body"


def unprocessable(request: HttpRequest, errors: dict[str, list[str]]) -> HttpResponse:
    summary = "；".join(
        ("" if key == NON_FIELD_ERRORS else f"{key}：") + "，".join(messages)
        for key, messages in errors.items()
    )
    return api.create_response(
        request, {"detail": f"提交的数据有误：{summary}", "errors": errors}, status=422
    )


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(error_key(error.get("loc", ())), []).append(pydantic_message(error))
    return unprocessable(request, errors)


@api.exception_handler(DjangoValidationError)
def on_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
    return unprocessable(request, {key: list(messages) for key, messages in errors.items()})


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "无权执行该操作"}, status=403)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "记录不存在或无权查看"}, status=404)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = exc.message if exc.message != "Unauthorized" else "请先登录或提供有效的 API 令牌"
    return api.create_response(request, {"detail": message}, status=401)


HTTP_ERROR_MESSAGES = {"Cannot parse request body": "请求体不是有效的 JSON"}


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = next((zh for en, zh in HTTP_ERROR_MESSAGES.items() if exc.message.startswith(en)), exc.message)
    return api.create_response(request, {"detail": message}, status=exc.status_code)


@csrf_exempt
def not_found(request: HttpRequest) -> HttpResponse:
    """Any other address under /api/ (an id that is not a number, a typo): 404 in JSON, not the site's page."""
    return api.create_response(request, {"detail": f"接口地址不存在：{request.path}"}, status=404)
