from django.utils.functional import SimpleLazyObject

from discussion.selectors import notifications_unread_count


def notifications(request):
    """The bell's unread count, counted only if a page draws the top bar (one query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": SimpleLazyObject(lambda: notifications_unread_count(user=user))}
