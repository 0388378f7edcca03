"""The knowledge loop's pages: drafts waiting, one article to edit and publish, and the article search every
reply box embeds (an htmx partial)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from freightdesk.accounts.capabilities import Capability, capability_required, has_capability
from freightdesk.core.errors import DomainError

from . import selectors
from .articles import edit_article, may_edit, may_publish, publish_article
from .models import Article

QUERY_MAX = 100


def access_article_for(user, pk: int) -> Article:
    """A draft is seen by its author and by supervisors; a published article by whoever looks up phrases."""
    article = Article.objects.select_related("author__profile", "published_by__profile").filter(pk=pk).first()
    if article is None:
        raise Http404
    if article.is_draft:
        if article.author_id != user.pk and not has_capability(user, Capability.PUBLISH_ARTICLES):
            raise Http404
    elif not has_capability(user, Capability.LOOK_UP_PHRASES):
        raise Http404
    return article


@capability_required(Capability.DRAFT_ARTICLES)
@require_GET
def drafts(request):
    """Drafts waiting for a supervisor: all of them for a supervisor, one's own for an agent."""
    may_publish_all = has_capability(request.user, Capability.PUBLISH_ARTICLES)
    rows = selectors.drafts_for(request.user, may_publish_all=may_publish_all)
    return render(request, "knowledge/drafts.html", {"rows": rows, "reviewer": may_publish_all})


@capability_required(Capability.DRAFT_ARTICLES)
@require_http_methods(["GET", "POST"])
def article(request, pk: int):
    """Edit an article (the author his draft, a supervisor any); nothing is saved when the input is refused."""
    item = access_article_for(request.user, pk)
    error, status = None, 200
    if request.method == "POST":
        try:
            edit_article(
                article=item, by=request.user, title=request.POST.get("title", ""), body=request.POST.get("body", "")
            )
        except DomainError as exc:
            error, status = exc, exc.http_status
            item.refresh_from_db()
            item.title, item.body = request.POST.get("title", "")[:200], request.POST.get("body", "")[:6000]
        else:
            messages.success(request, _("Article saved."))
            return redirect("knowledge:article", pk=item.pk)
    context = {
        "article": item,
        "error": error,
        "can_edit": may_edit(request.user, item),
        "can_publish": may_publish(request.user, item),
    }
    return render(request, "knowledge/article.html", context, status=status)


@capability_required(Capability.PUBLISH_ARTICLES)
@require_POST
def publish(request, pk: int):
    item = access_article_for(request.user, pk)
    try:
        publish_article(article=item, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        context = {"article": item, "error": exc, "can_edit": may_edit(request.user, item), "can_publish": False}
        return render(request, "knowledge/article.html", context, status=exc.http_status)
    messages.success(request, _("Article published: agents find it from their reply boxes."))
    return redirect("knowledge:drafts")


@capability_required(Capability.LOOK_UP_PHRASES)
@require_GET
def reply_search(request):
    """Published articles for the search box beside a reply box (htmx partial): the bigram search."""
    q = request.GET.get("q", "").strip()[:QUERY_MAX]
    context = {"q": q, "articles": selectors.search_articles(q, limit=8) if q else [], "target": ""}
    return render(request, "knowledge/_reply_search.html#kb-results", context)
