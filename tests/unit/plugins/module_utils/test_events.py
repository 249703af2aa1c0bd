# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_events.detect: the events of the number_events source from two readings, missing and unreadable fields included."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime

from ansible_collections.sinch.numbers.plugins.module_utils import _shapes
from ansible_collections.sinch.numbers.plugins.module_utils._errors import SinchError
from ansible_collections.sinch.numbers.plugins.module_utils._events import Watch, confirm_unassigned, detect
from ansible_collections.sinch.numbers.plugins.module_utils._input import Selector

APP = "bb7b4e39-4227-4913-8c81-2db4abb54fb3"
OTHER = "5f1c3a0e-6f4b-4c1e-9a53-2d7e8b9c0a14"
NOW = datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc)
ORG = 8888123


def raw(number, application_key=None, group_id=13, capabilities=("voice",), expires="2031-01-01T00:00:00+00:00",
        amount=1.0, country_id="US"):
    item = {"number": number, "groupId": group_id, "capabilities": list(capabilities), "countryId": country_id,
            "city": "SAN FRANCISCO", "country": "US", "areaCode": "415", "expires": expires,
            "cost": {"amount": amount, "currencyId": "USD"}}
    if application_key is not None:
        item["applicationKey"] = application_key
    return item


def without(item, *fields):
    return dict((key, value) for key, value in item.items() if key not in fields)


def run(readings, thresholds=(), watch=None):
    """The events of each reading in turn (lists of raw items), as (type, number) pairs, and the last events whole."""
    view, seen, last = None, [], []
    for items in readings:
        last, view = detect(view, _shapes.listing(items), NOW, thresholds, watch, ORG)
        seen.append([(event["type"], event.get("number")) for event in last])
    return seen, last, view


def test_first_reading_puts_one_snapshot_of_the_numbers():
    seen, events, _view = run([[raw(14150005551, APP), raw(14150005550)]])
    assert seen == [[("snapshot", None)]]
    snapshot = events[0]
    assert snapshot["count"] == 2 and snapshot["organisation_id"] == ORG and snapshot["unreadable_count"] == 0
    assert snapshot["numbers"][0] == {
        "number": "+14150005550", "group_id": 13, "capabilities": ["voice"], "application_key": None,
        "country_id": "US", "city": "SAN FRANCISCO", "area_code": "415", "expires": "2031-01-01T00:00:00+00:00",
        "monthly_cost": {"amount": "1.00", "currency_id": "USD"}, "unreadable": []}


def test_nothing_changed_puts_nothing():
    items = [raw(14150005551, APP), raw(14150005550)]
    seen, _events, _view = run([items, items, items])
    assert seen[1:] == [[], []]


def test_unassigned_carries_the_application_it_left_and_the_money_shape():
    seen, events, _view = run([[raw(14150005551, APP)], [raw(14150005551)]])
    assert seen[1] == [("unassigned", "+14150005551")]
    event = events[0]
    assert event["application_key"] is None and event["previous_application_key"] == APP
    assert event["monthly_cost"] == {"amount": "1.00", "currency_id": "USD"}
    assert event["group_id"] == 13 and event["capabilities"] == ["voice"] and event["organisation_id"] == ORG


def test_assigned_moved_rented_and_gone():
    before = [raw(1415000001, None), raw(1415000002, APP), raw(1415000003, APP)]
    after = [raw(1415000001, OTHER), raw(1415000002, OTHER), raw(1415000004)]
    seen, events, _view = run([before, after])
    assert seen[1] == [("assigned", "+1415000001"), ("moved", "+1415000002"), ("gone", "+1415000003"),
                       ("rented", "+1415000004")]
    moved, gone = events[1], events[2]
    assert (moved["previous_application_key"], moved["application_key"]) == (APP, OTHER)
    assert (gone["previous_application_key"], gone["application_key"]) == (APP, None)


def test_a_missing_number_is_not_gone_when_an_item_has_no_readable_number():
    before = [raw(1415000001, APP), raw(1415000002, APP)]
    unreadable = [raw(1415000001, APP), dict(raw(1415000002, APP), number="two")]
    seen, _events, view = run([before, unreadable, before])
    assert seen[1:] == [[], []]
    assert sorted(view.records) == [1415000001, 1415000002]


