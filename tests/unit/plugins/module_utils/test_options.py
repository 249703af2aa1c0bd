# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible.module_utils.basic import AnsibleFallbackNotFound

from ansible_collections.sinch.numbers.plugins.module_utils._input import credentials_problem
from ansible_collections.sinch.numbers.plugins.module_utils._options import env_value


def params(**given):
    base = dict(email=None, password=None, instance_id=None, instance_secret=None, timeout=30.0, retries=3)
    base.update(given)
    return base


@pytest.mark.parametrize("given", [
    dict(email="a@example.com", password="pw"),
    dict(instance_id="i", instance_secret="bRo76GRddEyetgJDTgkLHA=="),
    dict(email="a@example.com", password="pw", instance_id="i", instance_secret="bRo76GRddEyetgJDTgkLHA=="),
])
def test_complete_credentials_pass(given):
    assert credentials_problem(params(**given)) is None


@pytest.mark.parametrize("given, words", [
    (dict(), "No Sinch credentials"),
    (dict(email="a@example.com"), "email was given without password"),
    (dict(password="pw"), "password was given without email"),
    (dict(instance_id="i"), "instance_id was given without instance_secret"),
    (dict(instance_secret="bRo76GRddEyetgJDTgkLHA=="), "instance_secret was given without instance_id"),
    (dict(instance_id="i", instance_secret="not base64!"), "not Base64"),
])
def test_missing_or_half_credentials_fail_with_one_sentence(given, words):
    problem = credentials_problem(params(**given))
    assert words in problem
    assert problem.count(". ") == 0 and problem.endswith(".")
    assert "pw" not in problem


def test_timeout_and_retries_are_checked_once_by_the_option_parser_not_again_here():
    # One layer: _input.parse_options refuses them (see test_input); the credentials check does not repeat it.
    assert credentials_problem(params(email="a@example.com", password="pw", timeout=0, retries=-1)) is None


def test_environment_fallback_takes_a_set_variable(monkeypatch):
    monkeypatch.setenv("SINCH_ORGANISATION_ID", "8888123")
    assert env_value("SINCH_ORGANISATION_ID") == "8888123"


@pytest.mark.parametrize("value", [None, ""])
def test_an_unset_or_empty_environment_variable_is_not_given(monkeypatch, value):
    """AWX injects an optional credential field left blank as an empty variable: it means unset."""
    if value is None:
        monkeypatch.delenv("SINCH_ORGANISATION_ID", raising=False)
    else:
        monkeypatch.setenv("SINCH_ORGANISATION_ID", value)
    with pytest.raises(AnsibleFallbackNotFound):
        env_value("SINCH_ORGANISATION_ID")
