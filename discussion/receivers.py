"""Notifications for what the review services tell (factcheck/signals.py); connected in
DiscussionConfig.ready(). Each receiver only calls a service (looked up at call time)."""

from discussion import services


def claim_assigned(*, claim, by, **kwargs) -> None:
    services.notification_assignment(claim=claim, by=by)


def verdict_awaiting_approval(*, verdict, by, **kwargs) -> None:
    services.notification_approval(verdict=verdict, by=by)


def connect() -> None:
    from factcheck import signals

    signals.claim_assigned.connect(claim_assigned, dispatch_uid="discussion.claim_assigned")
    signals.verdict_awaiting_approval.connect(
        verdict_awaiting_approval, dispatch_uid="discussion.verdict_awaiting_approval"
    )
