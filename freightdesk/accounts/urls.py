from django.contrib.auth import views as auth_views
from django.urls import path

from .roles import public_view

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        public_view(
            auth_views.LoginView.as_view(template_name="accounts/login.html", redirect_authenticated_user=True)
        ),
        name="login",
    ),
    path("logout/", public_view(auth_views.LogoutView.as_view()), name="logout"),
]
