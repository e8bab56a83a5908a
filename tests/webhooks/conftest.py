from tests.webhooks.helpers import dns, receiver  # noqa: F401 (fixtures)
