"""Phrase and article search, and the banned-phrase check an agent's reply box calls as he types."""

from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from freightdesk.accounts.capabilities import Capability, capability_required

from . import selectors
from .banned import check_reply


@capability_required(Capability.LOOK_UP_PHRASES)
@require_GET
def search(request):
    q = request.GET.get("q", "").strip()[:100]
    context = {"q": q, "phrases": selectors.search_phrases(q), "articles": selectors.search_articles(q)}
    if not q:
        context["phrases"] = selectors.phrases_for_category(request.GET.get("category", ""))
    template = "knowledge/search.html#results" if request.htmx else "knowledge/search.html"
    return render(request, template, context)


@capability_required(Capability.LOOK_UP_PHRASES)
@require_POST
def check(request):
    """A gentle warning under the reply box (htmx): which banned phrases, and what to say instead."""
    text = request.POST.get("reply", "") or request.POST.get("text", "")
    return render(request, "knowledge/check.html", {"hits": check_reply(text[:5000])})
