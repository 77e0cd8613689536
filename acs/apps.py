from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcsConfig(AppConfig):
    name = "acs"
    verbose_name = _("ACS (3-D Secure authentication)")

    def ready(self) -> None:
        from acs import signals  # noqa: F401
        from acs.authentication_value import av_keys
        from acs.portal_links import recent_authentications
        from portal.hooks import register_authentication_history

        register_authentication_history(recent_authentications)
        av_keys()  # a wrong key list stops the start, not the first frictionless AReq
