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
