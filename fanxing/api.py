"""The JSON API at /api/v1/ (django-ninja); each app adds its router."""

from ninja import NinjaAPI

api = NinjaAPI(title="繁星汇 API", version="1", urls_namespace="api")
