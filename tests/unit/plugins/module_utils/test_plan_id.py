# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The plan id: the same plan gives the same id anywhere; any change to what is written or to the guards another."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import hashlib
import json
from decimal import Decimal

import pytest
import yaml

from ansible_collections.sinch.numbers.plugins.module_utils import _plan_id, _shapes
from ansible_collections.sinch.numbers.plugins.module_utils._rent import Guard
from ansible_collections.sinch.numbers.plugins.module_utils._rentals import fingerprint_data, plan_rentals, rentals_from_options
from ansible_collections.sinch.numbers.plugins.modules import sinch_number_rentals
from ansible_collections.sinch.numbers.tests.unit.plugins.modules.rent_fakes import group, rented

APP = "aaaaaaaa-0000-4000-8000-000000000001"
GUARD = {"max_unit_cost": Decimal("5"), "max_total_cost": Decimal("20"), "currency_id": "USD"}


def groups(amount="2.00", quantity=2, group_id=3):
    return [{"group_id": group_id, "quantity": quantity, "unit_cost": amount, "currency_id": "USD"}]


def apps(numbers=("+33170000001", "(new number in group 3)")):
    return [{"application_key": APP, "capability": "voice", "numbers": list(numbers)}]


def ident(group_list=None, app_list=None, guard=None):
    return _plan_id.plan_id(_plan_id.canonical(groups() if group_list is None else group_list,
                                               apps() if app_list is None else app_list,
                                               GUARD if guard is None else guard))


def test_the_id_is_the_documented_hashes_of_the_categories():
    data = _plan_id.canonical(groups(), apps(), GUARD)
    expected = ["snp1"]
    for category in ("quantities", "prices", "applications", "guards"):
        text = json.dumps(data[category], sort_keys=True, separators=(",", ":"))
        expected.append(hashlib.sha256(text.encode("utf-8")).hexdigest()[:16])
    assert _plan_id.plan_id(data) == "-".join(expected)
    assert data["prices"] == [{"group_id": 3, "unit_cost": "2", "currency_id": "USD"}]
    assert data["guards"] == {"max_unit_cost": "5", "max_total_cost": "20", "currency_id": "USD"}
    assert _plan_id.PLAN_ID.match(_plan_id.plan_id(data))


def test_the_same_plan_written_differently_has_the_same_id():
    first = ident()
    # ids as strings, amounts as other decimal forms, numbers as integers, guards as floats, lists reordered
    assert ident(groups(amount=Decimal("2"), group_id="3"),
                 apps(numbers=("(new number in group 3)", 33170000001)),
                 {"currency_id": "usd", "max_total_cost": 20.0, "max_unit_cost": "5.000"}) == first
    assert ident(groups(amount=2)) == first
    split = [dict(groups()[0], quantity=1), dict(groups()[0], quantity=1, unit_cost="2.0")]
    assert ident(split) == first


def test_dict_order_and_list_order_of_entries_do_not_matter():
    two = [{"group_id": 3, "quantity": 1, "unit_cost": "2", "currency_id": "USD"},
           {"group_id": 7, "quantity": 1, "unit_cost": "1.5", "currency_id": "EUR"}]
    reordered = [dict(reversed(list(entry.items()))) for entry in reversed(two)]
    assert ident(two) == ident(reordered)
    other_app = {"application_key": "b-app", "capability": "sms", "numbers": ["+1415"]}
    assert ident(app_list=apps() + [other_app]) == ident(app_list=[other_app] + apps())


@pytest.mark.parametrize("changed", [
    dict(group_list=groups(amount="2.01")),
    dict(group_list=[dict(groups()[0], currency_id="EUR")]),
    dict(group_list=groups(quantity=3)),
    dict(group_list=groups(group_id=4)),
    dict(group_list=[]),
    dict(app_list=apps(numbers=("+33170000002", "(new number in group 3)"))),
    dict(app_list=apps(numbers=("+33170000001",))),
    dict(app_list=[dict(apps()[0], capability="sms")]),
    dict(app_list=[]),
    dict(guard=dict(GUARD, max_unit_cost=Decimal("6"))),
    dict(guard=dict(GUARD, max_total_cost=None)),
    dict(guard=dict(GUARD, currency_id="EUR")),
])
def test_any_change_gives_another_id_and_names_its_category(changed):
    now = _plan_id.canonical(changed.get("group_list", groups()), changed.get("app_list", apps()),
                             changed.get("guard", GUARD))
    approved = ident()
    assert _plan_id.plan_id(now) != approved
    with pytest.raises(_plan_id.PlanIdError) as err:
        _plan_id.check(approved, now)
    message = str(err.value)
    assert "Nothing was reserved or assigned" in message
    assert _plan_id.plan_id(now) in message
    differing = _plan_id.differing(approved, now)
    assert differing
    for category in differing:
        assert _plan_id.MEANING[category] in message
    if "group_list" in changed and changed["group_list"] and changed["group_list"][0]["quantity"] == 3:
        assert differing == ["quantities"] and "group 3: 3" in message
    if "guard" in changed:
        assert differing == ["guards"]
    if "app_list" in changed:
        assert differing == ["applications"]


