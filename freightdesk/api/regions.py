"""Regions orders can be picked up in and delivered to (API.md "Regions")."""

from django.http import HttpRequest
from ninja import Router

from freightdesk.accounts.bearer import BearerAuth
from freightdesk.accounts.capabilities import Capability
from freightdesk.core.api.errors import DetailOut
from freightdesk.network.models import DispatchMode, Region

from .schemas import RegionOut

router = Router(tags=["regions"])


def dispatchable(region: Region) -> bool:
    """SPEC §6: driver mode needs the region's active driver and its market developer (in copy);
    fleet-manager mode needs the fleet manager."""
    if region.dispatch_mode == DispatchMode.FLEET_MANAGER:
        return region.fleet_manager_id is not None
    return region.driver is not None and region.driver.active and region.developer_id is not None


@router.get(
    "/regions",
    auth=BearerAuth(Capability.VIEW_ORDERS),
    response={200: list[RegionOut], 401: DetailOut, 403: DetailOut},
    summary="Active regions and whether each can be dispatched now",
)
def list_regions(request: HttpRequest):
    regions = Region.objects.filter(active=True).select_related("driver").order_by("code")
    return [
        {"code": r.code, "name": r.name, "dispatch_mode": r.dispatch_mode, "dispatchable": dispatchable(r)}
        for r in regions
    ]
