"""One POST of a webhook, to the address `ssrf.check_url` just checked (the connection is made to
that IP; TLS still verifies the certificate for the host name, sent as SNI), with short
timeouts, no redirects and no retries of its own (the delivery mechanism retries)."""

import time
from dataclasses import dataclass

import urllib3
from django.conf import settings

from webhooks.ssrf import Target

EXCERPT_CHARS = 500


@dataclass(frozen=True)
class Response:
    status: int
    latency_ms: int
    excerpt: str


def _pool(target: Target) -> urllib3.HTTPConnectionPool:
    timeout = urllib3.Timeout(connect=settings.WEBHOOK_CONNECT_TIMEOUT,
                              read=settings.WEBHOOK_READ_TIMEOUT)
    if target.scheme == "https":
        return urllib3.HTTPSConnectionPool(
            target.address, target.port, timeout=timeout, retries=False,
            server_hostname=target.host, assert_hostname=target.host, cert_reqs="CERT_REQUIRED",
            ca_certs=settings.WEBHOOK_CA_BUNDLE)
    return urllib3.HTTPConnectionPool(target.address, target.port, timeout=timeout,
                                      retries=False)


def post(target: Target, body: bytes, headers: dict) -> Response:
    """Raises urllib3's errors on timeouts and refused connections (the caller maps them)."""
    default_port = 443 if target.scheme == "https" else 80
    host = target.host if target.port == default_port else f"{target.host}:{target.port}"
    pool = _pool(target)
    started = time.monotonic()
    try:
        reply = pool.urlopen("POST", target.path, body=body, redirect=False, retries=False,
                             preload_content=False,
                             headers={**headers, "Host": host,
                                      "Content-Type": "application/json",
                                      "User-Agent": "HROps-Webhooks/1"})
        try:
            excerpt = reply.read(EXCERPT_CHARS * 4, decode_content=True)
        finally:
            reply.release_conn()
    finally:
        pool.close()
    latency = int((time.monotonic() - started) * 1000)
    return Response(status=reply.status, latency_ms=latency,
                    excerpt=excerpt.decode("utf-8", "replace")[:EXCERPT_CHARS])
