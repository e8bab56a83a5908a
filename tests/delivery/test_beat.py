"""One beat at a time: two `celery beat` processes on the same Redis (a redeploy, a second
replica) fire each periodic task once, not twice, and the second takes over when the first dies.
celery-redbeat holds the lock; here the relay runs every second so the test is short."""

import json
import time
import uuid

import pytest
import redis as redis_lib

from tests.delivery import processes

RELAY = "delivery.tasks.delivery_relay_task"


def _relay_messages(client) -> int:
    return sum(json.loads(raw)["headers"]["task"] == RELAY
               for raw in client.lrange("celery", 0, -1))


@pytest.fixture
def beats(redis_url):
    client = redis_lib.Redis.from_url(redis_url)
    client.delete("celery")
    prefix = f"redbeat-test-{uuid.uuid4().hex}:"
    env = {"DELIVERY_RELAY_SECONDS": "1", "CELERY_REDBEAT_KEY_PREFIX": prefix,
           "CELERY_REDBEAT_LOCK_TIMEOUT": "4", "CELERY_BEAT_MAX_LOOP_INTERVAL": "1",
           "CELERY_REDBEAT_REDIS_URL": redis_url, "DATABASE_URL": "sqlite:///:memory:"}
    started = []

    def start():
        proc = processes.start_beat(redis_url, **env)
        started.append(proc)
        return proc

    yield start, client, prefix
    for proc in started:
        print(processes.stop(proc))
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)
    client.delete("celery")


def test_two_beats_fire_the_relay_once_per_interval_and_the_second_takes_over(beats):
    start, client, prefix = beats
    # given a first beat that holds the lock and fires the relay every second
    first = start()
    processes.wait_for(lambda: client.exists(f"{prefix}:lock"), timeout=60, what="the beat")
    processes.wait_for(lambda: _relay_messages(client) >= 1, timeout=30, what="the beat")
    # when a second beat starts next to it
    start()
    time.sleep(3)  # both running
    before = _relay_messages(client)
    time.sleep(8)
    fired = _relay_messages(client) - before
    # then the relay was published about once a second (8), not twice (16)
    assert 5 <= fired <= 11, fired
    # when the first beat is killed (it cannot release its lock)
    processes.kill(first)
    before = _relay_messages(client)
    # then the second takes over once the lock runs out
    processes.wait_for(lambda: _relay_messages(client) >= before + 3, timeout=30,
                       what="the second beat")
