import sys

from freightdesk.core.phones import national_digits

from .base import Gateway


class ConsoleGateway(Gateway):
    """Print the message and mark it sent (the default for local use)."""

    name = "console"

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, message) -> str:
        self.stream.write(
            f"SMS to {national_digits(message.to)} [{message.idempotency_key}]: {message.signature}{message.text}\n"
        )
        return f"console-{message.idempotency_key}"
