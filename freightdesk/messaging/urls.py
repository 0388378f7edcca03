from django.urls import path

from . import views

app_name = "messaging"
urlpatterns = [
    path("failed/", views.failed_messages, name="failed"),
    path("<int:pk>/resend/", views.resend, name="resend"),
    path("<int:pk>/retry/", views.retry, name="retry"),
    path("receipts/<slug:backend>/", views.receipt, name="receipt"),
]
