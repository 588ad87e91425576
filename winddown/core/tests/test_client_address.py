"""The client's address behind the platform's reverse proxy: rate limits and audit rows are
per lender, not one budget for everyone behind nginx, and a client cannot choose its own."""

import ipaddress

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st

from winddown.audit.models import AuditEntry
from winddown.core.client_address import ClientAddressMiddleware, client_address, trusted_networks
from winddown.identity.audit_actions import IdentityAction

NGINX = "127.0.0.1"
NETWORKS = trusted_networks(("127.0.0.1", "10.0.0.0/8"))
SMS_LIMITED = "当前网络获取验证码过于频繁"


def send_code(client, phone: str, **headers):
    return client.post("/m/login/code/", {"phone": phone}, **headers)


def test_the_proxy_appended_address_is_the_client():
    assert client_address(NGINX, "203.0.113.7", NETWORKS) == "203.0.113.7"


def test_addresses_the_client_wrote_itself_are_ignored():
    # nginx appends what it saw to whatever the client sent.
    assert client_address(NGINX, "198.51.100.1, 203.0.113.7", NETWORKS) == "203.0.113.7"
    assert client_address(NGINX, "garbage, 10.1.1.1, 203.0.113.7", NETWORKS) == "203.0.113.7"


def test_inner_proxies_are_skipped():
    chain = "198.51.100.1, 203.0.113.7, 10.2.0.4"  # client spoof, client, load balancer
    assert client_address("10.9.0.1", chain, NETWORKS) == "203.0.113.7"


def test_header_from_an_untrusted_peer_is_not_believed():
    assert client_address("203.0.113.50", "198.51.100.1", NETWORKS) == "203.0.113.50"
    assert client_address("", "198.51.100.1", NETWORKS) == ""


def test_ports_and_ipv6_in_the_header_are_understood():
    assert client_address(NGINX, "[2001:db8::5]:443", NETWORKS) == "2001:db8::5"
    assert client_address(NGINX, "203.0.113.7:51000", NETWORKS) == "203.0.113.7"


def test_without_a_header_the_proxy_itself_is_the_client():
    assert client_address(NGINX, "", NETWORKS) == NGINX


def test_an_internal_request_through_proxies_keeps_its_origin():
    assert client_address(NGINX, "10.0.0.3, 10.0.0.4", NETWORKS) == "10.0.0.3"


public_ipv4 = st.ip_addresses(v=4).filter(lambda address: address.is_global)
spoofed_hop = st.one_of(
    st.ip_addresses().map(str), st.text(alphabet="0123456789abcdef.:[]-_ ", max_size=20)
)


@given(real=public_ipv4, spoofed=st.lists(spoofed_hop, max_size=5))
def test_whatever_a_client_sends_the_address_nginx_saw_wins(real, spoofed):
    forwarded_for = ", ".join([*spoofed, str(real)])
    assert ipaddress.ip_address(client_address(NGINX, forwarded_for, NETWORKS)) == real


def test_a_bad_setting_stops_the_start(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "nginx.internal"]
    with pytest.raises(ImproperlyConfigured, match=r"nginx\.internal"):
        ClientAddressMiddleware(lambda request: None)


@pytest.mark.django_db
def test_each_lender_behind_the_proxy_has_their_own_sms_budget(client, settings):
    settings.TRUSTED_PROXIES = [NGINX]
    behind = {"REMOTE_ADDR": NGINX}
    for i in range(20):
        response = send_code(
            client, f"1380000{i:04d}", HTTP_X_FORWARDED_FOR="203.0.113.7", **behind
        )
        assert SMS_LIMITED not in response.content.decode()
    response = send_code(client, "13800009998", HTTP_X_FORWARDED_FOR="203.0.113.7", **behind)
    assert SMS_LIMITED in response.content.decode()
    # Another lender on another network is not held back by the first one's requests...
    response = send_code(client, "13800009999", HTTP_X_FORWARDED_FOR="203.0.113.8", **behind)
    assert SMS_LIMITED not in response.content.decode()
    # ...and the first one cannot escape the limit by writing another address in front.
    spoofed = "198.51.100.1, 203.0.113.7"
    response = send_code(client, "13800009997", HTTP_X_FORWARDED_FOR=spoofed, **behind)
    assert SMS_LIMITED in response.content.decode()
    sent = AuditEntry.objects.filter(action=IdentityAction.SMS_CODE_SENT)
    assert set(sent.values_list("source_ip", flat=True)) == {"203.0.113.7", "203.0.113.8"}


@pytest.mark.django_db
def test_without_trusted_proxies_the_header_changes_nothing(client, settings):
    settings.TRUSTED_PROXIES = []
    send_code(client, "13800000001", REMOTE_ADDR="203.0.113.50", HTTP_X_FORWARDED_FOR="1.1.1.1")
    entry = AuditEntry.objects.get(action=IdentityAction.SMS_CODE_SENT)
    assert entry.source_ip == "203.0.113.50"
