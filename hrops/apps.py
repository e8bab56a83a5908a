from django.apps import AppConfig


class HropsConfig(AppConfig):
    name = "hrops"

    def ready(self) -> None:
        from hrops import sql_ids  # noqa: F401  (registers the `__in_ids` lookup)
