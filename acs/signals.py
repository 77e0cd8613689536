"""Forget the cached DS list and card ranges whenever an admin edits them."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from acs import directory
from acs.models import CardRange, DirectoryServer


@receiver([post_save, post_delete], sender=CardRange)
@receiver([post_save, post_delete], sender=DirectoryServer)
def _forget_directory(**kwargs: Any) -> None:
    directory.forget()