def test_records_with_unreadable_fields_put_no_gone_nor_unassigned():
    """A listing with unreadable records (any field): nothing is taken off an application, nothing is gone."""
    before = [raw(1415000001, APP), raw(1415000002, APP), raw(1415000003, APP)]
    damaged = [without(raw(1415000001, APP), "applicationKey", "capabilities"),
               without(raw(1415000002, APP), "applicationKey"), dict(raw(1415000003, APP), groupId="x")]
    for fields in ("capabilities", "groupId", "countryId", "cost"):
        broken = [without(item, fields) for item in before]
        seen, _events, _view = run([before, broken])
        assert not [kind for kind, _number in seen[1] if kind in ("gone", "unassigned", "moved")], fields
    seen, _events, _view = run([before, damaged])
    assert seen[1] == []
    # The application's key itself unreadable (not a key): the number stays on its application.
    seen, _events, _view = run([before, [dict(item, applicationKey=17) for item in before]])
    assert seen[1] == []


def test_a_drift_hidden_by_unreadable_fields_is_said_once_they_read_again():
    before = [raw(1415000001, APP)]
    hidden = [dict(raw(1415000001), applicationKey=17)]
    seen, events, _view = run([before, hidden, [raw(1415000001)]])
    assert seen[1:] == [[], [("unassigned", "+1415000001")]]
    assert events[0]["previous_application_key"] == APP


def test_a_field_never_read_decides_nothing():
    """First listed with an unreadable application key: a later key is not "assigned" (it may always have been)."""
    seen, events, _view = run([[dict(raw(1415000001), applicationKey=17)], [raw(1415000001, APP)],
                               [raw(1415000001)]])
    assert seen[1:] == [[], [("unassigned", "+1415000001")]]
    assert events[0]["previous_application_key"] == APP


def test_events_say_which_fields_were_unreadable_and_keep_the_last_values():
    before = [raw(1415000001, APP)]
    after = [without(raw(1415000001, OTHER), "capabilities", "cost")]
    seen, events, _view = run([before, after])
    assert seen[1] == [("moved", "+1415000001")]
    assert events[0]["unreadable"] == ["capabilities", "cost"]
    assert events[0]["capabilities"] == ["voice"]
    assert events[0]["monthly_cost"] == {"amount": "1.00", "currency_id": "USD"}


def test_a_new_number_with_missing_fields_has_them_null():
    seen, events, _view = run([[], [without(raw(1415000001), "groupId", "cost", "expires")]])
    assert seen[1] == [("rented", "+1415000001")]
    assert events[0]["group_id"] is None and events[0]["expires"] is None
    assert events[0]["monthly_cost"] == {"amount": None, "currency_id": None}
    assert events[0]["unreadable"] == ["cost", "groupId"]


def test_no_rented_event_after_a_listing_with_an_unidentified_item():
    seen, _events, _view = run([[dict(raw(1415000001), number=None)], [raw(1415000001)]])
    assert seen[1] == []


def test_expiring_once_per_number_and_threshold():
    soon = (NOW + datetime.timedelta(days=20)).isoformat()
    readings = [[raw(1415000001, APP, expires=soon)]] * 3
    seen, _events, _view = run(readings, thresholds=[30, 7])
    assert seen == [[("snapshot", None), ("expiring", "+1415000001")], [], []]
    # Crossing the next threshold warns again, once.
    view = _view
    later = datetime.datetime(2030, 1, 15, tzinfo=datetime.timezone.utc)
    events, view = detect(view, _shapes.listing(readings[0]), later, [30, 7], None, ORG)
    assert [(event["type"], event["expiry_warning_days"], event["days_left"]) for event in events] == [("expiring", 7, 6)]
    events, view = detect(view, _shapes.listing(readings[0]), later, [30, 7], None, ORG)
    assert events == []


def test_first_seen_within_the_smallest_threshold_warns_once():
    soon = (NOW + datetime.timedelta(days=2)).isoformat()
    seen, events, _view = run([[raw(1415000001, expires=soon)]] * 2, thresholds=[30, 7, 1])
    assert seen == [[("snapshot", None), ("expiring", "+1415000001")], []]


def test_a_renewed_number_can_warn_again_and_unreadable_expiry_is_not_expiring():
    soon = (NOW + datetime.timedelta(days=3)).isoformat()
    renewed_soon = (NOW + datetime.timedelta(days=5)).isoformat()
    seen, _events, _view = run([[raw(1415000001, expires=soon)], [raw(1415000001, expires="never")],
                                [raw(1415000001, expires=renewed_soon)]], thresholds=[7])
    assert seen == [[("snapshot", None), ("expiring", "+1415000001")], [], [("expiring", "+1415000001")]]
    seen, _events, _view = run([[without(raw(1415000001), "expires")]], thresholds=[7])
    assert seen == [[("snapshot", None)]]


