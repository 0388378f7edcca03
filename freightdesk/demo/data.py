"""Demo master data and people: what `make run` loads, and what tests and benchmarks build on."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from freightdesk.accounts.models import CustomerAccount, StaffProfile
from freightdesk.customers.models import Customer, CustomerPhone
from freightdesk.network.models import DispatchMode, Driver, FeeKind, FeeRule, RateCard, Region, Vehicle

DEMO_PASSWORD = "freightdesk"

# code, name, address keywords, dispatch mode
REGIONS = [
    ("north", "北区", "汽配城,北站,工业园", DispatchMode.DRIVER),
    ("south", "南区", "火车站,南湖,开发区", DispatchMode.DRIVER),
    ("east", "东区", "东门,港口,物流园", DispatchMode.FLEET_MANAGER),
    ("west", "西区", "西城,大学城,高新区", DispatchMode.DRIVER),
]

# username, agent id, display name, role, phone
STAFF = [
    ("8011", "8011", "张丽", "agent", "+8613700008011"),
    ("8012", "8012", "李强", "agent", "+8613700008012"),
    ("8001", "8001", "陈主管", "supervisor", "+8613700008001"),
    ("manager", None, "王经理", "manager", "+8613700009001"),
    ("fleet", None, "赵车管", "fleet_manager", "+8613700009002"),
    ("developer", None, "孙业务", "developer", "+8613700009003"),
    ("driver1", None, "刘师傅", "driver", "+8613900001111"),
    ("admin", None, "系统管理员", "admin", "+8613700009999"),
]


def _user(username, role, display, agent_id=None, phone=""):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username)
    if created:
        user.set_password(DEMO_PASSWORD)
    user.is_staff = role == "admin"
    user.is_superuser = role == "admin"
    user.save()
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    StaffProfile.objects.update_or_create(
        user=user, defaults={"agent_id": agent_id, "display_name": display, "phone": phone}
    )
    return user


@transaction.atomic
def load_demo() -> list[tuple[str, str, str]]:
    """Idempotent: regions, drivers, rates, fees, staff and one customer account. Returns the logins."""
    people = {}
    logins = []
    for username, agent_id, display, role, phone in STAFF:
        people[username] = _user(username, role, display, agent_id, phone)
        logins.append((username, DEMO_PASSWORD, role))
    regions = _regions(people)
    _rates(regions)
    _fees()
    company, _ = Customer.objects.get_or_create(name="华东汽配公司", defaults={"company": "华东汽配有限公司"})
    CustomerPhone.objects.get_or_create(customer=company, number="+862188887777")
    User = get_user_model()
    cust_user, created = User.objects.get_or_create(username="customer")
    if created:
        cust_user.set_password(DEMO_PASSWORD)
        cust_user.save()
    cust_user.groups.add(Group.objects.get_or_create(name="customer")[0])
    CustomerAccount.objects.get_or_create(user=cust_user, defaults={"customer": company})
    logins.append(("customer", DEMO_PASSWORD, "customer"))
    return logins


def _regions(people: dict) -> dict:
    """The demo regions, each with its driver (刘师傅 drives the north), developer and fleet manager."""
    driver, _ = Driver.objects.update_or_create(
        name="刘师傅", defaults={"phone": "+8613900001111", "user": people["driver1"]}
    )
    Vehicle.objects.get_or_create(plate="沪A12345", defaults={"driver": driver, "capacity_kg": 5000})
    regions, drivers = {}, {}
    for i, (code, name, keywords, mode) in enumerate(REGIONS):
        region_driver, _ = Driver.objects.get_or_create(name=f"{name}司机", defaults={"phone": f"+86139000022{i:02d}"})
        drivers[code] = region_driver
        regions[code], _ = Region.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "keywords": keywords,
                "dispatch_mode": mode,
                "driver": driver if code == "north" else region_driver,
                "developer": people["developer"],
                "fleet_manager": people["fleet"],
            },
        )
    # Every driver drives from a home region: the fleet manager assigns those of the regions he manages.
    Driver.objects.filter(pk=driver.pk).update(home_region=regions["north"])
    for code, region_driver in drivers.items():
        Driver.objects.filter(pk=region_driver.pk).update(home_region=regions[code])
    return regions


def _rates(regions: dict) -> None:
    """A rate card for every pair of regions: cheaper within a region."""
    for a in regions.values():
        for b in regions.values():
            RateCard.objects.get_or_create(
                pickup_region=a,
                delivery_region=b,
                defaults={
                    "price_per_kg": Decimal("0.80") if a == b else Decimal("1.20"),
                    "price_per_m3": Decimal("150.00") if a == b else Decimal("200.00"),
                    "minimum_charge": Decimal("50.00"),
                    "transit_hours": 8 if a == b else 24,
                },
            )


def _fees() -> None:
    """Loading at markets and wholesale towns, carrying upstairs without a lift."""
    FeeRule.objects.get_or_create(
        name="装卸费(市场/批发城)",
        defaults={
            "kind": FeeKind.LOADING,
            "default_amount": Decimal("100.00"),
            "address_keywords": "汽配城,批发市场,建材市场",
        },
    )
    FeeRule.objects.get_or_create(
        name="上楼费(无电梯)",
        defaults={"kind": FeeKind.OTHER, "default_amount": Decimal("50.00"), "address_keywords": "楼,室"},
    )
