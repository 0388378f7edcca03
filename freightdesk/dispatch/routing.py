"""Who receives a region's dispatch SMS (SPEC §6): its driver with the market developer in copy,
or its fleet manager — per the region's dispatch mode, from master data."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from freightdesk.core.errors import DomainError
from freightdesk.messaging.services import valid_recipient
from freightdesk.network.models import DispatchMode, Region

from .errors import DispatchErrorCode


@dataclass(frozen=True)
class Recipient:
    role: str  # driver | developer | fleet_manager
    name: str
    phone: str  # E.164


def _staff_phone(user) -> str:
    profile = getattr(user, "profile", None)
    return (profile.phone if profile else "") or ""


def _staff_name(user) -> str:
    profile = getattr(user, "profile", None)
    return (profile.display_name if profile else "") or user.get_full_name() or user.get_username()


def recipients_for(region: Region) -> list[Recipient]:
    """The region's recipients, or DomainError saying exactly what an administrator must set up."""
    if region.dispatch_mode == DispatchMode.FLEET_MANAGER:
        return [_fleet_manager_recipient(region)]
    recipients = [_driver_recipient(region)]
    if region.developer is not None:
        recipients.append(_developer_recipient(region))
    return recipients


def _fleet_manager_recipient(region: Region) -> Recipient:
    manager = region.fleet_manager
    if manager is None:
        raise DomainError(
            DispatchErrorCode.NO_FLEET_MANAGER,
            _(
                "Region “%(region)s” dispatches to its fleet manager but has none: set “fleet manager” on the "
                "region in Master data → Regions."
            )
            % {"region": region.name},
        )
    name = _staff_name(manager)
    if not _staff_phone(manager):
        raise DomainError(
            DispatchErrorCode.NO_FLEET_MANAGER_PHONE,
            _("Fleet manager %(name)s of region “%(region)s” has no phone: set it in his staff profile.")
            % {"name": name, "region": region.name},
        )
    who = _("Fleet manager %(name)s") % {"name": name}
    return Recipient("fleet_manager", name, valid_recipient(_staff_phone(manager), who=who))


def _driver_recipient(region: Region) -> Recipient:
    driver = region.driver
    if driver is None or not driver.active:
        raise DomainError(
            DispatchErrorCode.NO_DRIVER,
            _(
                "Region “%(region)s” has no active driver: set “region driver” on the region in Master data → "
                "Regions (or dispatch the region to its fleet manager)."
            )
            % {"region": region.name},
        )
    who = _("Driver %(name)s") % {"name": driver.name}
    return Recipient("driver", driver.name, valid_recipient(driver.phone, who=who))


def _developer_recipient(region: Region) -> Recipient:
    developer = region.developer
    name = _staff_name(developer)
    if not _staff_phone(developer):
        raise DomainError(
            DispatchErrorCode.NO_DEVELOPER_PHONE,
            _(
                "Market developer %(name)s of region “%(region)s” has no phone: set it in his staff profile, "
                "or remove him from the region."
            )
            % {"name": name, "region": region.name},
        )
    who = _("Market developer %(name)s") % {"name": name}
    return Recipient("developer", name, valid_recipient(_staff_phone(developer), who=who))


def dispatch_readiness(region: Region) -> tuple[bool, str]:
    """Whether ``region`` can be dispatched now, and if not what to set up (API: GET /regions)."""
    try:
        recipients_for(region)
    except DomainError as exc:
        return False, exc.message
    return True, ""
