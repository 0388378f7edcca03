"""Who did something, as the desk writes it down: the agent id (工号) of a staff member, a driver's name,
else the login name. Timelines (`by_label`), claims, ticket SMS and API bodies all name people this way."""

LABEL_LENGTH = 40  # the `by_label` columns of the history rows


def agent_id_of(user) -> str:
    """The user's agent id (工号, 8011), or "" (nobody, no staff profile, or none set)."""
    profile = getattr(user, "profile", None) if user is not None else None
    return (profile.agent_id or "") if profile else ""


def agent_label(user) -> str:
    """The agent id (8011), else a driver's name (张师傅), else the username; "" for nobody."""
    if user is None:
        return ""
    label = agent_id_of(user) or getattr(getattr(user, "driver", None), "name", "") or user.get_username()
    return label[:LABEL_LENGTH]  # a driver's row is read only for a user without an agent id