def test_a_price_change_alone_is_named_as_a_price_change():
    approved = ident()
    now = _plan_id.canonical(groups(amount="2.50"), apps(), GUARD)
    assert _plan_id.differing(approved, now) == ["prices"]
    with pytest.raises(_plan_id.PlanIdError, match=r"the prices of the groups to rent differ \(now: group 3: 2.5 USD\)"):
        _plan_id.check(approved, now)


def test_the_matching_id_passes_whatever_its_case():
    data = _plan_id.canonical(groups(), apps(), GUARD)
    assert _plan_id.check(" %s " % _plan_id.plan_id(data).upper(), data) is None


@pytest.mark.parametrize("value", ["", "abc", "snp1-00", "snp2-" + "-".join(["0" * 16] * 4), "snp1-" + "-".join(["g" * 16] * 4)])
def test_a_value_that_is_no_plan_id_is_refused_in_one_sentence(value):
    with pytest.raises(_plan_id.PlanIdError, match="is not a plan id.*Nothing was sent to Sinch"):
        _plan_id.parse(value)


def test_the_converged_id_is_that_of_an_empty_write_set_with_the_guards():
    rentals = rentals_from_options([{"name": "one", "count": 1, "group_id": 1, "application_key": APP}])
    numbers = _shapes.numbers([rented(33170000001, application_key=APP)])
    guard = Guard(5, 20, "USD")
    plan = plan_rentals(rentals, numbers, None, guard)
    assert not plan.changed
    data = fingerprint_data(plan, guard)
    assert data == _plan_id.canonical([], [], {"max_unit_cost": "5", "max_total_cost": "20.00", "currency_id": "USD"})
    assert _plan_id.plan_id(data) == _plan_id.plan_id(_plan_id.canonical([], [], GUARD))


def test_the_planner_fingerprints_what_it_writes():
    rentals = rentals_from_options([{"name": "one", "count": 2, "group_id": 3, "application_key": APP}])
    numbers = _shapes.numbers([rented(33170000001, group_id=3)])
    shop = [_shapes.number_group(group(3, 5, amount=2.0))]
    data = fingerprint_data(plan_rentals(rentals, numbers, shop, Guard()), Guard())
    assert data["quantities"] == [{"group_id": 3, "quantity": 1}]
    assert data["prices"] == [{"group_id": 3, "unit_cost": "2", "currency_id": "USD"}]
    assert data["applications"] == [{"application_key": APP, "capability": "voice",
                                     "numbers": ["+33170000001", "(new number in group 3)"]}]
    # the same world read again: the same id; a dearer shop: another one
    again = fingerprint_data(plan_rentals(rentals, numbers, [_shapes.number_group(group(3, 5, amount="2.00"))], Guard()),
                             Guard())
    assert _plan_id.plan_id(again) == _plan_id.plan_id(data)
    dearer = fingerprint_data(plan_rentals(rentals, numbers, [_shapes.number_group(group(3, 5, amount=2.5))], Guard()),
                              Guard())
    assert _plan_id.differing(_plan_id.plan_id(data), dearer) == ["prices"]
    # the free number assigned elsewhere meanwhile: two to rent, and the application gets other numbers
    taken = _shapes.numbers([rented(33170000001, group_id=3, application_key="other")])
    moved = fingerprint_data(plan_rentals(rentals, taken, shop, Guard()), Guard())
    assert set(_plan_id.differing(_plan_id.plan_id(data), moved)) == {"quantities", "applications"}


def test_the_documented_sample_is_the_id_of_the_documented_data_written_any_way():
    # Pins version 1 across releases and machines: an id approved today must still match after an upgrade.
    documented = yaml.safe_load(sinch_number_rentals.RETURN)
    sample = documented["plan_id"]["sample"]
    data = documented["plan_fingerprint_data"]["sample"]
    assert sample == "snp1-f0ed40ec6f9a636c-209cd1700189503d-dad7d0fb1d5ae57e-16c51b407f07141c"
    assert _plan_id.plan_id(data) == sample
    written_otherwise = _plan_id.canonical(
        [{"group_id": "3", "quantity": 2, "unit_cost": "2.00", "currency_id": "usd"}],
        [{"application_key": "bb7b4e39-4227-4913-8c81-2db4abb54fb3", "capability": "voice",
          "numbers": ["(new number in group 3)", 33170000000, "(new number in group 3)"]}],
        {"max_unit_cost": 5, "max_total_cost": 20.0, "currency_id": "usd"})
    assert written_otherwise == data
    assert _plan_id.plan_id(written_otherwise) == sample
