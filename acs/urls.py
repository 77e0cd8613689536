from django.urls import path

from acs import challenge_views, method, views

app_name = "acs"

urlpatterns = [
    path("areq", views.areq, name="areq"),
    path("method", method.method, name="method"),
    path("method/collect", method.collect, name="method-collect"),
    path("challenge", challenge_views.challenge, name="challenge"),
    path("challenge/step", challenge_views.step, name="challenge-step"),
]
