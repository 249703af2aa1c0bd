"""Faults that change items of a list answer: omit_fields (fields missing) and set_fields (fields of the wrong type)."""

import pytest

from emulator_helpers import APP, RENTED, SHOP

APP_NUMBERS = "/v1/applications/key/%s/numbers" % APP
FIXTURE_NUMBERS = [14150005550, 14150005551]


def read(jane, path):
    """A signed GET that must answer 200; the decoded list."""
    response = jane.portal("GET", path)
    assert response.status_code == 200, response.text
    return response.json()


def by_number(items):
    """number -> item of a list answer (number as the answer spells it)."""
    return dict((item["number"], item) for item in items)


def test_omit_fields_drops_the_keys_of_every_item_and_keeps_the_state(jane):
    """Without number / group_id every item loses the listed keys; the state and the next read keep them."""
    jane.add_fault(method="GET", path=RENTED, action="omit_fields", fields=["capabilities", "groupId"])
    answer = read(jane, RENTED)
    assert [item["number"] for item in answer] == FIXTURE_NUMBERS
    assert all("capabilities" not in item and "groupId" not in item and "city" in item for item in answer)
    assert all("capabilities" in item and item["groupId"] == 13 for item in read(jane, RENTED))
    assert all("capabilities" in n and "groupId" in n for n in jane.organisation()["numbers"])
    assert jane.requests_log()[-2]["fault"] == "omit_fields"


def test_omit_fields_of_one_number_on_the_application_read(jane):
    """number selects one item; a key an item does not have is simply not there."""
    jane.portal("PUT", APP_NUMBERS + "/voice", {"numbers": FIXTURE_NUMBERS})
    jane.add_fault(path=APP_NUMBERS, action="omit_fields", number=14150005551, fields=["applicationKey", "nothing-like-it"])
    answer = by_number(read(jane, APP_NUMBERS))
    assert answer[14150005550]["applicationKey"] == APP and "applicationKey" not in answer[14150005551]
    assert answer[14150005551]["capabilities"] == ["voice"]


def test_omit_fields_of_one_group_in_the_shop(jane):
    """group_id selects the shop's group."""
    jane.add_fault(method="GET", path=SHOP, action="omit_fields", group_id=75, fields=["cost", "capabilities"])
    groups = dict((g["groupId"], g) for g in read(jane, SHOP))
    assert "cost" not in groups[75] and "capabilities" not in groups[75]
    assert all("cost" in g and "capabilities" in g for key, g in groups.items() if key != 75)


def test_omit_fields_on_the_overwrite_answer_after_applying_it(jane):
    """The overwrite is applied as usual; only its answer lacks the keys."""
    jane.add_fault(method="PUT", action="omit_fields", fields=["capabilities"])
    response = jane.portal("PUT", APP_NUMBERS + "/voice", {"numbers": FIXTURE_NUMBERS})
    assert response.status_code == 200
    assert [(item["number"], "capabilities" in item) for item in response.json()] == [(14150005550, False), (14150005551, False)]
    assert sorted(n["number"] for n in jane.organisation()["numbers"] if n.get("applicationKey") == APP) == FIXTURE_NUMBERS


def test_number_and_group_id_select_together(jane):
    """Both given: only an item with that number and that groupId."""
    jane.add_fault(path=RENTED, action="omit_fields", number=14150005550, group_id=1, fields=["capabilities"])
    assert all("capabilities" in item for item in read(jane, RENTED))
    jane.add_fault(path=RENTED, action="omit_fields", number=14150005550, group_id=13, fields=["capabilities"])
    answer = by_number(read(jane, RENTED))
    assert "capabilities" not in answer[14150005550] and "capabilities" in answer[14150005551]


def test_selection_compares_as_integers_under_string_ids(jane):
    """With string_ids the answer says "14150005551" and "13": number and group_id still select them."""
    jane.admin("POST", "settings", {"string_ids": 1})
    jane.add_fault(path=RENTED, action="omit_fields", number=14150005551, fields=["capabilities"])
    answer = by_number(read(jane, RENTED))
    assert "capabilities" not in answer["14150005551"] and "capabilities" in answer["14150005550"]
    jane.add_fault(path=SHOP, action="set_fields", group_id=13, values={"capabilities": "voice"})
    groups = dict((g["groupId"], g) for g in read(jane, SHOP))
    assert groups["13"]["capabilities"] == "voice" and groups["75"]["capabilities"] == ["sms"]


