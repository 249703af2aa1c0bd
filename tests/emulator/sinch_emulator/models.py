"""The records the emulator keeps, and their API shapes (stdlib only)."""

import decimal

from .timeutil import format_zulu


def to_decimal(amount):
    """Turn a YAML/JSON number into a Decimal without binary float drift (2.1 -> Decimal('2.1'))."""
    return decimal.Decimal(str(amount))


def money(amount, currency_id):
    """Serialise an amount (Decimal) the way the API does: a JSON number plus an ISO 4217 code."""
    return {"amount": float(amount), "currencyId": currency_id}


class User:
    """A dashboard user who can log in; belongs to one organisation."""

    def __init__(self, user_id, organisation_id, password, identities, profile):
        self.user_id = user_id
        self.organisation_id = organisation_id
        self.password = password
        self.identities = identities
        self.profile = profile

    def has_identity(self, identity_type, endpoint):
        """True when the user has this identity; e-mail addresses compare case-insensitively."""
        for identity in self.identities:
            if identity["type"] != identity_type:
                continue
            if identity_type == "email" and identity["endpoint"].lower() == endpoint.lower():
                return True
            if identity["endpoint"] == endpoint:
                return True
        return False

    def to_api(self):
        """The ``user`` object of the log-in answer."""
        return {"id": self.user_id, "identities": [dict(i) for i in self.identities], "profile": self.profile}


class NumberGroup:
    """A group of numbers in the shop (one city and area code)."""

    def __init__(self, group_id, country, country_id, city, group_type, area_code, cost, currency_id, capabilities, stock, next_number):
        self.group_id = group_id
        self.country = country
        self.country_id = country_id
        self.city = city
        self.group_type = group_type
        self.area_code = area_code
        self.cost = cost
        self.currency_id = currency_id
        self.capabilities = capabilities
        self.stock = stock
        self.next_number = next_number

    def to_api(self, availability):
        """The NumberGroup shape of the shop list."""
        return {
            "groupId": self.group_id,
            "country": self.country,
            "countryId": self.country_id,
            "city": self.city,
            "type": self.group_type,
            "availability": availability,
            "areaCode": self.area_code,
            "cost": money(self.cost, self.currency_id),
            "capabilities": list(self.capabilities),
        }


class RentedNumber:
    """A number rented by an organisation, possibly assigned to one of its applications."""

    def __init__(self, number, group_id, capabilities, country_id, city, country, area_code, expires, cost, currency_id, application_key=None,
                 bought_at=None):
        self.number = number
        self.group_id = group_id
        self.capabilities = capabilities
        self.country_id = country_id
        self.city = city
        self.country = country
        self.area_code = area_code
        self.expires = expires
        self.cost = cost
        self.currency_id = currency_id
        self.application_key = application_key
        # POSIX time (emulator clock) of the checkout that rented it; None for a fixture's numbers.
        self.bought_at = bought_at

    def to_api(self):
        """The Number shape; ``applicationKey`` only when assigned, ``expires`` only when known."""
        answer = {"number": self.number, "groupId": self.group_id, "capabilities": list(self.capabilities)}
        if self.application_key is not None:
            answer["applicationKey"] = self.application_key
        answer.update({"countryId": self.country_id, "city": self.city, "country": self.country, "areaCode": self.area_code})
        if self.expires is not None:
            answer["expires"] = self.expires
        answer["cost"] = money(self.cost, self.currency_id)
        return answer


