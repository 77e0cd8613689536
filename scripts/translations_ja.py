"""Japanese texts of the product, keyed by their English source (fills locale/ja/.../django.po).

Run `python scripts/translations_ja.py` after `manage.py makemessages -l ja`: it fills every
entry listed here and reports the entries that still lack a translation.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

JA: dict[str, str | list[str]] = {
    # Challenge pages
    "Card payment authentication": "カード決済の本人認証",
    "Confirm your payment": "お支払いの本人確認",
    "Your personal message": "あなたのパーソナルメッセージ",
    "(no personal message set)": "（パーソナルメッセージは未設定です）",
    "If this is not the message you chose, do not enter anything and press Cancel.": "ご自身で設定したメッセージでない場合は、何も入力せずに「キャンセル」を押してください。",
    "Merchant": "加盟店",
    "Amount": "金額",
    "Date": "日時",
    "Card": "カード",
    "The code is not correct. You have %(counter)s try left.": [
        "認証コードが正しくありません。あと%(counter)s回入力できます。"
    ],
    'The code has expired. Press "Send a new code". %(counter)s try left.': [
        "認証コードの有効期限が切れました。「コードを再送信」を押してください。あと%(counter)s回入力できます。"
    ],
    "Please wait a moment before trying again.": "少し時間をおいてから、もう一度お試しください。",
    "A code was sent a moment ago. Please wait before asking for another.": "認証コードを送信したばかりです。しばらくしてから再送信してください。",
    "No more codes can be sent for this payment.": "このお支払いでは、これ以上認証コードを送信できません。",
    "We could not send the SMS. Please try 'Send a new code' in a moment, or cancel.": "SMSを送信できませんでした。しばらくしてから「コードを再送信」を押すか、キャンセルしてください。",
    "You are using a temporary password. Change it in My Net+ first, then try again.": "仮パスワードではお支払いの認証はできません。My Net+でパスワードを変更してから、もう一度お試しください。",
    "The My Net+ ID or password is not correct. You have %(counter)s try left.": [
        "My Net+ IDまたはパスワードが正しくありません。あと%(counter)s回入力できます。"
    ],
    "A new code has been sent. The previous code no longer works.": "新しい認証コードを送信しました。以前のコードは使えません。",
    "That page was out of date. Please use this one.": "古い画面からの送信でした。こちらの画面で操作してください。",
    "We sent a 6-digit code by SMS to %(masked_phone)s. It is valid for %(otp_minutes)s minutes.": "%(masked_phone)s にSMSで6桁の認証コードを送信しました。有効期限は%(otp_minutes)s分です。",
    "One-time password": "認証コード（ワンタイムパスワード）",
    "Enter your My Net+ ID and password.": "My Net+のIDとパスワードを入力してください。",
    "My Net+ ID": "My Net+ ID",
    "Password": "パスワード",
    "Confirm": "認証する",
    "Send a new code": "コードを再送信",
    "Send a new code (%%s s)": "コードを再送信（%%s秒）",
    "Cancel": "キャンセル",
    "This authentication cannot continue": "この本人認証は続けられません",
    "This authentication has already ended. Please return to the shop.": "この本人認証はすでに終了しています。ショップにお戻りください。",
    "The request was not valid or has expired. Please return to the shop and try again.": "リクエストが正しくないか、有効期限が切れています。ショップに戻って、もう一度お試しください。",
    "Returning to the shop…": "ショップに戻っています…",
    "Press the button to return to the shop.": "ボタンを押してショップにお戻りください。",
    "Return to the shop": "ショップに戻る",
    "My Net+: your code for %(merchant)s, %(amount)s is %(code)s. Valid for %(minutes)d minutes. Never share it.": "【My Net+】%(merchant)s %(amount)s のお支払いの認証コードは %(code)s です。有効期限%(minutes)d分。"
    "このコードは誰にも教えないでください。",
    # Site
    "Japanese": "日本語",
    "English": "英語",
    "This service protects your online card payments with 3-D Secure.": "このサービスは、3Dセキュアでオンラインのカード決済を守ります。",
    "My Net+ and 3-D Secure": "My Net+と3Dセキュア",
    "Register your card in My Net+ and enrol it in 3-D Secure. When you shop online, a one-time password "
    "sent to your mobile phone confirms that the payment is really yours.": "カードをMy Net+に登録し、3Dセキュアにお申し込みください。ネットショッピングの際、"
    "携帯電話に届くワンタイムパスワードで、ご本人によるお支払いであることを確認します。",
    "Each authentication page shows the personal message you chose. If the message is not yours, do not enter "
    "anything and cancel.": "認証画面には、お客さまが設定したパーソナルメッセージが表示されます。"
    "ご自身のメッセージでない場合は、何も入力せずにキャンセルしてください。",
    # Models and admin
    "Active": "有効",
    "Lost or stolen": "紛失・盗難",
    "Replaced": "再発行済み",
    "Closed": "解約",
    "One-time password by SMS": "SMSによるワンタイムパスワード",
    "My Net+ password (legacy)": "My Net+パスワード（従来方式）",
    "card": "カード",
    "card number": "カード番号",
    "expiry": "有効期限",
    "Unlock the selected accounts": "選択したアカウントのロックを解除",
    "%(count)d account(s) unlocked.": "%(count)d件のアカウントのロックを解除しました。",
    # Portal: forms and rules
    "Enter your date of birth.": "生年月日を入力してください。",
    "Card number": "カード番号",
    "Expiry (MM/YY)": "有効期限（月/年 MM/YY）",
    "Date of birth": "生年月日",
    "Mobile number or e-mail registered with us": "カード会社にご登録の携帯電話番号またはメールアドレス",
    "Enter the card number (13 to 19 digits).": "カード番号（13〜19桁）を入力してください。",
    "Enter the expiry as MM/YY.": "有効期限を MM/YY の形で入力してください。",
    "6 to 20 letters, digits, '-' or '_'.": "半角英数字と「-」「_」で6〜20文字。",
    "At least 10 characters. A passphrase of several words is a good choice.": "10文字以上。いくつかの単語をつないだ長めのフレーズがおすすめです。",
    "E-mail for notices": "お知らせ用メールアドレス",
    "Current password": "現在のパスワード",
    "New password": "新しいパスワード",
    "At least 10 characters.": "10文字以上。",
    "Mobile number": "携帯電話番号",
    "Personal message (optional)": "パーソナルメッセージ（任意）",
    "A phrase only you know, shown on every authentication page. Up to 20 characters.": "ご本人だけが知る言葉です。認証画面に毎回表示されます。20文字まで。",
    "Code from the SMS": "SMSで届いた認証コード",
    "Personal message": "パーソナルメッセージ",
    "Leave empty to clear it. Up to 20 characters.": "空欄にすると削除します。20文字まで。",
    "New e-mail for notices": "新しいお知らせ用メールアドレス",
    "Use at most %(max)d characters.": "%(max)d文字以内で入力してください。",
    "Up to %(max)d characters; spaces and any characters are allowed.": "%(max)d文字まで。空白や記号も使えます。",
    "The password is too close to your My Net+ ID or name.": "パスワードがMy Net+ IDやお名前に似すぎています。",
    "The password must not contain your card number.": "パスワードにカード番号を含めないでください。",
    "It must not resemble your My Net+ ID, your name or your card number.": "My Net+ ID、お名前、カード番号に似たパスワードは使えません。",
    "Enter a Japanese mobile number starting with 070, 080 or 090.": "070・080・090で始まる携帯電話番号を入力してください。",
    "The password is not correct.": "パスワードが正しくありません。",
    "My Net+: your verification code is %(code)s. Valid for %(minutes)d minutes.": "【My Net+】確認コードは %(code)s です。有効期限%(minutes)d分。",
    "Please ask for a new code.": "新しいコードを送信してください。",
    "Too many wrong codes. Please ask for a new code.": "誤ったコードが多すぎます。新しいコードを送信してください。",
    "The code has expired. Please ask for a new code.": "コードの有効期限が切れました。新しいコードを送信してください。",
    "The code is not correct.": "コードが正しくありません。",
    "My Net+: the mobile number for 3-D Secure was changed. If this was not you, call us at %(phone)s.": "【My Net+】3Dセキュアの携帯電話番号が変更されました。お心当たりのない場合は %(phone)s までご連絡ください。",
    "Enrol in 3-D Secure first.": "先に3Dセキュアにお申し込みください。",
    "There is no card on this account.": "このアカウントにはカードがありません。",
    "This authentication is not one of your card's.": "この認証はお客さまのカードのものではありません。",
    "The current password is not correct.": "現在のパスワードが正しくありません。",
    "Choose a password different from the current one.": "現在とは異なるパスワードを指定してください。",
    "Use 6 to 20 letters, digits, '-' or '_'.": "半角英数字と「-」「_」で6〜20文字にしてください。",
    "This My Net+ ID is taken. Please choose another.": "このMy Net+ IDはすでに使われています。別のIDを指定してください。",
    "This card is already registered or cannot be registered.": "このカードは登録済みか、登録できないカードです。",
    "The My Net+ ID or password is not correct.": "My Net+ IDまたはパスワードが正しくありません。",
    "This temporary password has expired or was already used. Please ask for a new one.": "この仮パスワードは有効期限切れか、使用済みです。もう一度発行してください。",
    "This account can no longer be used. If your card was reissued, please register the new card.": "このアカウントはご利用いただけません。カードが再発行された場合は、新しいカードでご登録ください。",
    "Too many attempts from your network. Please wait a minute and try again.": "操作の回数が多すぎます。1分ほど待ってから、もう一度お試しください。",
    "You have logged out.": "ログアウトしました。",
    "Your password has been changed.": "パスワードを変更しました。",
    "Your new password is set.": "新しいパスワードを設定しました。",
    "The details do not match our records. Please check them and try again.": "入力内容がカード会社の登録内容と一致しません。ご確認のうえ、もう一度お試しください。",
    "This card already has a My Net+ account. Please log in, or use 'Forgot your password?'.": "このカードはすでにMy Net+に登録されています。ログインするか、「パスワードをお忘れの方」をご利用ください。",
    "This card cannot be registered (it was reported lost, reissued or closed). Please contact us.": "このカードは登録できません（紛失・再発行・解約のため）。お問い合わせください。",
    "Please start with your card details.": "カード情報の入力から始めてください。",
    "Welcome to My Net+. Next, enrol your card in 3-D Secure.": "My Net+へようこそ。次に3Dセキュアにお申し込みください。",
    "Your mobile number is verified. 3-D Secure will send codes to it.": "携帯電話番号を確認しました。3Dセキュアの認証コードはこの番号に届きます。",
    "A new code cannot be sent yet. Please wait a moment.": "まだ新しいコードを送信できません。しばらくお待ちください。",
    "The code could not be sent to this number. Check the number, or try again in a few minutes.": "この番号に確認コードを送信できませんでした。番号をご確認のうえ、数分後にもう一度お試しください。",
    "A new code has been sent.": "新しいコードを送信しました。",
    "Your personal message has been saved.": "パーソナルメッセージを保存しました。",
    "Your e-mail address has been changed.": "メールアドレスを変更しました。",
    # Portal: pages
    "Skip to content": "本文へ移動",
    "Account": "アカウント",
    "Home": "ホーム",
    "Log out": "ログアウト",
    "Log in": "ログイン",
    "(optional)": "（任意）",
    "Change the e-mail for notices": "お知らせ用メールアドレスの変更",
    "Enter the new address and your password. We will tell your current address about the change.": "新しいアドレスとパスワードを入力してください。変更は現在のアドレスにもお知らせします。",
    "Change e-mail": "メールアドレスを変更する",
    "Change the mobile number": "携帯電話番号の変更",
    "Enter the new number and your password. We will send a code to the new number, and tell the old number "
    "and your e-mail once the change is made.": "新しい番号とパスワードを入力してください。新しい番号に確認コードを送ります。変更後、以前の番号とメールにもお知らせします。",
    "Send the code": "確認コードを送信",
    "Enrol in 3-D Secure": "3Dセキュアに申し込む",
    "We will send a code to your mobile to check the number before saving it. Online payments will then be "
    "confirmed with codes sent to this number.": "番号を登録する前に、携帯電話に確認コードを送ります。以後、ネットショッピングではこの番号に届くコードでご本人確認を行います。",
    "Thank you for telling us": "ご連絡ありがとうございます",
    "We have recorded that you did not make this payment, and our fraud checks will take it into account.": "お心当たりのないお支払いとして記録しました。不正利用の検知に活用します。",
    "Your card may have been misused. Please call us now at %(SUPPORT_PHONE)s to block the card and have a new "
    "one issued. Keep the card until we tell you what to do.": "カードが不正に使われたおそれがあります。至急 %(SUPPORT_PHONE)s へお電話いただき、カードの利用停止と再発行をご依頼ください。"
    "ご案内があるまでカードはお手元で保管してください。",
    "Back to home": "ホームに戻る",
    "Welcome, %(name)s": "%(name)s さん、ようこそ",
    "Your card": "ご登録のカード",
    "3-D Secure": "3Dセキュア",
    "Not enrolled yet. Enrol to confirm online payments with a code sent to your mobile.": "まだお申し込みがありません。お申し込みいただくと、携帯電話に届くコードでネットショッピングのご本人確認ができます。",
    "Status": "状態",
    "Enrolled": "登録済み",
    "Method": "認証方式",
    "Mobile": "携帯電話",
    "(not set)": "（未設定）",
    "We recommend switching to one-time passwords by SMS: a code that works once is much safer than a "
    "password that can be stolen.": "SMSによるワンタイムパスワードへの切り替えをおすすめします。1回だけ使えるコードは、盗まれるおそれのあるパスワードよりはるかに安全です。",
    "Switch to SMS codes": "SMS認証に切り替える",
    "Set or change the personal message": "パーソナルメッセージの設定・変更",
    "Recent authentications": "最近の本人認証",
    "Result": "結果",
    "Report": "報告",
    "Confirmed": "認証済み",
    "Approved (no code needed)": "承認（コード入力なし）",
    "Refused": "拒否",
    "In progress": "処理中",
    "Not confirmed": "未認証",
    "Reported": "報告済み",
    "This wasn't me": "身に覚えがない",
    "No authentications yet.": "本人認証の履歴はまだありません。",
    "Change your password": "パスワードの変更",
    "Log in to My Net+": "My Net+にログイン",
    "This account is locked after repeated wrong passwords.": "パスワードを続けて間違えたため、このアカウントはロックされています。",
    "To unlock it, please call our support desk at %(SUPPORT_PHONE)s. Our staff will confirm it is you and "
    "unlock the account.": "ロックの解除は、サポートデスク（%(SUPPORT_PHONE)s）までお電話ください。ご本人確認のうえ解除いたします。",
    "Forgot your password?": "パスワードをお忘れの方",
    "New to My Net+? Register your card": "はじめての方：カードを登録する",
    "The new password also applies at once to confirming online payments with the My Net+ password.": "新しいパスワードは、My Net+パスワードによるネットショッピングの本人認証にもすぐに適用されます。",
    "Change password": "パスワードを変更する",
    "Choose a new password": "新しいパスワードの設定",
    "You logged in with a temporary password. Choose your own password to continue.": "仮パスワードでログインしました。続けるには新しいパスワードを設定してください。",
    "Set password": "パスワードを設定する",
    "Enter your My Net+ ID, date of birth and the e-mail address you registered. If they match, we will e-mail "
    "you a temporary password valid for 60 minutes.": "My Net+ ID、生年月日、ご登録のメールアドレスを入力してください。一致した場合、60分間有効の仮パスワードをメールでお送りします。",
    "Send a temporary password": "仮パスワードを送信",
    "Check your e-mail": "メールをご確認ください",
    "If the details match an account, a temporary password is on its way to the registered e-mail address. "
    "It works once, for 60 minutes.": "入力内容が登録情報と一致した場合、ご登録のメールアドレスに仮パスワードをお送りしました。60分以内に1回だけ使えます。",
    "Our authentication page always shows this phrase. If a page asking for your code does not show it, do not "
    "enter anything.": "当社の認証画面には必ずこの言葉が表示されます。コードを求める画面にこの言葉がない場合は、何も入力しないでください。",
    "Save": "保存する",
    "Choose your My Net+ ID": "My Net+ IDの設定",
    "Register your card (2 of 2)": "カードの登録（2/2）",
    "Card %(card)s confirmed. Choose your My Net+ ID and password.": "カード %(card)s を確認しました。My Net+ IDとパスワードを決めてください。",
    "Register": "登録する",
    "Register your card": "カードを登録する",
    "Register your card (1 of 2)": "カードの登録（1/2）",
    "One My Net+ account per card. First, confirm the card is yours with the details we hold.": "My Net+はカード1枚につき1アカウントです。まず、カード会社の登録内容でご本人のカードであることを確認します。",
    "Continue": "次へ",
    "Enter your mobile number. After you confirm the code we send, online payments are confirmed with SMS "
    "codes instead of your My Net+ password.": "携帯電話番号を入力してください。確認コードの入力後、ネットショッピングの本人認証はMy Net+パスワードに代わりSMSのコードで行います。",
    "Enter the code": "確認コードの入力",
    "We sent a 6-digit code by SMS to %(masked_phone)s.": "%(masked_phone)s にSMSで6桁の確認コードを送信しました。",
    "Verify": "確認する",
}


def fill(po_path: Path) -> list[str]:
    po = polib.pofile(str(po_path))
    missing = []
    for entry in po:
        if entry.obsolete:
            continue
        text = JA.get(entry.msgid)
        if text is None:
            if not entry.translated():
                missing.append(entry.msgid)
            continue
        if entry.msgid_plural:
            forms = text if isinstance(text, list) else [text]
            entry.msgstr_plural = {0: forms[0]}
        else:
            entry.msgstr = text if isinstance(text, str) else text[0]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.metadata["Language"] = "ja"
    po.save()
    return missing


if __name__ == "__main__":
    path = Path(__file__).resolve().parent.parent / "locale/ja/LC_MESSAGES/django.po"
    left = fill(path)
    print(f"{len(left)} entries without a Japanese text")
    for msgid in left:
        print("  -", msgid[:90])
    sys.exit(0)
