"""A transport for tests only: records what it was given, sends nothing anywhere."""

from rti.transport import Receipt, Transport, TransportError


class FakeTransport(Transport):
    can_send = True
    label = "test double"
    sent: list[tuple[str, bytes]] = []
    fail = False

    def send(self, *, kind: str, message: bytes) -> Receipt:
        if FakeTransport.fail:
            raise TransportError("the test service is down")
        FakeTransport.sent.append((kind, message))
        return Receipt("0123456789ABCDEF0123456789ABCDEF", "Received by the test double")
