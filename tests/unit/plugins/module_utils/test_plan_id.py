# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The plan id (version 2): the same plan gives the same id anywhere; any change to what is sent or written, to the
guards or to the organisation gives another."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import hashlib
import json
from decimal import Decimal

import pytest
import yaml

from ansible_collections.sinch.numbers.plugins.module_utils import _input, _plan_id, _planner, _shapes
from ansible_collections.sinch.numbers.plugins.module_utils._rentals import fingerprint_data
from ansible_collections.sinch.numbers.plugins.modules import sinch_number_rentals

APP = "aaaaaaaa-0000-4000-8000-000000000001"
ORG = 8888123
GUARD = {"max_unit_cost": Decimal("5"), "max_total_cost": Decimal("20"), "currency_id": "USD"}


def groups(amount="2.00", quantity=2, group_id=3, capabilities=("voice",), selected=("voice",)):
    return [{"group_id": group_id, "quantity": quantity, "unit_cost": amount, "currency_id": "USD",
             "capabilities": list(capabilities) if capabilities is not None else None,
             "selected_capabilities": list(selected)}]


def apps(numbers=("+33170000001", "(new number in group 3)")):
    return [{"application_key": APP, "capability": "voice", "numbers": list(numbers)}]


def canonical(group_list=None, app_list=None, guard=None, organisation_id=ORG):
    return _plan_id.canonical(groups() if group_list is None else group_list, apps() if app_list is None else app_list,
                              GUARD if guard is None else guard, organisation_id)


def ident(*args, **kwargs):
    return _plan_id.plan_id(canonical(*args, **kwargs))


def test_the_id_is_the_documented_hashes_of_the_five_categories():
    data = canonical()
    expected = ["snp2"]
    for category in ("quantities", "prices", "applications", "guards", "organisation"):
        text = json.dumps(data[category], sort_keys=True, separators=(",", ":"))
        expected.append(hashlib.sha256(text.encode("utf-8")).hexdigest()[:16])
    assert _plan_id.plan_id(data) == "-".join(expected)
    assert _plan_id.PLAN_ID.match(_plan_id.plan_id(data))
    assert data["version"] == 2
    assert data["quantities"] == [{"group_id": 3, "quantity": 2, "capabilities": ["voice"],
                                   "selected_capabilities": ["voice"]}]
    assert data["prices"] == [{"group_id": 3, "unit_cost": "2", "currency_id": "USD"}]
    assert data["guards"] == {"max_unit_cost": "5", "max_total_cost": "20", "currency_id": "USD"}
    assert data["organisation"] == {"organisation_id": ORG}


def test_the_same_plan_written_differently_has_the_same_id():
    first = ident()
    # ids as strings, amounts as other decimal forms, numbers as integers, guards as floats, lists reordered
    assert ident(groups(amount=Decimal("2"), group_id="3", capabilities=("VOICE",)),
                 apps(numbers=("(new number in group 3)", 33170000001)),
                 {"currency_id": "usd", "max_total_cost": 20.0, "max_unit_cost": "5.000"}, organisation_id="8888123") == first
    assert ident(groups(amount=2)) == first
    split = [dict(groups()[0], quantity=1), dict(groups()[0], quantity=1, unit_cost="2.0")]
    assert ident(split) == first


def test_dict_order_and_list_order_of_entries_do_not_matter():
    two = groups() + groups(amount="1.5", quantity=1, group_id=7, capabilities=("sms", "voice"), selected=("sms",))
    reordered = [dict(reversed(list(entry.items()))) for entry in reversed(two)]
    assert ident(two) == ident(reordered)
    other_app = {"application_key": "b-app", "capability": "sms", "numbers": ["+1415"]}
    assert ident(app_list=apps() + [other_app]) == ident(app_list=[other_app] + apps())


