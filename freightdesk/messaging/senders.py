"""Gateway calls of one outbox worker, several at once.

A network gateway (HTTP, Aliyun, Tencent) spends its time waiting for the provider: a worker sending one message at
a time is held by each slow call and by every page of a look-up, so messages behind it wait. ``Senders`` runs up to
``SMS["PARALLEL_SENDS"]`` calls at once, each thread with its own gateway client (the providers' SDK clients are
not shared between threads). The threads only talk to the provider: every database write (start, outcome) stays
on the worker's own thread and connection. A file or console gateway, or a gateway handed in by the caller, is
called on the worker's thread, one message at a time.
"""

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from .gateways import Gateway, backend_name, get_gateway, sms_setting

NETWORK_BACKENDS = {"http", "aliyun", "tencent"}


class Senders:
    """``submit(call, *args)`` runs ``call(gateway, *args)`` with a gateway of its own thread; ``width`` at once."""

    def __init__(self, gateway: Gateway | None = None):
        self._given = gateway
        self.name = gateway.name if gateway is not None else backend_name()
        parallel = gateway is None and self.name in NETWORK_BACKENDS
        self.width = max(1, int(sms_setting("PARALLEL_SENDS"))) if parallel else 1
        self._local = threading.local()
        self._made: list[Gateway] = []
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(self.width, thread_name_prefix="sms-send") if self.width > 1 else None

    def gateway(self) -> Gateway:
        """This thread's gateway (the caller's, if one was given)."""
        if self._given is not None:
            return self._given
        gateway = getattr(self._local, "gateway", None)
        if gateway is None:
            gateway = self._local.gateway = get_gateway(self.name)
            with self._lock:
                self._made.append(gateway)
        return gateway

    def submit(self, call: Callable, *args) -> Future:
        if self._pool is None:
            future: Future = Future()
            future.set_result(call(self.gateway(), *args))
            return future
        return self._pool.submit(lambda: call(self.gateway(), *args))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
        with self._lock:
            made, self._made = self._made, []
        for gateway in made:
            gateway.close()
