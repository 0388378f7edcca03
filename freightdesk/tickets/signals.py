"""What tickets tell the layer above (desk) without knowing who listens."""

from django.dispatch import Signal

# Sent inside the resolving step's transaction, with ``ticket``; a receiver defers its work to on_commit.
ticket_resolved = Signal()
