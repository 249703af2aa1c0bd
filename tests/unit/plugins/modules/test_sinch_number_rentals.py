# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""sinch_number_rentals: the requests of one call, a lost or refused checkout, a lagging read, honest failures."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy

import pytest

from ansible_collections.sinch.numbers.plugins.module_utils._errors import SinchError
from ansible_collections.sinch.numbers.plugins.module_utils._input import InputError
from ansible_collections.sinch.numbers.plugins.modules import sinch_number_rentals
from ansible_collections.sinch.numbers.tests.unit.plugins.modules.rent_fakes import FakeShopClient, group, rented

APP = "aaaaaaaa-0000-4000-8000-000000000001"
OTHER = "bbbbbbbb-0000-4000-8000-000000000002"


class FakeRentalsClient(FakeShopClient):
    """The shop fake, with applications (overwrite per capability) and a rented-numbers read that may lag."""

    def __init__(self, *args, **kwargs):
        self.applications = set(kwargs.pop("applications", (APP, OTHER)))
        self.lagging_reads = 0
        super(FakeRentalsClient, self).__init__(*args, **kwargs)
        self.hidden = set()

    def list_numbers(self):
        if self.lagging_reads:
            self.lagging_reads -= 1
            self.calls.append(("list_numbers",))
            return [copy.deepcopy(raw) for number, raw in sorted(self.numbers.items()) if number not in self.hidden]
        return super(FakeRentalsClient, self).list_numbers()

    def checkout(self, reference_ids):
        before = set(self.numbers)
        try:
            super(FakeRentalsClient, self).checkout(reference_ids)
        finally:
            self.hidden = set(self.numbers) - before

    def list_application_numbers(self, key):
        self.calls.append(("list_application_numbers", key))
        if key not in self.applications:
            raise SinchError("Application not found", status=404, error_code=40400, method="GET")
        return [copy.deepcopy(raw) for number, raw in sorted(self.numbers.items()) if raw.get("applicationKey") == key]

    def set_application_numbers(self, key, capability, numbers):
        self.calls.append(("set_application_numbers", key, capability, list(numbers)))
        for raw in self.numbers.values():
            if raw.get("applicationKey") == key and capability in raw["capabilities"]:
                del raw["applicationKey"]
        for number in numbers:
            self.numbers[number]["applicationKey"] = key
        return [copy.deepcopy(raw) for number, raw in sorted(self.numbers.items()) if raw.get("applicationKey") == key]


def params(*rentals, **guards):
    result = {"rentals": list(rentals), "max_unit_cost": None, "max_total_cost": None, "currency_id": None,
              "lock_timeout": 5}
    result.update(guards)
    return result


def rental(name, count, application_key=None, **selector):
    option = dict((key, None) for key in ("group_id", "country_id", "city", "area_code", "capability"))
    option.update(selector, name=name, count=count, application_key=application_key)
    return option


SHOP = [group(1, 7, 2.0), group(2, 5, 2.0, country_id="GB", city="LONDON")]


def fake(numbers=(), groups=None):
    return FakeRentalsClient(groups if groups is not None else SHOP, numbers)


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch, tmp_path):
    """No real waits (Purchase's settling reads), and the organisation lock in a directory of the test's own."""
    waits = []
    real = sinch_number_rentals.number_rentals

    def run(client, params, check_mode):
        return real(client, params, check_mode, sleep=waits.append, lock_directory=str(tmp_path))
    monkeypatch.setattr(sinch_number_rentals, "number_rentals", run)
    return waits


def number_rentals(client, params, check_mode):
    return sinch_number_rentals.number_rentals(client, params, check_mode)


def test_one_reserve_per_group_one_checkout_one_read_one_overwrite():
    client = fake([rented(33100000001, application_key=APP)])
    result = number_rentals(client, params(rental("app", 3, APP, group_id=1), rental("uk", 1, country_id="GB")), False)
    assert client.names() == ["list_numbers", "list_number_groups", "reserve", "reserve", "checkout", "list_numbers",
                              "list_application_numbers", "set_application_numbers"]
    assert client.writes()[:2] == [("reserve", 1, 2, ["voice"]), ("reserve", 2, 1, None)]
    assert client.calls[-1] == ("set_application_numbers", APP, "voice", [33100000001, 33100000002, 33100000003])
    assert result["changed"] and not result["check_mode"]
    assert result["totals"]["rented_this_run"] == 3
    assert client.credit == 94


def test_check_mode_reads_only():
    client = fake()
    result = number_rentals(client, params(rental("app", 1, APP, group_id=1)), True)
    assert client.names() == ["list_numbers", "list_application_numbers", "list_number_groups"]
    assert result["changed"] and result["check_mode"]
    assert result["rentals"][0]["rented_this_run"] == ["(new number in group 1)"]
    assert client.credit == 100


