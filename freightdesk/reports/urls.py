from django.urls import path

from . import penalty_views, views, weekly_views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("download/<slug:slug>.<str:fmt>", views.download, name="download"),
    path("detail/", views.detail, name="detail"),
    path("files/<int:file_id>/", views.file_status, name="file"),
    path("files/<int:file_id>/download", views.file_download, name="file_download"),
    path("files/<int:file_id>/open", views.file_open, name="file_open"),
    path("monthly/", views.monthly_now, name="monthly_now"),
    path("penalties/", penalty_views.penalty_report, name="penalties"),
    path("weekly/", weekly_views.weekly, name="weekly"),
    path("weekly.xlsx", weekly_views.weekly_download, name="weekly_xlsx"),
    path("weekly/open/", weekly_views.weekly_open, name="weekly_open"),
]
