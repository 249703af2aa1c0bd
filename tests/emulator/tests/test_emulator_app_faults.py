"""Faults for the application-number rows: answers that hide numbers or capabilities, writes answered oddly, another writer."""

import pytest

from emulator_helpers import APP, APP2, RENTED

APP_NUMBERS = "/v1/applications/key/%s/numbers" % APP


def on_app(jane, key=APP):
    return sorted(n["number"] for n in jane.organisation()["numbers"] if n.get("applicationKey") == key)


def test_omit_number_hides_one_number_from_one_list_answer(jane):
    """omit_number: the matched list answer leaves the number out; the state and later reads keep it."""
    jane.add_fault(method="GET", path=APP_NUMBERS, action="omit_number", number=14150005551)
    assert jane.portal("GET", APP_NUMBERS).json() == []
    assert [n["number"] for n in jane.portal("GET", APP_NUMBERS).json()] == [14150005551]
    assert on_app(jane) == [14150005551]
    assert jane.requests_log()[-2]["fault"] == "omit_number"


def test_omit_capabilities_drops_the_key_of_every_or_one_number(jane):
    """omit_capabilities: without number every item loses capabilities; with number only that one."""
    jane.portal("PUT", APP_NUMBERS + "/voice", {"numbers": [14150005550, 14150005551]})
    jane.add_fault(path=APP_NUMBERS, action="omit_capabilities")
    assert all("capabilities" not in n for n in jane.portal("GET", APP_NUMBERS).json())
    jane.add_fault(path=APP_NUMBERS, action="omit_capabilities", number=14150005550)
    answer = jane.portal("GET", APP_NUMBERS).json()
    assert [("capabilities" in n) for n in answer] == [False, True]
    assert all("capabilities" in n for n in jane.portal("GET", APP_NUMBERS).json())


@pytest.mark.parametrize("status", [200, 500, 502])
def test_non_json_after_applies_then_answers_html(jane, status):
    """non_json_after: the overwrite is applied, then answered with an HTML body and the given status (default 200)."""
    fault = {"status": status} if status != 200 else {}
    jane.add_fault(method="PUT", action="non_json_after", **fault)
    response = jane.portal("PUT", APP_NUMBERS + "/voice", {"numbers": [14150005550]})
    assert response.status_code == status
    assert response.headers["Content-Type"].startswith("text/html")
    with pytest.raises(ValueError):
        response.json()
    assert on_app(jane) == [14150005550]
    entry = jane.requests_log()[-1]
    assert (entry["status"], entry["error_code"], entry["fault"]) == (status, None, "non_json_after")


def test_non_json_after_on_delete_applies(jane):
    """non_json_after on a removal: the number is off the application although the answer is not JSON."""
    jane.add_fault(method="DELETE", action="non_json_after", status=502)
    assert jane.portal("DELETE", APP_NUMBERS + "/14150005551").status_code == 502
    assert on_app(jane) == []


def test_other_writer_after_changes_the_application_after_the_answer(jane):
    """other_writer_after: the matched read is answered as things were, then the number moves."""
    jane.add_fault(method="GET", path=APP_NUMBERS, action="other_writer_after", number=14150005550, application_key=APP)
    assert [n["number"] for n in jane.portal("GET", APP_NUMBERS).json()] == [14150005551]
    assert on_app(jane) == [14150005550, 14150005551]
    jane.add_fault(method="GET", path=RENTED, action="other_writer_after", number=14150005551, application_key=APP2)
    assert jane.portal("GET", RENTED).status_code == 200
    assert on_app(jane) == [14150005550] and on_app(jane, APP2) == [14150005551]
    jane.add_fault(method="GET", path=RENTED, action="other_writer_after", number=14150005550, application_key=None)
    jane.portal("GET", RENTED)
    assert on_app(jane) == []


@pytest.mark.parametrize("fault", [
    {"action": "omit_number"}, {"action": "omit_number", "number": "14150005550"}, {"action": "omit_capabilities", "number": True},
    {"action": "other_writer_after", "number": 14150005550}, {"action": "other_writer_after", "number": 14150005550, "application_key": ""},
    {"action": "non_json_after", "status": 42},
])
def test_bad_application_fault_is_400(jane, fault):
    """Invalid definitions of these faults are refused."""
    response = jane.http.post(jane.urls["api"] + "/_admin/faults", json=fault)
    assert response.status_code == 400
    assert jane.admin("GET", "faults") == []


def test_faults_are_listed_with_their_parameters(jane):
    """The admin view shows number / application_key / status."""
    jane.add_fault(action="other_writer_after", number=14150005550, application_key=None)
    jane.add_fault(action="non_json_after")
    listed = jane.admin("GET", "faults")
    assert (listed[0]["number"], listed[0]["application_key"]) == (14150005550, None)
    assert listed[1]["status"] == 200