def test_a_lost_checkout_answer_is_read_not_repeated():
    client = fake()
    client.checkout_faults = ["drop_after"]
    result = number_rentals(client, params(rental("org", 2, group_id=1)), False)
    assert client.names().count("checkout") == 1
    assert result["rentals"][0]["rented_this_run"] == ["+33100000001", "+33100000002"]
    assert client.credit == 96


def test_a_lagging_read_is_read_again():
    client = fake()
    client.lagging_reads = 3  # the read before the checkout, then two reads that do not show the new numbers yet
    result = number_rentals(client, params(rental("org", 1, group_id=1)), False)
    assert client.names().count("list_numbers") == 4
    assert result["rentals"][0]["rented_this_run"] == ["+33100000001"]


def test_numbers_never_listed_fail_as_a_change_saying_what_was_bought(no_sleep):
    client = fake()
    client.lagging_reads = 10
    with pytest.raises(SinchError) as err:
        number_rentals(client, params(rental("app", 1, APP, group_id=1)), False)
    result = err.value.to_result()
    assert result["changed"] is True
    assert "succeeded, but after" in err.value.describe()
    assert result["totals"]["rented_this_run"] == 1 and result["totals"]["unlisted"] == 1
    assert result["totals"]["added_monthly_cost"] == {"USD": 2.0}
    assert "set_application_numbers" not in client.names()
    assert no_sleep  # it waited between the reads


def test_a_refused_reserve_buys_nothing_and_is_no_change():
    client = fake()
    client.reserve_faults = [None, SinchError("Not enough numbers available", status=400, error_code=40003, method="PUT")]
    with pytest.raises(SinchError) as err:
        number_rentals(client, params(rental("fr", 1, group_id=1), rental("uk", 1, group_id=2)), False)
    assert not err.value.to_result().get("changed")
    assert "Nothing was bought" in err.value.describe()
    assert "checkout" not in client.names()


def test_an_unknown_application_stops_before_the_shop():
    client = fake()
    with pytest.raises(ValueError) as err:
        number_rentals(client, params(rental("x", 1, "cccccccc-0000-4000-8000-000000000003", group_id=1)), False)
    assert "is not known to this organisation" in str(err.value)
    assert client.names() == ["list_numbers", "list_application_numbers"]


def test_bad_rentals_send_nothing():
    client = fake()
    with pytest.raises(InputError):
        number_rentals(client, params(rental("x", -1, group_id=1)), False)
    assert client.calls == []


def test_two_capabilities_of_one_application_are_read_and_written_in_turn():
    new_orleans = group(75, 5, 2.0, country_id="US", city="NEW ORLEANS", area_code="504", capabilities=("sms",))
    groups = [group(1, 5, 2.0), new_orleans]
    client = FakeRentalsClient(groups, [rented(33100000001), rented(33100000009, application_key=APP)])
    rentals = params(rental("v", 2, APP, group_id=1), rental("s", 1, APP, group_id=75, capability="sms"))
    result = number_rentals(client, rentals, False)
    assert [call for call in client.calls if call[0] == "set_application_numbers"] == [
        ("set_application_numbers", APP, "sms", [337500000001]),
        ("set_application_numbers", APP, "voice", [33100000001, 33100000009])]
    assert client.names().count("list_application_numbers") == 2
    assert result["applications"] == {APP: ["+33100000001", "+33100000009", "+337500000001"]}


def test_reads_that_disagree_stop_the_write_and_say_what_was_bought():
    client = fake([rented(33100000009, application_key=APP)])
    real = client.list_application_numbers

    def stale(key):  # the application read misses a number the rented-numbers read shows on it
        return [raw for raw in real(key) if raw["number"] != 33100000009]
    client.list_application_numbers = stale
    with pytest.raises(SinchError) as err:
        number_rentals(client, params(rental("a", 2, APP, group_id=1)), False)
    assert "set_application_numbers" not in client.names()
    assert "the two reads of its numbers disagree" in err.value.describe()
    assert "Before it failed, this call rented 1 number" in err.value.describe()
    result = err.value.to_result()
    assert result["changed"] is True
    assert result["totals"]["rented_this_run"] == 1


def test_bought_numbers_the_plan_cannot_place_fail_as_a_change(monkeypatch):
    # The checkout succeeded: whatever goes wrong after it, the failure says changed and what was bought.
    client = fake()
    monkeypatch.setattr(sinch_number_rentals, "attribute", lambda plan, before, after: list(plan.new_numbers))
    with pytest.raises(SinchError) as err:
        number_rentals(client, params(rental("org", 1, group_id=1)), False)
    result = err.value.to_result()
    assert result["changed"] is True
    assert "Before it failed, this call rented 1 number" in err.value.describe()
    assert client.credit == 98
