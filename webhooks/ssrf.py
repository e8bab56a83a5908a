"""Where a webhook may be sent: never to loopback, private (RFC 1918, ULA), link-local
(169.254/16 with the cloud metadata address, fe80::/10), multicast, unspecified or reserved
addresses, unless the host or its address is allow-listed (settings.WEBHOOK_ALLOWED_HOSTS:
host names and CIDRs). Every address the name resolves to is checked, and the sender connects
to the address checked here (webhooks.sender), so DNS rebinding cannot swap it afterwards."""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeTarget(Exception):
    """The URL may not receive webhooks (the message says why)."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # with the query string
    address: str  # the checked address to connect to


def _allow_list() -> tuple[set[str], list]:
    hosts, networks = set(), []
    for entry in getattr(settings, "WEBHOOK_ALLOWED_HOSTS", []):
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            hosts.add(entry.lower().rstrip("."))
    return hosts, networks


def _forbidden(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return (address.is_loopback or address.is_private or address.is_link_local
            or address.is_multicast or address.is_unspecified or address.is_reserved
            or not address.is_global)


def _literal_in(host: str, networks: list) -> bool:
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return any(address in net for net in networks)


def _resolve(host: str, port: int) -> list[Address]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UnsafeTarget(_("The host %(h)s does not resolve.") % {"h": host}) from exc
    return list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%")[0])
                              for info in infos))


def check_url(url: str) -> Target:
    """The target to connect to, or UnsafeTarget. Called when a subscription is saved and
    again before every send (the name may resolve elsewhere by then)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    if parts.scheme not in ("http", "https") or not host:
        raise UnsafeTarget(_("Give an http(s) URL with a host name."))
    if parts.username or parts.password:
        raise UnsafeTarget(_("Credentials in the URL are not allowed; sign with the secret."))
    allowed_hosts, allowed_networks = _allow_list()
    host_allowed = host in allowed_hosts or _literal_in(host, allowed_networks)
    if parts.scheme == "http" and not (settings.DEBUG or host_allowed):
        raise UnsafeTarget(_("Use https (http only for allow-listed hosts)."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise UnsafeTarget(_("The port is not valid.")) from exc
    addresses = _resolve(host, port)
    if not addresses:
        raise UnsafeTarget(_("The host %(h)s does not resolve.") % {"h": host})
    for address in addresses:
        if host_allowed or any(address in net for net in allowed_networks):
            continue
        if _forbidden(address):
            raise UnsafeTarget(_("%(h)s resolves to %(a)s, a private, loopback, link-local or "
                                 "otherwise internal address: webhooks are not sent there "
                                 "unless it is allow-listed (WEBHOOK_ALLOWED_HOSTS).")
                               % {"h": host, "a": address})
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(scheme=parts.scheme, host=host, port=port, path=path,
                  address=str(addresses[0]))
