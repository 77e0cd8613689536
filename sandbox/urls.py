from django.urls import path

from sandbox import views

app_name = "sandbox"

urlpatterns = [
    path("", views.index, name="index"),
    path("pay", views.pay, name="pay"),
    path("purchase/<uuid:pk>", views.purchase_detail, name="purchase"),
    path("purchase/<uuid:pk>/authenticate", views.authenticate, name="authenticate"),
    path("purchase/<uuid:pk>/status", views.status, name="status"),
    path("purchase/<uuid:pk>/areq", views.areq, name="areq"),
    path("purchase/<uuid:pk>/challenge", views.challenge, name="challenge"),
    path("purchase/<uuid:pk>/creq", views.creq, name="creq"),
    path("3ds/method-done/<uuid:pk>", views.method_done, name="method-done"),
    path("3ds/cres/<uuid:pk>", views.cres, name="cres"),
    path("ds/rreq", views.ds_rreq, name="ds-rreq"),
    path("phone", views.phone, name="phone"),
    path("mail", views.mailbox, name="mail"),
    path("mail/<int:pk>", views.mail_detail, name="mail-detail"),
]
