# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: many organisations in one job (one inventory host per organisation).

Two pure computations over what each host of a play declared or recorded, so that the role only wires
and prints (see the filters ``organisation_conflicts`` and ``estate``):

- ``conflicts``: the rule that protects against buying twice, checked before any request. One host may
  run without an organisation id (today's single-host play); with more than one host, each host names
  its organisation, and no organisation is named by two hosts (two runs for one organisation would
  each buy the same shortfall: the renting lock is per organisation and per machine only).
- ``estate``: the summaries of every host's run, per organisation, with totals per currency summed as
  exact decimals, and which organisations failed and why.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from decimal import Decimal

from ansible_collections.sinch.numbers.plugins.module_utils import _money

NOT_RUN = ("no summary: the role stopped before renting (that host's failure is in the job's output), the host was "
           "unreachable, or the play stopped before its first request to Sinch (for example two hosts naming one "
           "organisation)")


def organisation_id(value):
    """An organisation id as an int (an int, a whole float or a string of digits); None for None or ""; ValueError otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError("%r is not an organisation id" % (value,))
    if isinstance(value, int) and value > 0:
        return value
    if isinstance(value, float) and value.is_integer() and value > 0:
        # 8888123.0 (a JSON or YAML number written with a point) is organisation 8888123.
        return int(value)
    if isinstance(value, str) and value.strip().isdigit() and value.strip().isascii() and int(value) > 0:
        return int(value)
    raise ValueError("%r is not an organisation id" % (value,))


def _names(hosts):
    hosts = sorted(hosts)
    if len(hosts) == 1:
        return hosts[0]
    return "%s and %s" % (", ".join(hosts[:-1]), hosts[-1])


def conflicts(claims):
    """The sentences that forbid a play: ``claims`` is a list of (host, declared organisation id or None).

    Empty when the play may go on: one host (with or without an id), or every host naming an organisation
    of its own.
    """
    claims = list(claims)
    if len(claims) <= 1:
        return []
    problems = []
    missing, by_org = [], {}
    for host, value in claims:
        try:
            org = organisation_id(value)
        except ValueError as err:
            problems.append("Host %s: number_rental_organisation_id %s." % (host, err))
            continue
        if org is None:
            missing.append(host)
        else:
            by_org.setdefault(org, []).append(host)
    if missing:
        problems.append(
            "%s %s no number_rental_organisation_id: with %d hosts in the play, each host stands for one organisation "
            "and names it (a host variable), or run the role on one host (hosts: localhost)."
            % (_names(missing), "has" if len(missing) == 1 else "have", len(claims)))
    for org in sorted(by_org):
        if len(by_org[org]) > 1:
            problems.append(
                "Hosts %s all name organisation %d: one host per organisation, since two runs for one organisation "
                "would each buy the same shortfall." % (_names(by_org[org]), org))
    return problems


def _flag(value):
    """A boolean fact that may have been templated into a string ("True")."""
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "1")
    return bool(value)


def _count(value, what):
    try:
        number = int(value or 0)
    except (TypeError, ValueError):
        raise ValueError("the summary's %s is %r, not a count" % (what, value)) from None
    if isinstance(value, bool) or number < 0:
        raise ValueError("the summary's %s is %r, not a count" % (what, value))
    return number


def _totals(values, what):
    """A list of money values ({"amount", "currency_id"}) as _money.Totals; ValueError on an unreadable one."""
    result = _money.Totals()
    if isinstance(values, dict):
        values = [values]
    for item in values or []:
        amount = _money.amount_of(item.get("amount")) if isinstance(item, dict) else None
        if amount is None:
            raise ValueError("the summary's %s holds %r, not an amount with its currency" % (what, item))
        key = _money.currency_of(item.get("currency_id")) or ""
        result.amounts[key] = result.amounts.get(key, Decimal(0)) + amount
    return result


def entry(host, summary=None, failure=None):
    """One organisation's line of the estate, from a host's number_rental_summary and number_rental_failure facts.

    ``failure`` is {"msg", "organisation_id"?, "summed"?} when the host's run failed; without a summary nor a failure
    the role did not run for that host. The numbers and costs of a failed run are known only when its summary holds
    the module's own totals (``summed`` true in the failure): a run that failed before summing them up (a log-in
    refused, the numbers unreadable, a refused plan) holds an unknown number of numbers, never 0 (they are None).
    """
    summary = summary if isinstance(summary, dict) else None
    failure = failure if isinstance(failure, dict) else None
    organisation = (summary or {}).get("organisation") or {}
    org = None
    for candidate in (organisation.get("id"), (failure or {}).get("organisation_id")):
        try:
            org = organisation_id(candidate)
        except ValueError:
            org = None
        if org is not None:
            break
    totals = (summary or {}).get("totals")
    summed = isinstance(totals, dict) and (failure is None or _flag(failure.get("summed")))
    held, added, maybe = _money.Totals(), _money.Totals(), _money.Totals()
    maybe_count = 0
    if summed:
        held = _totals(totals.get("monthly_cost"), "monthly_cost")
        added = _totals(totals.get("added_monthly_cost"), "added_monthly_cost")
        held.unknown = _count(totals.get("unknown_cost"), "unknown_cost")
        added.unknown = _count(totals.get("added_unknown_cost"), "added_unknown_cost")
    if isinstance(totals, dict):
        # What a checkout of unknown outcome may have bought: known from the failure's own result, never dropped.
        maybe = _totals(totals.get("maybe_added_monthly_cost"), "maybe_added_monthly_cost")
        maybe_count = _count(totals.get("maybe_rented"), "maybe_rented")
    complete = summary is not None and _flag(summary.get("complete")) and failure is None
    if complete:
        status, msg = ("changed" if _flag(summary.get("changed")) else "converged"), None
    elif summary is None and failure is None:
        status, msg = "not run", NOT_RUN
    else:
        status = "failed"
        msg = (failure or {}).get("msg") or (summary or {}).get("msg") or "no reason given"
    return {
        "key": str(org) if org is not None else "host " + host,
        "host": host,
        "organisation_id": org,
        "organisation_name": organisation.get("name") or None,
        "status": status,
        "msg": msg,
        "check_mode": _flag((summary or {}).get("check_mode")),
        "summed": summed,
        "numbers": _count(totals.get("numbers"), "numbers") if summed else None,
        "rented_this_run": _count(totals.get("rented_this_run"), "rented_this_run") if summed else None,
        "monthly_cost": held.to_result() if summed else None,
        "added_monthly_cost": added.to_result() if summed else None,
        "unknown_cost": held.unknown if summed else None,
        "added_unknown_cost": added.unknown if summed else None,
        "maybe_rented": maybe_count,
        "maybe_added_monthly_cost": maybe.to_result(),
        "plan_id": (summary or {}).get("plan_id") or None,
        "_held": held,
        "_added": added,
        "_maybe": maybe,
    }


def estate(records):
    """The estate over ``records`` (a list of (host, summary, failure)): per organisation and in total.

    Totals per currency are exact decimal sums of the organisations' own totals; an organisation that failed
    counts with what its run left it holding, when its summary says so.
    """
    entries = [entry(host, summary, failure) for host, summary, failure in records]
    entries.sort(key=lambda item: (item["organisation_id"] is None, item["organisation_id"] or 0, item["host"]))
    held, added, maybe = _money.Totals(), _money.Totals(), _money.Totals()
    for item in entries:
        held.extend(item.pop("_held"))
        added.extend(item.pop("_added"))
        maybe.extend(item.pop("_maybe"))
    failed = [item for item in entries if item["status"] in ("failed", "not run")]
    summed = [item for item in entries if item["summed"]]
    totals = {
        "organisations": len(entries),
        "converged": len([item for item in entries if item["status"] == "converged"]),
        "changed": len([item for item in entries if item["status"] == "changed"]),
        "failed": len(failed),
        # The sums below are over the organisations whose numbers are known; the others are counted here.
        "not_summed": len(entries) - len(summed),
        "numbers": sum(item["numbers"] for item in summed),
        "rented_this_run": sum(item["rented_this_run"] for item in summed),
        "monthly_cost": held.to_result(),
        "added_monthly_cost": added.to_result(),
        "unknown_cost": held.unknown,
        "added_unknown_cost": added.unknown,
        "maybe_rented": sum(item["maybe_rented"] for item in entries),
        "maybe_added_monthly_cost": maybe.to_result(),
    }
    return {
        "organisations": entries,
        "by_organisation": dict((item["key"], item) for item in entries),
        "totals": totals,
        "failed": [{"key": item["key"], "organisation_id": item["organisation_id"], "host": item["host"], "msg": item["msg"]}
                   for item in failed],
        "lines": lines(entries, totals, held, added, maybe),
    }


def _money_words(values):
    return _totals(values, "amount").words()


def _per_month(values, unknown):
    """"4.00 USD a month (and 1 number of unknown price)"; "an unknown amount a month" when no price is known."""
    known = _totals(values, "amount")
    if unknown and not known.amounts:
        return "%s a month" % _money.UNKNOWN_WORDS
    result = "%s a month" % known.words()
    if unknown:
        result += " (and %s of unknown price)" % _money.plural(unknown, "number")
    return result


def _who(item):
    name = (" (%s)" % item["organisation_name"]) if item["organisation_name"] else ""
    org = ("organisation %d%s" % (item["organisation_id"], name)) if item["organisation_id"] is not None else "no organisation known"
    return "%s, host %s" % (org, item["host"])


def _maybe_words(count, values, more):
    return "may have rented %s%s, for %s a month (whether they were bought is not known yet: see the pending purchases)" % (
        _money.plural(count, "number"), " more" if more else "", _money_words(values))


def lines(entries, totals, held, added, maybe=None):
    """The printed estate: one line per organisation, the totals, and the failures.

    An organisation whose numbers are not known says so; it is never shown as holding 0 numbers.
    """
    check = any(item["check_mode"] for item in entries)
    verb = "would rent" if check else "rented"
    result = []
    if check:
        result.append("Check mode: nothing was rented or assigned; this is what a real run would do.")
    for item in entries:
        if item["status"] == "not run":
            result.append("- %s: not run: %s." % (_who(item), item["msg"]))
            continue
        if not item["summed"]:
            line = "- %s: what it holds is not known (the run failed before summing up its numbers)" % _who(item)
        else:
            line = "- %s: %s, %s; %s %s this run" % (
                _who(item), _money.plural(item["numbers"], "number"),
                _per_month(item["monthly_cost"], item["unknown_cost"]), verb,
                _money.plural(item["rented_this_run"], "number"))
            if item["rented_this_run"]:
                line += ", adding %s" % _per_month(item["added_monthly_cost"], item["added_unknown_cost"])
        if item["maybe_rented"]:
            line += "; %s" % _maybe_words(item["maybe_rented"], item["maybe_added_monthly_cost"], item["rented_this_run"])
        if item["status"] == "failed":
            line += "; FAILED: %s" % str(item["msg"]).rstrip(". ")
        result.append(line + ".")
    line = "Estate: %s (%d converged, %d changed, %d failed): %s, %s; %s %s this run, adding %s" % (
        _money.plural(totals["organisations"], "organisation"), totals["converged"], totals["changed"], totals["failed"],
        _money.plural(totals["numbers"], "number"), _per_month(held.to_result(), held.unknown),
        verb, _money.plural(totals["rented_this_run"], "number"), _per_month(added.to_result(), added.unknown))
    if totals["maybe_rented"]:
        line += "; %s" % _maybe_words(totals["maybe_rented"], totals["maybe_added_monthly_cost"], totals["rented_this_run"])
    if totals["not_summed"]:
        line += "; not counting what %s %s (not known: %s)" % (
            _money.plural(totals["not_summed"], "organisation"), "holds" if totals["not_summed"] == 1 else "hold",
            "it failed or did not run" if totals["not_summed"] == 1 else "they failed or did not run")
    result.append(line + ".")
    failed = [item for item in entries if item["status"] in ("failed", "not run")]
    if failed:
        result.append("Failed: %s." % "; ".join(
            "%s (host %s)" % (item["organisation_id"] if item["organisation_id"] is not None else "no organisation known",
                              item["host"]) for item in failed))
    return result
