"""The editable message templates, kept in this process like the other master data (core.process_cache): every
order's customer SMS reads its template, and templates change a few times a year.

Saving or deleting a template (``MessageTemplate.save``/``delete``) makes this process read them again at once and,
once the change commits, tells the other processes through the shared cache's version number. A change written
around the model (a queryset update, a data migration) counts within MAX_AGE_SECONDS.
"""

from freightdesk.core.process_cache import ProcessCache

CHECK_SECONDS = 2.0
MAX_AGE_SECONDS = 300.0
VERSION_KEY = "freightdesk:messaging:templates:version"


def template(code: str):
    """The MessageTemplate of this code, or None (shared by every request of this process: read it, never change
    it)."""
    return _templates.get().get(code)


def invalidate(*, broadcast: bool = True) -> None:
    """Forget this process's templates; with ``broadcast``, tell the other processes too."""
    _templates.invalidate(broadcast=broadcast)


def templates_changed() -> None:
    """A template was saved or deleted: read again here now, everywhere once it commits."""
    _templates.changed()


def _build() -> dict:
    from .models import MessageTemplate

    return {template.code: template for template in MessageTemplate.objects.all()}


_templates = ProcessCache(
    version_key=VERSION_KEY, build=_build, check_seconds=CHECK_SECONDS, max_age_seconds=MAX_AGE_SECONDS
)
