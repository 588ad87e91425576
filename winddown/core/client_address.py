"""The client's address behind the platform's own reverse proxies.

Behind an HTTP proxy or load balancer every request reaches the platform from the proxy, so
REMOTE_ADDR is the proxy's address for everyone: the per-address limits on SMS codes and
sign-in would then be one budget for all lenders, and the audit log would record the proxy.
(nginx speaking the uwsgi protocol, deploy/nginx.conf, passes the address it saw as
REMOTE_ADDR; only a proxy in front of that nginx needs listing.) The proxies listed in
settings.TRUSTED_PROXIES (addresses or networks) append the address they saw to
X-Forwarded-For; for a request that comes from one of them, the client is the rightmost
address in that header that is not itself a trusted proxy. Everything left of it was written
by the client and is never believed. With no trusted proxies configured, REMOTE_ADDR stands.

python-ipware parses the header (ports, bracketed IPv6, IPv4-mapped addresses, RFC 7239
elements); its own client pick is not used because it does not check that the request came
from a trusted proxy at all.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from python_ipware.modern.parsers import parse_ip, split_proxy_chain

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=4)
def trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"WINDDOWN_TRUSTED_PROXIES: {entry!r} is not an IP address or network "
                "(write e.g. 127.0.0.1 or 10.0.0.0/8, separated by commas)"
            ) from None
    return tuple(networks)


def _is_trusted(address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_address(remote_addr: str, forwarded_for: str, networks: tuple[Network, ...]) -> str:
    """The address to count and audit the request under."""
    peer = parse_ip(remote_addr)
    if peer is None or not _is_trusted(peer, networks) or not forwarded_for:
        return remote_addr
    chain = split_proxy_chain(forwarded_for) or []
    for hop in reversed(chain):
        if not _is_trusted(hop, networks):
            return str(hop)
    # Every hop is a trusted proxy: an internal request; the first hop is its origin.
    return str(chain[0]) if chain else remote_addr


class ClientAddressMiddleware:
    """Puts the client's address into REMOTE_ADDR for everything after it (rate limits,
    audit rows), so no other code needs to know about proxies."""

    def __init__(self, get_response):
        self.get_response = get_response
        trusted_networks(tuple(settings.TRUSTED_PROXIES))  # a bad setting fails at start-up

    def __call__(self, request):
        networks = trusted_networks(tuple(settings.TRUSTED_PROXIES))
        if networks:
            meta = request.META
            meta["REMOTE_ADDR"] = client_address(
                meta.get("REMOTE_ADDR", ""), meta.get("HTTP_X_FORWARDED_FOR", ""), networks
            )
        return self.get_response(request)
