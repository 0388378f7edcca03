import json
from pathlib import Path

from django.utils import timezone

from freightdesk.core.phones import national_digits

from . import sms_setting
from .base import Gateway, TransientError


class FileGateway(Gateway):
    """Append one JSON line per message to ``SMS["FILE_PATH"]`` (a test or audit sink)."""

    name = "file"

    def __init__(self, path: str | None = None):
        self.path = Path(path or sms_setting("FILE_PATH"))
        self._handle = None

    def _file(self):
        if self._handle is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.path.open("a", encoding="utf-8")
        return self._handle

    def send(self, message) -> str:
        line = {
            "key": message.idempotency_key,
            "to": national_digits(message.to),
            "text": message.signature + message.text,
            "at": timezone.now().isoformat(),
        }
        try:
            handle = self._file()
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")
            handle.flush()
        except OSError as exc:
            raise TransientError(f"cannot write {self.path}: {exc}") from exc
        return f"file-{message.idempotency_key}"

    def find_sent(self, message, *, until: float | None = None) -> str | None:
        if not self.path.exists():
            return None
        needle = f'"key": "{message.idempotency_key}"'
        with self.path.open(encoding="utf-8") as handle:
            for line in handle:
                if needle in line:
                    return f"file-{message.idempotency_key}"
        return None

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
