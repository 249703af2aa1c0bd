"""The emulator's state: one object shared by the three hosts, guarded by one lock (stdlib only).

Every route handler runs with ``Emulator.lock`` held, so a request's reads and
writes are atomic with respect to other requests (the latency fault sleeps
outside the lock).
"""

import os
import threading
import time

from .faults import FaultRegistry
from .fixture import build_world, load_fixture_file
from .reqlog import RequestLog
from .timeutil import format_zulu

DEFAULT_SETTINGS = {
    "instance_ttl": 172800,
    "reservation_ttl": 900,
    "timestamp_tolerance": 600,
    "number_expiry_days": 30,
    # Fault modes (0 = off), see tests/emulator/README.md:
    "checkout_partial": 0,        # 1: checkout applies the still-valid reservations and answers 40400 for the rest
    "string_ids": 0,              # 1: groupId and number are answered as JSON strings
    "rented_numbers_lag": 0,      # N: after each checkout, the next N rented-numbers reads list the numbers as before it
    "rented_numbers_lag_seconds": 0,  # N: numbers bought by a checkout are not listed until N seconds (emulator clock) after it
    "hide_cost_group": 0,         # G: the shop lists group G without its cost (checkout still charges it)
}


class Emulator:
    """All mutable state of one emulator process.

    ``world`` holds what a fixture describes (users, organisations, number
    groups, rented numbers) plus what requests create (tokens, instances,
    reservations). ``reset`` replaces it wholesale.
    """

    def __init__(self, fixture_path=None, fixture_data=None):
        self.lock = threading.RLock()
        self.fixture_path = fixture_path
        self.fixture_data = fixture_data
        # Key of the HMAC in issued user authorizations; private to this process.
        self.token_key = os.urandom(32)
        self.requests = RequestLog()
        self.faults = FaultRegistry()
        self.clock_offset = 0.0
        self.world = None
        self.reset()

    def reset(self, fixture_path=None, fixture_data=None):
        """Reload a fixture (default: the one given at start) and forget everything requests created.

        The new world is built before anything is replaced, so a broken
        fixture raises FixtureError and leaves the state as it was.
        """
        if fixture_data is not None:
            data = fixture_data
        elif fixture_path is not None:
            data = load_fixture_file(fixture_path)
        elif self.fixture_data is not None:
            data = self.fixture_data
        else:
            data = load_fixture_file(self.fixture_path or default_fixture_path())
        # The clock offset goes back to 0, so the new world is built on real time.
        world = build_world(data, DEFAULT_SETTINGS, time.time())
        with self.lock:
            self.clock_offset = 0.0
            self.world = world
            self.requests.clear()
            self.faults.clear()

    def now(self):
        """The emulator's clock: real UTC time shifted by the admin clock offset (POSIX seconds)."""
        return time.time() + self.clock_offset

    @property
    def settings(self):
        """The settings in force (a dict; see DEFAULT_SETTINGS)."""
        return self.world.settings

    def expire_all_reservations(self, group_id=None, org_id=None):
        """Mark every reservation (of ``group_id`` / organisation ``org_id`` only, when given) expired (the ``expire_reservations`` fault)."""
        for reservation in self.world.reservations.values():
            if org_id is not None and reservation.org_id != org_id:
                continue
            if group_id is None or reservation.group_id == group_id:
                reservation.force_expired = True

    def availability(self, group):
        """Stock of a group minus the quantity held by unexpired reservations of any organisation."""
        now = self.now()
        held = sum(r.quantity for r in self.world.reservations.values() if r.group_id == group.group_id and r.is_active(now))
        return max(group.stock - held, 0)

    def snapshot(self):
        """The whole state as JSON-serialisable data, in a deterministic order (GET /_admin/state)."""
        now = self.now()
        world = self.world
        return {
            "now": format_zulu(now),
            "settings": dict(sorted(world.settings.items())),
            "clock_offset_seconds": self.clock_offset,
            "organisations": [org.snapshot() for org in sorted(world.organisations.values(), key=lambda o: o.org_id)],
            "number_groups": [dict(group.to_api(self.availability(group)), stock=group.stock, next_number=group.next_number)
                              for group in world.sorted_groups()],
            "reservations": [r.snapshot(now) for r in sorted(world.reservations.values(), key=lambda r: r.seq)],
            "purchases": [purchase.snapshot() for purchase in world.purchases],
            "instances": len(world.instances),
            "user_authorizations": len(world.tokens),
        }


def default_fixture_path():
    """The default fixture shipped next to the package: fixtures/default.yml."""
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.join(os.path.dirname(here), "fixtures", "default.yml")
