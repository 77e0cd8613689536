from django.urls import path

from portal.views import auth, home, register, threeds

app_name = "portal"

urlpatterns = [
    path("", home.top, name="top"),
    path("home/", home.home, name="home"),
    path("report/<uuid:acs_trans_id>/", home.report, name="report"),
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("password/", auth.password_change_view, name="password-change"),
    path("password/new/", auth.password_forced_view, name="password-forced"),
    path("password/forgot/", auth.password_forgotten_view, name="password-forgotten"),
    path("register/", register.register_card, name="register"),
    path("register/account/", register.register_account, name="register-account"),
    path("3ds/enrol/", threeds.enrol, name="enrol"),
    path("3ds/switch/", threeds.switch_to_sms, name="switch"),
    path("3ds/phone/", threeds.change_phone, name="change-phone"),
    path("3ds/verify/", threeds.verify_phone, name="verify-phone"),
    path("3ds/verify/resend/", threeds.resend_code, name="resend-code"),
    path("3ds/message/", threeds.personal_message, name="personal-message"),
    path("email/", threeds.change_email, name="change-email"),
]
