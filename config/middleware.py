"""Response rules for the whole site that Django leaves to the server or has no setting for."""

import math
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from rest_framework.throttling import AnonRateThrottle

from publishing.cache import signed_in

Handler = Callable[[HttpRequest], HttpResponse]


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


class ApiThrottleMiddleware:
    """Rate-limits anonymous API clients before the page cache answers, so that repeating a
    cached request counts too. DRF's own throttle would only see requests that miss the cache;
    this uses the same rate (REST_FRAMEWORK's DEFAULT_THROTTLE_RATES["anon"])."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/") and not signed_in(request):
            throttle = AnonRateThrottle()
            if not throttle.allow_request(request, None):
                wait = math.ceil(throttle.wait() or 1)
                response = JsonResponse(
                    {"detail": f"Too many requests: try again in {wait} seconds."}, status=429
                )
                response["Retry-After"] = str(wait)
                return response
        return self.get_response(request)
