from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskAnalysisConfig(AppConfig):
    name = "riskanalysis"
    verbose_name = _("Risk analysis")