@pytest.mark.parametrize("changed, category", [
    (dict(group_list=groups(amount="2.01")), "prices"),
    (dict(group_list=[dict(groups()[0], currency_id="EUR")]), "prices"),
    (dict(group_list=groups(quantity=3)), "quantities"),
    (dict(group_list=groups(capabilities=("sms", "voice"))), "quantities"),
    (dict(group_list=groups(capabilities=None)), "quantities"),
    (dict(group_list=groups(selected=("sms",))), "quantities"),
    (dict(group_list=groups(selected=("sms", "voice"))), "quantities"),
    (dict(app_list=apps(numbers=("+33170000002", "(new number in group 3)"))), "applications"),
    (dict(app_list=apps(numbers=("+33170000001",))), "applications"),
    (dict(app_list=[dict(apps()[0], capability="sms")]), "applications"),
    (dict(app_list=[]), "applications"),
    (dict(guard=dict(GUARD, max_unit_cost=Decimal("6"))), "guards"),
    (dict(guard=dict(GUARD, max_total_cost=None)), "guards"),
    (dict(guard=dict(GUARD, currency_id="EUR")), "guards"),
    (dict(organisation_id=8888124), "organisation"),
    (dict(organisation_id=None), "organisation"),
])
def test_any_change_gives_another_id_and_names_its_category(changed, category):
    now = canonical(**changed)
    approved = ident()
    assert _plan_id.plan_id(now) != approved
    assert _plan_id.differing(approved, now) == [category]
    with pytest.raises(_plan_id.PlanIdError) as err:
        _plan_id.check(approved, now)
    message = str(err.value)
    assert "Nothing was reserved or assigned" in message
    assert _plan_id.plan_id(now) in message and approved in message
    assert _plan_id.MEANING[category] in message


def test_another_group_changes_quantities_and_prices():
    approved, now = ident(), canonical(group_list=groups(group_id=4))
    assert _plan_id.differing(approved, now) == ["quantities", "prices"]
    assert _plan_id.differing(approved, canonical(group_list=[])) == ["quantities", "prices"]


def test_a_price_change_alone_is_named_as_a_price_change():
    with pytest.raises(_plan_id.PlanIdError, match=r"the prices of the groups to rent changed \(now: group 3: 2.5 USD\)"):
        _plan_id.check(ident(), canonical(group_list=groups(amount="2.50")))


def test_a_plan_for_another_organisation_names_it():
    with pytest.raises(_plan_id.PlanIdError, match=r"the organisation changed \(now: organisation 8888124\)"):
        _plan_id.check(ident(), canonical(organisation_id=8888124))


def test_the_matching_id_passes():
    data = canonical()
    assert _plan_id.check(_input.plan_id(" %s " % _plan_id.plan_id(data).upper()), data) is None


# --- Plans made by the planner ---------------------------------------------------------------------------------


def number(value, group_id=3, application_key=None, capabilities=("voice", "sms")):
    raw = {"number": value, "groupId": group_id, "capabilities": list(capabilities), "countryId": "FR", "city": "PARIS",
           "areaCode": "01", "cost": {"amount": "2.00", "currencyId": "USD"}}
    if application_key:
        raw["applicationKey"] = application_key
    return raw


def shop_of(amount="2.00", capabilities=("voice", "sms")):
    return _shapes.shop([{"groupId": 3, "availability": 5, "capabilities": list(capabilities), "countryId": "FR",
                          "city": "PARIS", "areaCode": "01", "cost": {"amount": amount, "currencyId": "USD"}}])


def planned(options, numbers=(), shop=None, guard=None, organisation_id=ORG):
    guard = guard or _input.Guard()
    the_plan = _planner.plan(_input.rentals(options), _shapes.listing(list(numbers)), shop, guard)
    return fingerprint_data(the_plan, guard, organisation_id)


def one(count=2, capability=None, application_key=APP):
    return [{"name": "one", "count": count, "group_id": 3, "application_key": application_key, "capability": capability}]


