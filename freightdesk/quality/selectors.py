"""Call-review reads: an agent's own reviews; averages per agent for the reports."""

from django.db.models import Avg, Count, QuerySet

from .models import STAGES, CallReview


def reviews_of(agent) -> QuerySet[CallReview]:
    return CallReview.objects.filter(agent=agent).select_related("reviewer__profile", "ticket")


def stage_averages() -> dict:
    """Each stage's mean score, as annotations named for the stages."""
    return {stage: Avg(stage) for stage in STAGES}


def averages_by_agent(start=None, end=None) -> list[dict]:
    rows = CallReview.objects.all()
    if start:
        rows = rows.filter(reviewed_at__gte=start)
    if end:
        rows = rows.filter(reviewed_at__lt=end)
    return list(
        rows.values("agent__username", "agent__profile__agent_id")
        .annotate(
            reviews=Count("id"),
            average=Avg("average"),
            **stage_averages(),
            observation=Avg("observation_rate"),
        )
        .order_by("agent__username")
    )
