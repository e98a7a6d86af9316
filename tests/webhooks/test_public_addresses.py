"""Deliveries reach public addresses only, unless the operator allows private ones: a
subscriber's URL must not make the deliverer call the services beside it."""

from __future__ import annotations

import pytest

from reintegrate.adapters.webhook_http import is_public, post
from tests.webhooks.receiver import receiver


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.1",
        "169.254.169.254",  # a cloud's metadata service
        "100.64.0.1",  # shared address space
        "0.0.0.0",
        "224.0.0.1",
        "::1",
        "fe80::1%eth0",
        "fc00::1",
        "::ffff:127.0.0.1",  # IPv4-mapped loopback
        "::ffff:10.0.0.1",
        "2002:7f00:1::",  # 6to4 wrapping 127.0.0.1
    ],
)
def test_an_internal_address_is_not_public(address: str) -> None:
    assert not is_public(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "193.0.14.129", "2001:4860:4860::8888"])
def test_an_address_routed_on_the_internet_is_public(address: str) -> None:
    assert is_public(address)


def test_a_loopback_receiver_gets_nothing_by_default_and_the_delivery_counts_as_unanswered() -> (
    None
):
    with receiver() as hooks:
        status = post(hooks.url, {"content-type": "application/json"}, b"{}", timeout=5)
        assert status is None
        assert hooks.received == []


def test_a_name_that_resolves_to_loopback_is_refused_too() -> None:
    with receiver() as hooks:
        by_name = hooks.url.replace("127.0.0.1", "localhost")
        assert post(by_name, {}, b"{}", timeout=5) is None
        assert hooks.received == []


def test_an_operator_may_allow_receivers_on_the_internal_network() -> None:
    with receiver() as hooks:
        assert post(hooks.url, {}, b"{}", timeout=5, allow_private=True) == 204
        assert len(hooks.received) == 1