def test_older_number_faults_also_select_under_string_ids(jane):
    """omit_number and omit_capabilities compare the same way."""
    jane.admin("POST", "settings", {"string_ids": 1})
    jane.add_fault(path=RENTED, action="omit_number", number=14150005550)
    assert [item["number"] for item in read(jane, RENTED)] == ["14150005551"]
    jane.add_fault(path=RENTED, action="omit_capabilities", number=14150005550)
    assert [("capabilities" in item) for item in read(jane, RENTED)] == [False, True]


@pytest.mark.parametrize("values", [{"capabilities": "voice"}, {"groupId": "thirteen"}, {"applicationKey": 17},
                                    {"capabilities": None, "number": "14150005550"}])
def test_set_fields_answers_unreadable_fields(jane, values):
    """set_fields puts the given JSON values in the answer (also new keys, also null); the state keeps the real ones."""
    jane.add_fault(path=APP_NUMBERS, action="set_fields", values=values)
    answer = read(jane, APP_NUMBERS)
    assert len(answer) == 1 and all(answer[0][key] == value for key, value in values.items())
    assert read(jane, APP_NUMBERS)[0]["groupId"] == 13
    numbers = by_number(jane.organisation()["numbers"])
    assert numbers[14150005551]["applicationKey"] == APP and numbers[14150005551]["capabilities"] == ["voice"]


def test_set_fields_of_one_number_leaves_the_others(jane):
    """number selects one item of the rented numbers."""
    jane.add_fault(method="GET", path=RENTED, action="set_fields", number=14150005550, values={"groupId": "thirteen"})
    answer = by_number(read(jane, RENTED))
    assert answer[14150005550]["groupId"] == "thirteen" and answer[14150005551]["groupId"] == 13


def test_error_answers_are_not_rewritten(jane):
    """Only a 200 JSON list is changed: an error answer stays as it was."""
    jane.add_fault(path="/v1/applications/key/.*", action="omit_fields", fields=["errorCode"])
    response = jane.portal("GET", "/v1/applications/key/00000000-0000-4000-8000-000000000000/numbers")
    assert response.status_code == 404 and response.json()["errorCode"] == 40400


def test_faults_are_listed_with_their_parameters(jane):
    """The admin view shows fields / values and the selection."""
    jane.add_fault(action="omit_fields", fields=["capabilities"], number=14150005550)
    jane.add_fault(action="set_fields", values={"groupId": "thirteen"}, group_id=13, count=2)
    listed = jane.admin("GET", "faults")
    assert (listed[0]["fields"], listed[0]["number"], listed[0]["group_id"]) == (["capabilities"], 14150005550, None)
    assert (listed[1]["values"], listed[1]["number"], listed[1]["group_id"], listed[1]["remaining"]) == (
        {"groupId": "thirteen"}, None, 13, 2)


@pytest.mark.parametrize("fault", [
    {"action": "omit_fields"}, {"action": "omit_fields", "fields": []}, {"action": "omit_fields", "fields": "capabilities"},
    {"action": "omit_fields", "fields": [""]}, {"action": "omit_fields", "fields": ["capabilities", 1]},
    {"action": "omit_fields", "fields": ["x"], "number": "14150005550"}, {"action": "omit_fields", "fields": ["x"], "number": 0},
    {"action": "omit_fields", "fields": ["x"], "number": True}, {"action": "omit_fields", "fields": ["x"], "group_id": "13"},
    {"action": "omit_fields", "fields": ["x"], "group_id": 1.0}, {"action": "omit_fields", "fields": ["x"], "values": {"x": 1}},
    {"action": "omit_fields", "fields": ["x"], "status": 500}, {"action": "omit_fields", "fields": ["x"], "typo": 1},
    {"action": "set_fields"}, {"action": "set_fields", "values": {}}, {"action": "set_fields", "values": [["groupId", 1]]},
    {"action": "set_fields", "values": {"": 1}}, {"action": "set_fields", "values": {"x": 1}, "fields": ["x"]},
    {"action": "set_fields", "values": {"x": 1}, "application_key": "k"}, {"action": "set_fields", "values": {"x": 1}, "number": -5},
    {"action": "error", "fields": ["x"]}, {"action": "omit_capabilities", "values": {"x": 1}},
    {"action": "drop_after", "group_id": 13},
])
def test_bad_list_fault_is_400(jane, fault):
    """Invalid definitions are refused with 400/40001 and nothing is added."""
    response = jane.http.post(jane.urls["api"] + "/_admin/faults", json=fault)
    assert response.status_code == 400 and response.json()["errorCode"] == 40001, response.text
    assert jane.admin("GET", "faults") == []
