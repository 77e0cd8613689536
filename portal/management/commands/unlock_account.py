"""Lift the lockout of one account from the shell: the way back in for a locked staff account.

Anyone who knows a staff ID can lock it with wrong passwords at the admin log-in. Staff unlock
cardholders in the admin; when the locked account is the last one that could, the operator runs
this on the server.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.models import Member
from portal.services.accounts import account_unlock


class Command(BaseCommand):
    help = "Unlock an account locked by wrong passwords and reset its failure count."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="the account's log-in ID")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        member = Member.objects.filter(username__iexact=username.strip()).first()
        if member is None:
            raise CommandError(f"no account with the log-in ID {username!r}")
        if account_unlock(member=member):
            self.stdout.write(f"{member.username}: unlocked")
        else:
            self.stdout.write(f"{member.username}: was not locked (failure count reset)")