def test_no_thresholds_no_expiring_events():
    seen, _events, _view = run([[raw(1415000001, expires="2001-01-01T00:00:00Z")]], thresholds=[])
    assert seen == [[("snapshot", None)]]


def test_application_keys_narrow_to_numbers_on_or_taken_off_those_applications():
    watch = Watch([APP])
    before = [raw(1415000001, APP), raw(1415000002, OTHER), raw(1415000003, OTHER)]
    after = [raw(1415000001, OTHER), raw(1415000002), raw(1415000003, APP)]
    seen, events, _view = run([before, after], watch=watch)
    assert [(event["number"]) for event in run([before], watch=watch)[1][0]["numbers"]] == ["+1415000001"]
    assert seen[1] == [("moved", "+1415000001"), ("moved", "+1415000003")]


def test_a_selection_keeps_only_numbers_it_matches_for_sure():
    watch = Watch(selector=Selector(group_id=13, capability="voice"))
    before = [raw(1415000001, APP), raw(1415000002, APP, group_id=75, capabilities=("sms",))]
    after = [raw(1415000001), raw(1415000002, group_id=75, capabilities=("sms",))]
    seen, _events, _view = run([before, after], watch=watch)
    assert seen[1] == [("unassigned", "+1415000001")]
    record, _fields = _shapes.number(dict(raw(1415000003), groupId="x"))
    assert watch.selects(record) is False  # unknown is not "yes"


def test_an_unassigned_event_needs_the_application_read_to_agree():
    """A whole listing without an assigned number's key: the application it left is read before the event is put."""
    before = [raw(1415000001, APP), raw(1415000002, APP)]
    dropped = [without(item, "applicationKey") for item in before]
    _seen, events, view = run([before, dropped])
    assert [event["type"] for event in events] == ["unassigned", "unassigned"]
    reads = []

    def still_listed(key):
        reads.append(key)
        return [1415000001]

    assert [event["number"] for event in confirm_unassigned(events, view, still_listed)] == ["+1415000002"]
    assert reads == [APP]  # one read per application
    assert view.records[1415000001]["application_key"] == APP
    # A listing that shows the key again is no change; one that drops it again is read again.
    events, view = detect(view, _shapes.listing(before), NOW, (), None, ORG)
    assert [event["type"] for event in events] == ["assigned"]  # 1415000002 came back


def test_an_application_read_that_fails_confirms_nothing():
    _seen, events, view = run([[raw(1415000001, APP)], [raw(1415000001)]])

    def fails(key):
        raise SinchError("down", status=503)

    assert confirm_unassigned(events, view, fails) == []
    assert view.records[1415000001]["application_key"] == APP


def test_the_same_expiry_written_another_way_warns_no_more():
    soon = NOW + datetime.timedelta(days=3)
    readings = [[raw(1415000001, expires=soon.isoformat())], [raw(1415000001, expires=soon.strftime("%Y-%m-%dT%H:%M:%SZ"))],
                [raw(1415000001, expires=soon.strftime("%Y-%m-%dT%H:%M:%S.000+00:00"))]]
    seen, _events, _view = run(readings, thresholds=[7])
    assert seen == [[("snapshot", None), ("expiring", "+1415000001")], [], []]


def test_an_expiry_out_of_the_calendar_is_unreadable_not_a_crash():
    seen, events, _view = run([[raw(1415000001, expires="0001-01-01T00:00:00+05:00"),
                                raw(1415000002, expires="9999-12-31T23:59:59-05:00")]], thresholds=[7])
    assert seen == [[("snapshot", None)]] and events[0]["count"] == 2


def test_a_number_listed_twice_differently_decides_nothing_whatever_the_order():
    from ansible_collections.sinch.numbers.plugins.module_utils._events import listing
    view, seen = None, []
    for items in ([raw(14150005551, APP)], [raw(14150005551, APP), raw(14150005551, OTHER)],
                  [raw(14150005551, OTHER), raw(14150005551, APP)], [raw(14150005551, APP), raw(14150005551, APP)]):
        read = listing(items)
        events, view = detect(view, read, NOW, (), None, ORG)
        seen.append(([event["type"] for event in events], read.whole))
    assert seen == [(["snapshot"], True), ([], False), ([], False), ([], True)]
    assert view.records[14150005551]["application_key"] == APP
