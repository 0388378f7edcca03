"""Drivers and who picks up (API.md "Additions (2026-12)"): the drivers a token may assign, and naming the
driver and vehicle of a dispatched order. Parse, fetch through the access functions, call one service."""

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from freightdesk.accounts.bearer import BearerAuth
from freightdesk.accounts.capabilities import Capability
from freightdesk.core.api.errors import DetailOut, ErrorsOut
from freightdesk.core.cleaning import CleanSchema
from freightdesk.dispatch.assignment import assign_driver, find_driver, find_vehicle
from freightdesk.network.selectors import drivers_for
from freightdesk.orders.selectors import access_order_for

from .orders import order_body
from .schemas import OrderOut

router = Router(tags=["drivers"])
ERRORS = {401: DetailOut, 403: DetailOut, 404: DetailOut, 409: ErrorsOut | DetailOut, 422: ErrorsOut}


class DriverOut(Schema):
    code: str
    name: str
    phone: str = Field(description="E.164")
    region: str | None = Field(description="Home region code")
    active: bool


class DriversQuery(CleanSchema):
    region: str = Field("", max_length=20, description="Only drivers of this home region (code).")


@router.get(
    "/drivers",
    auth=BearerAuth(Capability.LIST_DRIVERS),
    response={200: list[DriverOut], 401: DetailOut, 403: DetailOut, 422: ErrorsOut},
    summary="The drivers this token may assign (a fleet manager: those of the regions he manages)",
)
def list_drivers(request: HttpRequest, q: Query[DriversQuery]):
    return [
        {
            "code": d.code or "",
            "name": d.name,
            "phone": d.phone,
            "region": d.home_region.code if d.home_region else None,
            "active": d.active,
        }
        for d in drivers_for(request.user, region=q.region.strip())
    ]


class AssignIn(CleanSchema):
    driver: str = Field(..., min_length=1, max_length=20, description="The driver's code")
    vehicle: str = Field("", max_length=12, description="The vehicle's plate (optional)")


@router.post(
    "/orders/{serial}/assign",
    auth=BearerAuth(Capability.ASSIGN_DRIVER),
    response={200: OrderOut, **ERRORS},
    summary="Name the driver (and vehicle) who picks up a dispatched order",
    description=(
        "The fleet manager the order was dispatched to, or the desk. Only an active driver, of a region the fleet "
        "manager manages. The driver gets the order SMS and his own driver's link; a driver replaced gets a "
        "recall SMS. Naming the same driver and vehicle again changes nothing."
    ),
)
def assign(request: HttpRequest, serial: str, body: AssignIn):
    order = access_order_for(request.user, serial)
    driver, vehicle = find_driver(body.driver), find_vehicle(body.vehicle)
    assign_driver(order=order, driver=driver, vehicle=vehicle, by=request.user)
    return order_body(access_order_for(request.user, serial))
