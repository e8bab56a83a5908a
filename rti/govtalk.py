"""The GovTalk envelope around an RTI body, and the IRmark. Pure Python (lxml).

Sources:
- GovTalk envelope 2.0 (envelope-v2-0-HMRC.xsd, namespace http://www.govtalk.gov.uk/CM/envelope):
  Header/MessageDetails (Class HMRC-PAYE-RTI-FPS or HMRC-PAYE-RTI-EPS, Qualifier "request",
  Function "submit", Transformation "XML", GatewayTest), GovTalkDetails/Keys (TaxOfficeNumber,
  TaxOfficeReference), ChannelRouting, Body (HMRC "Transaction Engine: Document Submission
  Protocol", and the RTI technical pack's message samples).
- The IRmark (HMRC "IRmark Generic Specification", and its companion "IRmark generation -
  hints and tips" in the technical pack): take the Body element, inheriting the namespace
  declarations of GovTalkMessage; remove the IRmark element, keeping whatever surrounds it;
  canonicalise (W3C Canonical XML 1.0, http://www.w3.org/TR/2001/REC-xml-c14n-20010315); take
  the SHA-1 digest (160 bits) and encode it in base64 for the IRmark element (a base32 form of
  the same digest is what HMRC prints on receipts).
The envelope carries no credentials: the download is for the employer's own filing software,
and a transport (rti.transport) adds SenderDetails when it sends.
"""

from __future__ import annotations

import base64
import copy
import hashlib

from lxml import etree

ENVELOPE_NS = "http://www.govtalk.gov.uk/CM/envelope"
CLASS = {"fps": "HMRC-PAYE-RTI-FPS", "eps": "HMRC-PAYE-RTI-EPS"}
PRODUCT = "HROps"


def _sub(parent, tag: str, text: str | None = None, **attrs):
    node = etree.SubElement(parent, f"{{{ENVELOPE_NS}}}{tag}", attrs)
    if text is not None:
        node.text = text
    return node


def envelope(kind: str, body: etree._Element, *, office: str, reference: str,
             version: str = "1.0", gateway_test: bool = False) -> etree._Element:
    """GovTalkMessage with `body` (an IRenvelope) in its Body, the IRmark not yet filled."""
    root = etree.Element(f"{{{ENVELOPE_NS}}}GovTalkMessage", nsmap={None: ENVELOPE_NS})
    _sub(root, "EnvelopeVersion", "2.0")
    header = _sub(root, "Header")
    details = _sub(header, "MessageDetails")
    _sub(details, "Class", CLASS[kind])
    _sub(details, "Qualifier", "request")
    _sub(details, "Function", "submit")
    _sub(details, "CorrelationID", "")
    _sub(details, "Transformation", "XML")
    _sub(details, "GatewayTest", "1" if gateway_test else "0")
    talk = _sub(root, "GovTalkDetails")
    keys = _sub(talk, "Keys")
    _sub(keys, "Key", office, Type="TaxOfficeNumber")
    _sub(keys, "Key", reference, Type="TaxOfficeReference")
    channel = _sub(_sub(talk, "ChannelRouting"), "Channel")
    _sub(channel, "Product", PRODUCT)
    _sub(channel, "Version", version)
    _sub(root, "Body").append(body)
    return root


def _irmark_nodes(tree: etree._Element) -> list[etree._Element]:
    return [n for n in tree.iter() if isinstance(n.tag, str) and etree.QName(n).localname ==
            "IRmark"]


def irmark(message: etree._Element) -> str:
    """The IRmark of a GovTalkMessage (base64 of the SHA-1 of the canonical Body, without its
    IRmark element). The text around the removed element is kept, as the specification says."""
    body = message.find(f"{{{ENVELOPE_NS}}}Body")
    if body is None:
        raise ValueError("the message has no Body")
    # Canonical XML of a subtree carries the namespaces in scope, i.e. GovTalkMessage's: the
    # "inherit the namespace declarations" step. The copy is parsed from the serialised body so
    # that the removal cannot touch the message itself.
    clone = etree.fromstring(etree.tostring(body, method="c14n"))
    for node in _irmark_nodes(clone):
        parent = node.getparent()
        tail = node.tail or ""
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
        parent.remove(node)
    digest = hashlib.sha1(etree.tostring(clone, method="c14n")).digest()  # noqa: S324 (HMRC's)
    return base64.b64encode(digest).decode("ascii")


def finished(kind: str, body: etree._Element, *, office: str, reference: str,
             gateway_test: bool = False) -> tuple[bytes, str]:
    """(the message as UTF-8 bytes, its IRmark). Indented first and marked after, so the mark
    is of exactly the bytes downloaded (re-indenting would change the digest)."""
    message = envelope(kind, copy.deepcopy(body), office=office, reference=reference,
                       gateway_test=gateway_test)
    etree.indent(message, space="  ")
    parsed = etree.fromstring(etree.tostring(message))
    mark = irmark(parsed)
    for node in _irmark_nodes(parsed):
        node.text = mark
    return etree.tostring(parsed, xml_declaration=True, encoding="UTF-8"), mark


def verify(data: bytes) -> bool:
    """Whether a message's IRmark matches its Body."""
    message = etree.fromstring(data)
    nodes = _irmark_nodes(message)
    return bool(nodes) and nodes[0].text == irmark(message)
