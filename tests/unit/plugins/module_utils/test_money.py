# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Money, one shape: exact decimal strings with their currency, unknown never 0, sums by currency."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from decimal import Decimal

import pytest

from ansible_collections.sinch.numbers.plugins.module_utils import _money


@pytest.mark.parametrize("value, expected", [
    (4, Decimal("4")), ("4.00", Decimal("4.00")), (0.1, Decimal("0.1")), ("0.125", Decimal("0.125")),
    (" 2.5 ", Decimal("2.5")), (Decimal("1.10"), Decimal("1.10")), (0, Decimal(0)),
])
def test_an_amount_sinch_sends_as_a_number_or_text_is_an_exact_decimal(value, expected):
    amount = _money.amount_of(value)
    assert isinstance(amount, Decimal) and amount == expected and str(amount) == str(expected)


@pytest.mark.parametrize("value", [None, True, False, "", "n/a", "NaN", "inf", "-Infinity", float("nan"), float("inf"),
                                   [], {}, {"amount": 2}])
def test_an_amount_that_cannot_be_read_is_unknown(value):
    assert _money.amount_of(value) is None


@pytest.mark.parametrize("amount, text", [
    (Decimal("4"), "4.00"), (Decimal("4.0"), "4.00"), (Decimal("4.00"), "4.00"), (Decimal("0.125"), "0.125"),
    (Decimal("0.1"), "0.10"), (Decimal("1E+1"), "10.00"), (Decimal("12.5000"), "12.5000"), (Decimal(0), "0.00"),
])
def test_amounts_are_written_exactly_with_at_least_two_decimals(amount, text):
    assert _money.text(amount) == text
    # written so, the amount is still the same number
    assert Decimal(_money.text(amount)) == amount


@pytest.mark.parametrize("currency, expected", [("usd", "USD"), (" Eur ", "EUR"), ("USD", "USD"), (None, None),
                                                ("", None), (840, None)])
def test_the_money_shape_has_an_exact_amount_and_an_upper_case_currency(currency, expected):
    assert _money.money(Decimal("4"), currency) == {"amount": "4.00", "currency_id": expected}


def test_an_unknown_amount_is_null_never_zero():
    assert _money.money(None, "USD") == {"amount": None, "currency_id": "USD"}
    assert _money.text(None) is None
    assert _money.words(None, "USD") == "an unknown amount"
    assert "0" not in _money.words(None, "USD")


def test_sinchs_money_object_is_read_into_the_one_shape():
    assert _money.from_sinch({"amount": 2.0, "currencyId": "usd", "formatted": "$2.00"}) == (Decimal("2.0"), "USD")
    assert _money.from_sinch({"currencyId": "USD"}) == (None, "USD")
    assert _money.from_sinch(None) == (None, None)
    assert _money.from_sinch("2.00 USD") == (None, None)


def test_messages_say_amounts_with_their_currency():
    assert _money.words(Decimal("4"), "usd") == "4.00 USD"
    assert _money.words(Decimal("0.125")) == "0.125"


def test_totals_sum_exactly_by_currency_whatever_its_case():
    totals = _money.Totals()
    totals.add(Decimal("0.1"), "usd").add(Decimal("0.2"), "USD").add(Decimal("1.125"), "Eur", 2)
    assert totals.in_currency("USD") == Decimal("0.3")  # never 0.30000000000000004
    assert totals.in_currency("usd") == totals.in_currency("USD")
    assert totals.in_currency("EUR") == Decimal("2.250")
    assert totals.currencies == ["EUR", "USD"]
    assert totals.to_result() == [{"amount": "2.250", "currency_id": "EUR"}, {"amount": "0.30", "currency_id": "USD"}]
    assert totals.words() == "2.250 EUR + 0.30 USD"


def test_unknown_prices_are_counted_in_numbers_never_summed_as_zero():
    totals = _money.Totals()
    totals.add(None, "USD", 3).add(Decimal("2"), "USD").add(None, None)
    assert totals.unknown == 4
    assert totals.to_result() == [{"amount": "2.00", "currency_id": "USD"}]
    assert totals.words() == "2.00 USD (and 4 numbers of unknown price)"
    only_unknown = _money.Totals().add(None, "USD")
    assert only_unknown.to_result() == [] and only_unknown.unknown == 1
    assert only_unknown.words() == "an unknown amount"


def test_adding_nothing_changes_nothing_and_totals_extend_each_other():
    totals = _money.Totals().add(Decimal("5"), "USD", 0).add(None, "USD", 0)
    assert totals.to_result() == [] and totals.unknown == 0 and totals.words() == "0.00"
    assert totals.in_currency("USD") == Decimal(0)
    other = _money.Totals().add(Decimal("1.5"), "usd", 2).add(None, "EUR")
    totals.add(Decimal("1"), "USD").extend(other).extend(other)
    assert totals.in_currency("USD") == Decimal("7.0") and totals.unknown == 2


def test_plural():
    assert _money.plural(1, "number") == "1 number"
    assert _money.plural(0, "number") == "0 numbers" and _money.plural(2, "group") == "2 groups"
