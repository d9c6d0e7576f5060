"""Signed links that turn the weekly digest off without logging in.

The link carries the person's id, signed with SECRET_KEY and dated: changing a
character breaks the signature, and a link older than UNSUBSCRIBE_MAX_AGE is
refused, so a forwarded mail does not work forever.
"""

from datetime import timedelta

from django.core import signing

SALT = "accounts.unsubscribe.weekly-digest"
UNSUBSCRIBE_MAX_AGE = timedelta(days=60)


def unsubscribe_token(user_pk: int) -> str:
    """The token for the digest's unsubscribe link."""
    return signing.dumps({"user": user_pk}, salt=SALT, compress=True)


def unsubscribe_user_pk(token: str) -> int:
    """The id the token was made for. Raises signing.SignatureExpired or signing.BadSignature."""
    data = signing.loads(token, salt=SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    if not isinstance(data, dict) or not isinstance(data.get("user"), int):
        raise signing.BadSignature("No person in the token")
    return data["user"]
