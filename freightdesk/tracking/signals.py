"""What tracking tells the layer above (desk) without knowing who listens."""

from django.dispatch import Signal

# Sent inside the delivery report's transaction, with ``order``; a receiver defers its work to on_commit.
order_delivered = Signal()
