from django.apps import AppConfig


class AcsConfig(AppConfig):
    name = "acs"
    verbose_name = "ACS"

    def ready(self) -> None:
        from acs import signals  # noqa: F401
