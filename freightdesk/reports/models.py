"""Reports (SPEC §12): report files (large exports, the monthly driver report) and the notices about them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FileKind(models.TextChoices):
    EXPORT = "export", _("Export")
    MONTHLY = "monthly", _("Monthly driver report")  # 月度司机报表
    WEEKLY = "weekly", _("Weekly analysis of frequent problems")  # 每周高频问题分析


class FileState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ReportFile(models.Model):
    """A report written to a file by a background task: a large export, or the monthly driver report."""

    kind = models.CharField(_("kind"), max_length=10, choices=FileKind.choices)
    report = models.CharField(_("report"), max_length=30)
    fmt = models.CharField(_("format"), max_length=4, default="xlsx")
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    period = models.DateField(_("month"), null=True, blank=True)  # a weekly file: the week's Monday
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(_("state"), max_length=8, choices=FileState.choices, default=FileState.QUEUED)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("file"), upload_to="reports/", blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    # When the current attempt claimed the file (state -> running): a runner that died leaves it running,
    # and another may take it over once this is old (services.MONTHLY_STALE).
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["period"], condition=Q(kind="monthly"), name="one_monthly_report"),
            models.UniqueConstraint(fields=["period"], condition=Q(kind="weekly"), name="one_weekly_report"),
        ]

    @property
    def percent(self) -> int:
        if self.state == FileState.DONE:
            return 100
        return min(99, self.rows_done * 100 // self.rows_total) if self.rows_total else 0


class ReportNotice(models.Model):
    """An in-app notice to one manager that a report file is ready (the monthly driver report): shown on
    the reports dashboard until the manager downloads the file. One per manager and file."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    report_file = models.ForeignKey(ReportFile, on_delete=models.CASCADE, related_name="notices")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    seen_at = models.DateTimeField(_("seen at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report notice")
        verbose_name_plural = _("report notices")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "report_file"], name="one_notice_per_user_and_file")]
        indexes = [models.Index(fields=["user", "seen_at"], name="report_notice_unseen")]


from .rollup_models import ComplaintDay, DispatchDay, EnquiryDay, OrderDay, ReviewDay, SlaDay  # noqa: E402, F401
