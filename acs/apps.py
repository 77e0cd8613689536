from django.apps import AppConfig


class AcsConfig(AppConfig):
    name = "acs"
    verbose_name = "ACS"
