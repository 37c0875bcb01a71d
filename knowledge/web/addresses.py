"""Where the client may go: the site a URL belongs to, and the one test of whether an address is public."""

import ipaddress
from urllib.parse import urlsplit

# A second-level name under a two-letter country (gov.uk, police.uk, co.uk): the site is one label more.
SECOND_LEVEL = {"gov", "police", "co", "org", "ac", "nhs", "net", "ltd", "plc", "sch", "mod", "me", "com"}


def site_of(url: str) -> str:
    """The site a URL belongs to: its registrable domain ('justiceinspectorates.gov.uk' for
    'assets-hmicfrs.justiceinspectorates.gov.uk'), or the address itself for an IP or a single name."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


# Blocks no public web page lives in, named here as well as left to `is_global`: the standard library's tables
# differ between Python versions (3.11.7 calls 192.0.0.9, 224.0.0.1 and fec0::1 global), and these must never change.
NOT_PUBLIC = tuple(ipaddress.ip_network(block) for block in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24",
    "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
    "::/128", "::1/128", "::/96", "64:ff9b:1::/48", "100::/64", "2001::/32", "2001:2::/48", "2001:10::/28", "2001:db8::/32",
    "3fff::/20", "5f00::/16", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
))  # 2001::/23 outside the named parts is left to is_global, which knows its few global sub-blocks
NAT64 = ipaddress.ip_network("64:ff9b::/96")  # the well-known prefix: a public IPv4 host seen from an IPv6-only network


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries to an IPv4 host (IPv4-mapped, NAT64, 6to4), if any.

    Teredo (2001::/32) is refused as a whole, so its embedded client address needs no look."""
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip.sixtofour


def blocked_address(address: str) -> bool:
    """True for an address no public web page lives at; the one test of the client's address guard.

    Not global in the standard library's eyes, multicast, reserved, or in NOT_PUBLIC; an IPv4 address carried
    inside an IPv6 one is judged as IPv4."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        ip = embedded_ipv4(ip) or ip
    return not ip.is_global or ip.is_multicast or ip.is_reserved or any(ip in block for block in NOT_PUBLIC)
