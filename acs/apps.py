from django.apps import AppConfig


class AcsConfig(AppConfig):
    name = "acs"
    verbose_name = "ACS"

    def ready(self) -> None:
        from acs import signals  # noqa: F401
        from acs.portal_links import recent_authentications
        from portal.hooks import register_authentication_history

        register_authentication_history(recent_authentications)
