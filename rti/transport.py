"""How a prepared RTI message reaches HMRC: a pluggable transport named by the setting
HROPS_RTI_TRANSPORT (a dotted path to a class). The default only offers the download: sending
to HMRC's Transaction Engine needs the employer's Government Gateway credentials and the
internet, neither of which HROps holds. A transport that sends returns HMRC's correlation id;
the acknowledgement is recorded afterwards (by a Payroll Admin, or by the transport's poll).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT = "rti.transport.DownloadOnly"


class TransportError(Exception):
    """The transport could not hand the message over (nothing was sent)."""


@dataclass(frozen=True)
class Receipt:
    correlation_id: str
    message: str = ""


class Transport:
    """The interface. `can_send` False means the page offers only the download."""

    can_send: bool = False
    label: str = ""

    def send(self, *, kind: str, message: bytes) -> Receipt:  # pragma: no cover - interface
        raise NotImplementedError


class DownloadOnly(Transport):
    """Download the XML and send it with the employer's own HMRC-recognised filing software."""

    can_send = False
    label = "download only"

    def send(self, *, kind: str, message: bytes) -> Receipt:
        raise TransportError("This installation only offers the download (HROPS_RTI_TRANSPORT).")


def transport() -> Transport:
    return import_string(getattr(settings, "HROPS_RTI_TRANSPORT", "") or DEFAULT)()
