"""GET /api/v1/regions: code, name and whether the region's dispatch recipients are set up (SPEC §6)."""

from freightdesk.network.models import DispatchMode, Driver, Region

from .conftest import make_user


def _by_code(api) -> dict:
    response = api.get("/regions")
    assert response.status_code == 200
    return {r["code"]: r for r in response.json()}


def test_region_without_recipients_cannot_be_dispatched(api):
    regions = _by_code(api)

    assert regions["north"] == {"code": "north", "name": "北区", "dispatch_mode": "driver", "dispatchable": False}


def test_driver_mode_needs_an_active_driver_and_the_developer(api, regions):
    north, _south = regions
    north.driver = Driver.objects.create(name="张师傅", phone="+8613600136000")
    north.save()
    assert _by_code(api)["north"]["dispatchable"] is False  # no market developer to copy yet

    north.developer = make_user("dev1", "developer")
    north.save()
    assert _by_code(api)["north"]["dispatchable"] is True

    Driver.objects.filter(pk=north.driver_id).update(active=False)
    assert _by_code(api)["north"]["dispatchable"] is False


def test_fleet_manager_mode_needs_the_fleet_manager(api, regions):
    _north, south = regions
    south.dispatch_mode = DispatchMode.FLEET_MANAGER
    south.save()
    assert _by_code(api)["south"]["dispatchable"] is False

    south.fleet_manager = make_user("fm1", "fleet_manager")
    south.save()
    assert _by_code(api)["south"]["dispatchable"] is True


def test_inactive_regions_are_not_listed(api):
    Region.objects.filter(code="south").update(active=False)

    assert list(_by_code(api)) == ["north"]
