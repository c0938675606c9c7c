"""Requests no page can serve, refused with a 400 that says why, before they reach a view."""
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import Template
from django.template.context import RequestContext

NUL = "\x00"

_PAGE = Template(
    '{% extends "base.html" %}{% block title %}Bad request{% endblock %}{% block content %}'
    '<section class="box"><h1>Bad request</h1><p class="error">{{ message }}</p>'
    '<p><a href="{% url \'dashboard\' %}">Back to the unanswered requirements</a></p></section>{% endblock %}'
)


def nul_in(request: HttpRequest) -> str:
    """Where the request holds a NUL character, in words ("the parameter 'q'"); "" where it holds none. The
    address, and every name and value of the query string and of a submitted form; not an uploaded file's
    content, which may hold any byte (an import reads it as bytes and reports what it cannot store)."""
    if NUL in request.path:
        return "The address"
    forms = [request.GET]
    if request.method == "POST":  # form-encoded or multipart only: Django parses no other body into POST
        forms.append(request.POST)
    for form in forms:
        for name, values in form.lists():
            if NUL in name or any(NUL in value for value in values):
                shown = name.replace(NUL, "\\x00")
                return f"The parameter '{shown}'"
    return ""


class RefuseNulMiddleware:
    """PostgreSQL cannot store or even compare text holding a NUL character (\\x00): a search, a reference ID,
    a note with one failed with a 500. Any such request is answered 400, naming the parameter, on every page
    and in the API, after the CSRF check and the login requirement (listed after them, it runs after them)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        where = nul_in(request)
        if not where:
            return None
        message = (f"{where} holds a NUL character (\\x00, %00), which no text here may hold: remove it and try "
                   f"again.")
        if request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
            return JsonResponse({"detail": message}, status=400)
        return HttpResponse(_PAGE.render(RequestContext(request, {"message": message})), status=400)
