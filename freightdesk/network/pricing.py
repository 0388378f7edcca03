"""The quote (报价): freight from the rate card plus extra fees, all in Decimal yuan."""

from dataclasses import dataclass, field
from decimal import Decimal

from freightdesk.core.money import yuan

from .models import RateCard


@dataclass(frozen=True)
class Quote:
    freight: Decimal
    fees: list[tuple[str, Decimal]] = field(default_factory=list)
    basis: str = "weight"  # "weight" | "volume" | "minimum": which charge set the freight

    @property
    def fees_total(self) -> Decimal:
        return yuan(sum((amount for _, amount in self.fees), Decimal("0")))

    @property
    def total(self) -> Decimal:
        return yuan(self.freight + self.fees_total)


def quote(rate: RateCard, *, weight_kg: Decimal, volume_m3: Decimal, fees=()) -> Quote:
    """Freight is the larger of the weight charge and the volume charge (heavy vs bulky goods),
    never below the route's minimum charge."""
    by_weight = yuan(Decimal(weight_kg) * rate.price_per_kg)
    by_volume = yuan(Decimal(volume_m3) * rate.price_per_m3)
    freight, basis = (by_weight, "weight") if by_weight >= by_volume else (by_volume, "volume")
    if freight < rate.minimum_charge:
        freight, basis = yuan(rate.minimum_charge), "minimum"
    return Quote(freight=freight, fees=[(kind, yuan(amount)) for kind, amount in fees], basis=basis)
