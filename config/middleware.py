"""Response fixes that Django leaves to the server or has no setting for."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

Handler = Callable[[HttpRequest], HttpResponse]


class PermissionsPolicyMiddleware:
    """Sends a Permissions-Policy that refuses every feature in PERMISSIONS_POLICY_DENIED."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.policy = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DENIED)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.policy)
        return response


class HeadWithoutBodyMiddleware:
    """Answers HEAD with the headers of GET and no body.

    Django renders the body and leaves dropping it to the server; gunicorn drops it but logs
    a warning each time, and uptime monitors send HEAD all day. Placed above CommonMiddleware,
    which has by then set the Content-Length of the full body, as HEAD must report.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method == "HEAD" and not response.streaming:
            response.content = b""
        return response
