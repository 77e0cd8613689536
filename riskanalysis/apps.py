from django.apps import AppConfig


class RiskAnalysisConfig(AppConfig):
    name = "riskanalysis"
    verbose_name = "Risk analysis"