class Organisation:
    """An organisation: its details, credit, accounting flag, applications and rented numbers."""

    def __init__(self, org_id, details, credit, currency_id, accounting, applications):
        self.org_id = org_id
        self.details = details
        self.credit = credit
        self.currency_id = currency_id
        self.accounting = accounting
        self.applications = applications
        self.numbers = {}
        self.lag_reads = 0     # rented_numbers_lag: reads left that answer ``lagged``
        self.lagged = []

    def to_api(self):
        """The GET /v1/organisations answer: ``id`` as a string, as in the seed's example."""
        answer = {"id": str(self.org_id)}
        for key in ("name", "website", "phone", "countryId", "vatnumber"):
            if self.details.get(key) is not None:
                answer[key] = self.details[key]
        return answer

    def sorted_numbers(self, application_key=None):
        """Rented numbers sorted by number, optionally only those assigned to one application."""
        numbers = sorted(self.numbers.values(), key=lambda n: n.number)
        if application_key is None:
            return numbers
        return [n for n in numbers if n.application_key == application_key]

    def snapshot(self):
        """The admin view of the organisation."""
        answer = self.to_api()
        answer.update({
            "id": self.org_id,
            "credit": money(self.credit, self.currency_id),
            "accounting": self.accounting,
            "applications": list(self.applications),
            "numbers": [n.to_api() for n in self.sorted_numbers()],
        })
        return answer


class Reservation:
    """Numbers of one group held for one organisation until checkout or expiry."""

    def __init__(self, seq, reference_id, org_id, group_id, quantity, capabilities, unit_cost, currency_id, expires_at):
        self.seq = seq
        self.reference_id = reference_id
        self.org_id = org_id
        self.group_id = group_id
        self.quantity = quantity
        self.capabilities = capabilities
        self.unit_cost = unit_cost
        self.currency_id = currency_id
        self.expires_at = expires_at
        self.force_expired = False

    def is_active(self, now):
        """True while the reservation holds availability and can be checked out."""
        return not self.force_expired and now < self.expires_at

    def total_cost(self):
        """quantity x unit cost, as a Decimal."""
        return self.unit_cost * self.quantity

    def snapshot(self, now):
        """The admin view of the reservation."""
        return {
            "id": self.reference_id,
            "organisation_id": self.org_id,
            "group_id": self.group_id,
            "quantity": self.quantity,
            "capabilities": list(self.capabilities),
            "unit_cost": money(self.unit_cost, self.currency_id),
            "expires_at": format_zulu(self.expires_at),
            "expired": not self.is_active(now),
        }


class Purchase:
    """One applied checkout, kept for the admin ledger: which reservations, which numbers, what was charged."""

    def __init__(self, seq, org_id, reservations, numbers, amount, at):
        self.seq = seq
        self.org_id = org_id
        self.reference_ids = [r.reference_id for r in reservations]
        # One entry per reservation, in the order of reference_ids: (group id, quantity, unit cost as a Decimal).
        self.groups = [(r.group_id, r.quantity, r.unit_cost) for r in reservations]
        self.numbers = list(numbers)
        self.amount = amount
        self.at = at

    def snapshot(self):
        """The admin view of the purchase; money as JSON numbers (the sums were made with Decimal)."""
        return {
            "seq": self.seq,
            "organisation_id": self.org_id,
            "reference_ids": list(self.reference_ids),
            "numbers": list(self.numbers),
            "groups": [{"group_id": group_id, "quantity": quantity, "unit_cost": float(unit_cost)}
                       for group_id, quantity, unit_cost in self.groups],
            "amount": float(self.amount),
            "at": format_zulu(self.at),
        }


class Instance:
    """A signing instance: id, Base64 secret, owner and expiry."""

    def __init__(self, instance_id, secret, user_id, org_id, expires_at):
        self.instance_id = instance_id
        self.secret = secret
        self.user_id = user_id
        self.org_id = org_id
        self.expires_at = expires_at


class World:
    """Everything a fixture defines plus what requests create; replaced as a whole on reset."""

    def __init__(self, settings):
        self.settings = settings
        self.users = []
        self.organisations = {}
        self.groups = {}
        self.reservations = {}
        self.instances = {}
        self.tokens = {}
        self.reservation_seq = 0
        self.purchases = []    # the admin ledger: every applied checkout, in order

    def sorted_groups(self):
        """Number groups sorted by groupId."""
        return [self.groups[key] for key in sorted(self.groups)]

    def application_owner(self, application_key):
        """The organisation that owns an application key, or None."""
        for org in self.organisations.values():
            if application_key in org.applications:
                return org
        return None

    def all_numbers(self):
        """Every rented number of every organisation, as a set of ints."""
        return {number for org in self.organisations.values() for number in org.numbers}
