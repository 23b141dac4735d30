"""Sign-ins, sign-outs and failed sign-ins go into the audit trail."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from commonweal.audit.models import Action
from commonweal.audit.services import record


@receiver(user_logged_in)
def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(user, Action.SIGNED_IN, user, object_repr=f"user {user.pk}")


@receiver(user_logged_out)
def _signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(user, Action.SIGNED_OUT, user, object_repr=f"user {user.pk}")


@receiver(user_login_failed)
def _sign_in_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # Only the address typed is kept (never the password), so repeated guessing can be seen.
    record(None, Action.SIGN_IN_FAILED, detail={"email": str(credentials.get("username", ""))[:254]})
