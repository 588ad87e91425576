"""Refuse oversized request bodies before Django reads them, and API writes of the wrong type.

Django streams a multipart upload to a temporary file before any view can look at its size,
so a 2 GB "register" would fill the disk first. The declared Content-Length is checked here
instead, against its path's limit (core/upload_routes.py: each upload path its own, every
other path a small one).
"""

from django.http import HttpResponse, JsonResponse

from winddown.core.upload_routes import body_limit


class BodySizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        declared = request.META.get("CONTENT_LENGTH") or "0"
        size = int(declared) if declared.isdigit() else 0
        limit = body_limit(request.path)
        if size > limit:
            message = (
                f"提交的内容 {size / 2**20:.1f} MB 超过上限 {limit / 2**20:.0f} MB，"
                "请拆分或压缩后重新上传"
            )
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"code": "request.too_large", "message": message, "field": "file"}, status=413
                )
            return HttpResponse(
                f"<!doctype html><meta charset=utf-8><title>文件过大</title><p>{message}</p>",
                status=413,
            )
        return self.get_response(request)


class NulCharacterMiddleware:
    """Form fields and query parameters with a NUL character are refused outright: no text a
    person types contains one, and PostgreSQL cannot store it. (The JSON API validates its
    inputs itself and answers in its own error shape.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            return self.get_response(request)
        content_type = request.META.get("CONTENT_TYPE", "")
        params = [request.GET]
        if request.method == "POST" and content_type.startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            params.append(request.POST)
        for query in params:
            for values in query.lists():
                if any("\x00" in value for value in (values[0], *values[1])):
                    return HttpResponse("请求中含有无效字符（NUL），请检查后重新提交", status=400)
        return self.get_response(request)


API_BODY_TYPES = frozenset({"application/json", "multipart/form-data"})
API_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class ApiContentTypeMiddleware:
    """A write to the API must say it sends JSON (or multipart, for uploads). A web page on
    another site can make a visitor's browser POST `text/plain` or a urlencoded form without
    asking first, but not `application/json` (that needs a CORS preflight, which this API
    never grants); the JSON parser would otherwise read such a body all the same, so any
    website could request SMS codes in its visitors' names. A write without a body passes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/") and request.method in API_WRITE_METHODS:
            content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
            has_body = request.META.get("CONTENT_LENGTH", "") not in ("", "0") or (
                "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
            )
            if has_body and content_type not in API_BODY_TYPES:
                return JsonResponse(
                    {
                        "code": "request.unsupported_media_type",
                        "message": "请以 application/json 发送请求体"
                        "（上传文件用 multipart/form-data）",
                        "field": None,
                    },
                    status=415,
                )
        return self.get_response(request)
