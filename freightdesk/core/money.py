"""Money: Decimal yuan, rounded half-up to the fen."""

from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")


def yuan(value) -> Decimal:
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)
