"""SPEC §11: a supervisor scores a call on five stages; agents see their own reviews only."""

import pytest
from django.urls import reverse

from freightdesk.core.errors import DomainError, NotAllowed
from freightdesk.quality.models import CallReview
from freightdesk.quality.selectors import averages_by_agent
from freightdesk.quality.services import review_call

pytestmark = pytest.mark.django_db
SCORES = {"greeting": 5, "entry": 4, "transformation": 3, "agreement": 4, "closing": 5}


def test_supervisor_scores_five_stages_and_the_average_feeds_the_report(user_for):
    review = review_call(reviewer=user_for("supervisor"), agent=user_for("agent"), scores=SCORES,
                         checklist={"three_rings": True, "bogus": True}, comments="开场白标准")
    assert str(review.average) == "4.20" and review.checklist == {"three_rings": True}
    row = averages_by_agent()[0]
    assert row["agent__username"] == "8011" and row["reviews"] == 1 and float(row["average"]) == 4.2


def test_only_supervisors_review_and_scores_must_be_1_to_5(user_for):
    with pytest.raises(NotAllowed):
        review_call(reviewer=user_for("agent"), agent=user_for("agent"), scores=SCORES)
    with pytest.raises(DomainError) as err:
        review_call(reviewer=user_for("supervisor"), agent=user_for("agent"), scores={**SCORES, "closing": 6})
    assert err.value.field == "closing" and CallReview.objects.count() == 0


def test_each_agent_sees_only_his_own_reviews(client, user_for):
    from django.contrib.auth import get_user_model

    other = get_user_model().objects.get(username="8012")
    review_call(reviewer=user_for("supervisor"), agent=user_for("agent"), scores=SCORES, comments="本人的点评")
    review_call(reviewer=user_for("supervisor"), agent=other, scores=SCORES, comments="别人的点评")
    client.force_login(user_for("agent"))
    page = client.get(reverse("quality:mine")).content.decode()
    assert "本人的点评" in page and "别人的点评" not in page
    assert client.get(reverse("quality:new")).status_code == 403


def test_the_review_form_saves_a_review(client, user_for):
    client.force_login(user_for("supervisor"))
    data = {**{k: str(v) for k, v in SCORES.items()}, "agent": user_for("agent").pk, "checklist": ["agent_id"]}
    response = client.post(reverse("quality:new"), data)
    assert response.status_code == 302
    assert CallReview.objects.get().checklist == {"agent_id": True}
