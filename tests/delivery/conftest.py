"""Handlers that stand in for real work, so the mechanism is tested on its own."""

import pytest

from delivery.registry import handler

CALLS: list[tuple[str, dict]] = []
BEHAVIOUR: dict[str, list[BaseException | None]] = {}


@handler("test.record", batch=3)
def record(item) -> None:
    """Does what BEHAVIOUR[key] says next (raise it, or succeed), and records each success."""
    plan = BEHAVIOUR.get(item.key) or [None]
    outcome = plan.pop(0) if len(plan) > 1 else plan[0]
    if outcome is not None:
        raise outcome
    CALLS.append((item.key, item.payload))


@pytest.fixture
def calls():
    CALLS.clear()
    BEHAVIOUR.clear()
    yield CALLS
    CALLS.clear()
    BEHAVIOUR.clear()


@pytest.fixture
def behaviour():
    return BEHAVIOUR


@pytest.fixture
def broker_down():
    """Celery pointed at a port where nothing listens: every publish fails at once."""
    from tests.celery_broker import celery_on_broker

    with celery_on_broker("redis://127.0.0.1:1/6"):
        yield
