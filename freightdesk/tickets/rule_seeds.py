"""The complaint rules every installation starts with (001 第二篇 severity classes; 001 第一篇 step 7 penalties).
Admins edit the rows afterwards; seeding again never overwrites an edited row.

The data migration and the test fixtures both call these functions with a model registry (the migration's
historical apps, or ``django.apps.apps``)."""

from decimal import Decimal

# fmt: off
# code, trigger, category, sub-category, raise to, lowest score at most, keywords, reason (on the history)
SEVERITY_RULES = [
    ("complaint-cargo-safety", "opened", "complaint", "cargo_safety", "class2", None, "",
     "货物安全问题：二类投诉"),
    ("complaint-injury", "opened", "complaint", "injury", "class2", None, "", "人员受伤 / 安全事故：二类投诉"),
    ("emergency-safety", "opened", "emergency", "safety", "class2", None, "", "货物安全 / 人员受伤：二类"),
    ("complaint-low-survey", "low_survey", "complaint", "", "class2", 2, "",
     "处理后顾客仍不满意（满意度低分）：升为二类投诉"),
    ("complaint-asks-management", "asks_management", "complaint", "", "class2", None,
     "管理层,经理,领导,老板,负责人,总经理", "顾客要求公司管理部门出面解决：升为二类投诉"),
    ("complaint-reopened", "reopened", "complaint", "", "class2", None, "",
     "一类投诉处理后未能使顾客满意，重新处理：升为二类投诉"),
]

# loss from (yuan) -> percent of performance pay for the person responsible, for the department head
LOSS_BANDS = [("0", 2, 0), ("200", 5, 1), ("1000", 10, 3), ("5000", 20, 5)]

# minutes late past the deadline -> percent of performance pay for the handler
DELAY_BANDS = [(1, 1), (120, 3), (480, 5)]
# fmt: on


def seed_complaint_rules(apps) -> None:
    SeverityRule = apps.get_model("tickets", "SeverityRule")
    LossPenaltyBand = apps.get_model("tickets", "LossPenaltyBand")
    DelayPenaltyBand = apps.get_model("tickets", "DelayPenaltyBand")
    for code, trigger, category, sub, raise_to, score, keywords, reason in SEVERITY_RULES:
        SeverityRule.objects.get_or_create(
            code=code,
            defaults=dict(
                trigger=trigger,
                category=category,
                subcategory=sub,
                raise_to=raise_to,
                score_at_most=score,
                keywords=keywords,
                reason=reason,
            ),
        )
    for loss_from, share, head_share in LOSS_BANDS:
        LossPenaltyBand.objects.get_or_create(
            loss_from=Decimal(loss_from), defaults={"share_percent": share, "head_share_percent": head_share}
        )
    for minutes, share in DELAY_BANDS:
        DelayPenaltyBand.objects.get_or_create(minutes_late_from=minutes, defaults={"share_percent": share})


def unseed_complaint_rules(apps) -> None:
    apps.get_model("tickets", "SeverityRule").objects.filter(code__in=[r[0] for r in SEVERITY_RULES]).delete()
    apps.get_model("tickets", "LossPenaltyBand").objects.all().delete()
    apps.get_model("tickets", "DelayPenaltyBand").objects.all().delete()
