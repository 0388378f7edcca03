"""The quote (SPEC §3 报价) in Decimal yuan, and address -> region resolution by the longest keyword (SPEC §6)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from freightdesk.network.models import RateCard, Region
from freightdesk.network.pricing import quote
from freightdesk.network.selectors import rate_for, resolve_region

D = Decimal


def card(per_kg="0.50", per_m3="120.00", minimum="50.00") -> RateCard:
    return RateCard(price_per_kg=D(per_kg), price_per_m3=D(per_m3), minimum_charge=D(minimum))


def test_heavy_goods_are_charged_by_weight():
    q = quote(card(per_kg="1.20", per_m3="100"), weight_kg=D("500"), volume_m3=D("1.5"))
    assert (q.freight, q.basis) == (D("600.00"), "weight")


def test_bulky_goods_are_charged_by_volume():
    # The example phone order: 15 pieces of 配件, 200 kg, 2.2 m³.
    q = quote(card(per_kg="0.50", per_m3="120"), weight_kg=D("200"), volume_m3=D("2.2"))
    assert (q.freight, q.basis) == (D("264.00"), "volume")


def test_equal_charges_are_reported_as_weight_basis():
    q = quote(card(per_kg="1.00", per_m3="100"), weight_kg=D("100"), volume_m3=D("1"))
    assert (q.freight, q.basis) == (D("100.00"), "weight")


def test_small_shipment_pays_the_minimum_charge():
    q = quote(card(minimum="50"), weight_kg=D("10"), volume_m3=D("0.05"))
    assert (q.freight, q.basis) == (D("50.00"), "minimum")


def test_exactly_the_minimum_is_not_reported_as_minimum():
    q = quote(card(per_kg="0.50", minimum="50"), weight_kg=D("100"), volume_m3=D("0.1"))
    assert (q.freight, q.basis) == (D("50.00"), "weight")


def test_fees_are_added_to_the_total():
    q = quote(card(), weight_kg=D("200"), volume_m3=D("2.2"), fees=[("loading", D("100"))])
    assert q.fees == [("loading", D("100.00"))]
    assert (q.freight, q.fees_total, q.total) == (D("264.00"), D("100.00"), D("364.00"))


def test_several_fees_sum_exactly_in_decimal():
    q = quote(card(), weight_kg=D("200"), volume_m3=D("2.2"), fees=[("loading", D("0.10")), ("pickup", D("0.20"))])
    assert q.fees_total == D("0.30")
    assert q.total == D("264.30")


def test_no_fees_means_total_is_freight():
    q = quote(card(), weight_kg=D("200"), volume_m3=D("2.2"))
    assert (q.fees_total, q.total) == (D("0.00"), D("264.00"))


@pytest.mark.parametrize(
    ("weight", "per_kg", "freight"),
    [
        ("1.005", "1.00", "1.01"),  # half-up, not banker's rounding (which would give 1.00)
        ("2.5", "0.33", "0.83"),  # 0.825 -> 0.83
        ("3", "0.333", "1.00"),  # 0.999 -> 1.00
        ("1.004", "1.00", "1.00"),
    ],
)
def test_freight_is_rounded_half_up_to_the_fen(weight, per_kg, freight):
    q = quote(card(per_kg=per_kg, per_m3="0", minimum="0"), weight_kg=D(weight), volume_m3=D("0.01"))
    assert q.freight == D(freight)
    assert q.freight.as_tuple().exponent == -2


def test_a_fee_with_half_a_fen_rounds_up():
    q = quote(card(), weight_kg=D("200"), volume_m3=D("2.2"), fees=[("other", D("0.005"))])
    assert q.fees == [("other", D("0.01"))]
    assert q.total == D("264.01")


def test_float_like_inputs_are_exact():
    # 0.1 + 0.2 in floats is 0.30000000000000004; a quote never shows that.
    q = quote(card(per_kg="0.1", per_m3="0", minimum="0"), weight_kg=D("3"), volume_m3=D("0.01"))
    assert q.freight == D("0.30")


money = st.decimals(min_value=0, max_value=10000, places=2, allow_nan=False, allow_infinity=False)
amount = st.decimals(min_value=D("0.01"), max_value=50000, places=2, allow_nan=False, allow_infinity=False)


@given(per_kg=money, per_m3=money, minimum=money, weight=amount, volume=amount, fee=money)
def test_freight_is_never_below_either_charge_or_the_minimum(per_kg, per_m3, minimum, weight, volume, fee):
    q = quote(card(str(per_kg), str(per_m3), str(minimum)), weight_kg=weight, volume_m3=volume, fees=[("other", fee)])
    assert q.freight >= minimum
    assert q.freight >= (weight * per_kg).quantize(D("0.01"))
    assert q.freight >= (volume * per_m3).quantize(D("0.01"))
    assert q.total == q.freight + q.fees_total
    assert q.total.as_tuple().exponent == -2


@pytest.mark.django_db
class TestRegionResolution:
    @pytest.fixture(autouse=True)
    def regions(self):
        self.city = Region.objects.create(code="city", name="市区", keywords="市区,中山路")
        self.autoparts = Region.objects.create(code="qpc", name="汽配城", keywords="汽配城\n汽配城A区")
        self.autoparts_b = Region.objects.create(code="qpc-b", name="汽配城B区", keywords="汽配城B区，汽配城B")
        self.station = Region.objects.create(code="hcz", name="火车站", keywords="火车站, 站前路")

    def test_an_address_resolves_to_the_region_of_its_keyword(self):
        assert resolve_region("火车站货场3号门") == self.station
        assert resolve_region("站前路88号") == self.station

    def test_the_longest_matching_keyword_wins(self):
        assert resolve_region("汽配城B区12号") == self.autoparts_b
        assert resolve_region("汽配城A区12号") == self.autoparts
        assert resolve_region("汽配城东门") == self.autoparts

    def test_the_longest_keyword_wins_wherever_it_occurs(self):
        assert resolve_region("市区中山路汽配城B区") == self.autoparts_b

    def test_an_inactive_region_is_not_resolved(self):
        Region.objects.filter(pk=self.autoparts_b.pk).update(active=False)
        assert resolve_region("汽配城B区12号") == self.autoparts

    @pytest.mark.parametrize("address", ["", "   ", None, "北京路100号"])
    def test_an_unknown_or_empty_address_has_no_region(self, address):
        assert resolve_region(address) is None

    def test_a_rate_card_is_found_for_its_route_only(self):
        rate = RateCard.objects.create(
            pickup_region=self.autoparts,
            delivery_region=self.station,
            price_per_kg=D("0.50"),
            price_per_m3=D("120"),
            minimum_charge=D("50"),
        )
        assert rate_for(self.autoparts, self.station) == rate
        assert rate_for(self.station, self.autoparts) is None
