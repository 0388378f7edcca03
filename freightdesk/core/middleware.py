"""Request-wide guard of core.cleaning: a path or query string holding a control character or a lone
surrogate never reaches a view (PostgreSQL refuses NUL in a query; no serial, token or filter holds one).

The path: 404 (nothing has such a name). The query string: the API answers 422 naming the parameter,
a page 400 with the reason. Bodies are checked field by field by the schemas and forms.
"""

from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

from .cleaning import has_bad_character

API_PREFIX = "/api/"


class RefuseNonTextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_bad_character(request.path_info):
            if request.path_info.startswith(API_PREFIX):
                return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
            raise Http404
        bad = [key for key, values in request.GET.lists() if any(map(has_bad_character, [key, *values]))]
        if bad:
            message = _("This value holds a control character; remove it.")
            if request.path_info.startswith(API_PREFIX):
                return JsonResponse({"errors": {key: [message] for key in bad}}, status=422)
            return HttpResponseBadRequest(message)
        return self.get_response(request)
