from django.urls import path

from portal.sms import views

app_name = "sms"

urlpatterns = [
    path("twilio/status", views.twilio_status, name="twilio-status"),
]
