"""The public one-page survey (no login: the unguessable token in the SMS link is the key)."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from freightdesk.accounts.roles import public_view
from freightdesk.core.errors import DomainError

from . import services
from .forms import form_for
from .models import Survey


@public_view  # the customer has no login: the unguessable, expiring token is the key
@require_http_methods(["GET", "POST"])
def answer(request, token: str):
    survey = Survey.objects.select_related("ticket", "order").filter(token=token).first()
    if survey is None or survey.answered_at or survey.expires_at <= timezone.now():
        return render(request, "surveys/closed.html", {"survey": survey}, status=410 if survey else 404)
    form = form_for(survey, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_survey(token=token, **form.cleaned_data)
        except DomainError as exc:
            return render(request, "surveys/closed.html", {"survey": survey, "reason": exc.message}, status=410)
        return render(request, "surveys/thanks.html", {"survey": survey})
    return render(request, "surveys/answer.html", {"survey": survey, "form": form})
