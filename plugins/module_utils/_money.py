# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: money, one shape and one formatter.

Inside, amounts are ``Decimal`` (never float sums). In every result, a monetary value has one shape,
``{"amount": "4.00", "currency_id": "USD"}``: the amount an exact decimal string with at least two
decimal places (``"0.125"`` stays exact), or null when it is unknown (never ``"0.00"``), and the
currency in upper case, as Sinch writes it. A sum over several currencies is a list of such values,
one per currency, sorted by currency; numbers whose price Sinch did not give are counted apart
(``unknown_cost``: how many numbers), never as 0.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from decimal import Decimal, InvalidOperation

CENT = Decimal("0.01")
UNKNOWN_WORDS = "an unknown amount"


def amount_of(value):
    """A Decimal from an amount Sinch sent as a number or a numeric string; None when absent or unreadable.

    An unreadable price is never free: callers treat None as "unknown", never as 0.
    """
    if value is None or isinstance(value, bool):
        return None
    if not isinstance(value, (int, float, str, Decimal)):
        return None
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() else None


def currency_of(value):
    """A currency id as Sinch writes it (upper case, trimmed), or None when absent or unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().upper()


def text(amount):
    """An exact decimal as a string with at least two decimal places ("4.00", "0.125"); None for None."""
    if amount is None:
        return None
    if amount.as_tuple().exponent > -2:
        amount = amount.quantize(CENT)
    return format(amount, "f")


def money(amount, currency_id):
    """The money shape of every result: {"amount": "4.00" or None, "currency_id": "USD" or None}."""
    return {"amount": text(amount), "currency_id": currency_of(currency_id)}


def from_sinch(raw):
    """Sinch's Money object ({"amount", "currencyId"}) as (Decimal or None, currency or None)."""
    raw = raw if isinstance(raw, dict) else {}
    return amount_of(raw.get("amount")), currency_of(raw.get("currencyId"))


def words(amount, currency_id=None):
    """4.00 USD, the way messages say an amount; "an unknown amount" for None."""
    if amount is None:
        return UNKNOWN_WORDS
    currency = currency_of(currency_id)
    return "%s %s" % (text(amount), currency) if currency else text(amount)


class Totals(object):
    """Sums by currency, exact, with numbers of unknown price counted apart."""

    def __init__(self):
        self.amounts = {}
        self.unknown = 0

    def add(self, amount, currency_id, count=1):
        """Add ``count`` numbers at ``amount`` each (None: unknown price, counted apart)."""
        if count <= 0:
            return self
        if amount is None:
            self.unknown += count
            return self
        key = currency_of(currency_id) or ""
        self.amounts[key] = self.amounts.get(key, Decimal(0)) + amount * count
        return self

    def extend(self, other):
        for currency, amount in other.amounts.items():
            self.amounts[currency] = self.amounts.get(currency, Decimal(0)) + amount
        self.unknown += other.unknown
        return self

    def in_currency(self, currency_id):
        """The known sum in one currency (case-insensitive), Decimal 0 when none."""
        return self.amounts.get(currency_of(currency_id) or "", Decimal(0))

    @property
    def currencies(self):
        return sorted(currency for currency in self.amounts if currency)

    def to_result(self):
        """The list of money values, one per currency, sorted."""
        return [money(self.amounts[currency], currency or None) for currency in sorted(self.amounts)]

    def words(self):
        """4.00 USD + 3.00 EUR (and 2 numbers of unknown price); "0.00" when nothing."""
        parts = [words(self.amounts[currency], currency) for currency in sorted(self.amounts)]
        if not parts and self.unknown:
            return UNKNOWN_WORDS
        result = " + ".join(parts) or "0.00"
        if self.unknown:
            result += " (and %s of unknown price)" % plural(self.unknown, "number")
        return result


def plural(count, word):
    return "%d %s%s" % (count, word, "" if count == 1 else "s")
