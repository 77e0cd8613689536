from django.urls import path

from acs import views

app_name = "acs"

urlpatterns = [
    path("areq", views.areq, name="areq"),
]
