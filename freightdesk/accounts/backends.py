from django.contrib.auth.backends import ModelBackend

from .models import StaffProfile


class AgentIdBackend(ModelBackend):
    """Agents log in with their 4-digit agent id (工号) as well as with their username."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or not password or not (len(username) == 4 and username.isdigit()):
            return None
        profile = StaffProfile.objects.select_related("user").filter(agent_id=username).first()
        if profile and profile.user.check_password(password) and self.user_can_authenticate(profile.user):
            return profile.user
        return None