def test_the_planner_fingerprints_what_it_sends_and_writes():
    data = planned(one(), [number(33170000001)], shop_of())
    assert data["quantities"] == [{"group_id": 3, "quantity": 1, "capabilities": ["sms", "voice"],
                                   "selected_capabilities": ["voice"]}]
    assert data["prices"] == [{"group_id": 3, "unit_cost": "2", "currency_id": "USD"}]
    assert data["applications"] == [{"application_key": APP, "capability": "voice",
                                     "numbers": ["+33170000001", "(new number in group 3)"]}]
    assert data["organisation"] == {"organisation_id": ORG}
    # the same world read again: the same id
    assert _plan_id.plan_id(planned(one(), [number(33170000001)], shop_of("2.0"))) == _plan_id.plan_id(data)


def test_the_planner_gives_another_id_when_the_world_changes():
    approved = _plan_id.plan_id(planned(one(), [number(33170000001)], shop_of()))
    dearer = planned(one(), [number(33170000001)], shop_of("2.5"))
    assert _plan_id.differing(approved, dearer) == ["prices"]
    # the free number assigned elsewhere meanwhile: two to rent, and the application gets other numbers
    taken = planned(one(), [number(33170000001, application_key="bbbbbbbb-0000-4000-8000-000000000002")], shop_of())
    assert set(_plan_id.differing(approved, taken)) == set(["quantities", "applications"])


def test_a_plan_for_sms_never_has_the_id_of_a_plan_for_voice():
    voice = planned(one(capability="voice", application_key=None), [], shop_of())
    sms = planned(one(capability="sms", application_key=None), [], shop_of())
    # the reservation asks for the group's capabilities either way, but what the rentals select differs
    assert voice["quantities"][0]["capabilities"] == sms["quantities"][0]["capabilities"] == ["sms", "voice"]
    assert _plan_id.plan_id(voice) != _plan_id.plan_id(sms)
    assert _plan_id.differing(_plan_id.plan_id(voice), sms) == ["quantities"]
    with_app = planned(one(capability="sms"), [], shop_of())
    assert "applications" in _plan_id.differing(_plan_id.plan_id(planned(one(capability="voice"), [], shop_of())), with_app)


def test_a_plan_for_another_organisation_never_has_the_same_id():
    here = planned(one(), [], shop_of())
    there = planned(one(), [], shop_of(), organisation_id=ORG + 1)
    assert _plan_id.differing(_plan_id.plan_id(here), there) == ["organisation"]


def test_the_converged_id_is_that_of_an_empty_write_set_with_the_guards_and_organisation():
    guard = _input.Guard(Decimal("5"), Decimal("20.00"), "USD")
    data = planned(one(count=1), [number(33170000001, application_key=APP)], None, guard)
    assert data == _plan_id.canonical([], [], {"max_unit_cost": "5", "max_total_cost": "20.00", "currency_id": "USD"}, ORG)
    assert _plan_id.plan_id(data) == _plan_id.plan_id(_plan_id.canonical([], [], GUARD, ORG))
    assert _plan_id.plan_id(data) != _plan_id.plan_id(_plan_id.canonical([], [], GUARD, ORG + 1))


def test_the_documented_sample_is_the_id_of_the_documented_data_written_any_way():
    # Pins version 2 across releases and machines: an id approved today must still match after an upgrade.
    documented = yaml.safe_load(sinch_number_rentals.RETURN)
    data = documented["plan_fingerprint_data"]["sample"]
    written_otherwise = _plan_id.canonical(
        [{"group_id": "3", "quantity": 2, "unit_cost": "2.00", "currency_id": "usd", "capabilities": ["Voice"],
          "selected_capabilities": ["voice"]}],
        [{"application_key": "bb7b4e39-4227-4913-8c81-2db4abb54fb3", "capability": "voice",
          "numbers": ["(new number in group 3)", 33170000000, "(new number in group 3)"]}],
        {"max_unit_cost": 5, "max_total_cost": 20.0, "currency_id": "usd"}, "8888123")
    assert written_otherwise == data
    assert _plan_id.plan_id(written_otherwise) == _plan_id.plan_id(data)
    assert documented["plan_id"]["sample"] == _plan_id.plan_id(data)
