"""Concurrent edits of the same claim or verdict never lose an update (acceptance item 4).

Real threads, each with its own database connection, race through the review services with the
version they read. The conditional `UPDATE ... WHERE version = N` decides: exactly one writer wins,
the other gets ConflictError and changes nothing; a loser that re-reads and retries gets its change
in on top of the winner's. Runs on SQLite (IMMEDIATE transactions) and on PostgreSQL (row locks)."""

import threading

import pytest
from django.db import connection

from core.errors import ConflictError
from factcheck.models import Claim, Verdict
from factcheck.services.claims import claim_accept, claim_reject, claim_update
from factcheck.services.ratings import rating_scale_ensure_default
from factcheck.services.verdicts import verdict_draft, verdict_update
from tests.factories import ClaimFactory, ClaimGroupFactory

pytestmark = pytest.mark.django_db(transaction=True)


def race(*jobs):
    """Run the jobs in threads released together; return what each returned or raised."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait(timeout=30)
            results[i] = job()
        except Exception as exc:  # collected and asserted by the caller
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a writer hung"
    return results


def winners_and_losers(results):
    unexpected = [r for r in results if isinstance(r, Exception) and not isinstance(r, ConflictError)]
    assert not unexpected, unexpected
    return [r for r in results if not isinstance(r, Exception)], [r for r in results if isinstance(r, ConflictError)]


ROUNDS = 8


def test_two_editors_edit_the_same_claim_with_the_same_version(editor, admin_user):
    for round_ in range(ROUNDS):
        claim = ClaimFactory()
        # Both read version 1 (separate instances, as two requests would).
        mine, theirs = Claim.objects.get(pk=claim.pk), Claim.objects.get(pk=claim.pk)
        results = race(
            lambda: claim_update(claim=mine, by=editor, version=1, speaker=f"Speaker A{round_}"),
            lambda: claim_update(claim=theirs, by=admin_user, version=1, claim_type=Claim.Type.QUANTITY),
        )
        won, lost = winners_and_losers(results)
        assert (len(won), len(lost)) == (1, 1), results
        assert lost[0].current_version == 2
        stored = Claim.objects.get(pk=claim.pk)
        assert stored.version == 2
        assert stored.history.filter(history_type="~").count() == 1  # one change recorded, the refused one none
        # The winner's change is there and the loser's is not (nothing half-applied).
        if won[0] is mine:
            assert (stored.speaker, stored.claim_type) == (f"Speaker A{round_}", Claim.Type.OTHER)
            loser, retry = theirs, {"claim_type": Claim.Type.QUANTITY}
        else:
            assert (stored.speaker, stored.claim_type) == ("", Claim.Type.QUANTITY)
            loser, retry = mine, {"speaker": f"Speaker A{round_}"}
        # The loser reloads and applies its change on top: both updates survive.
        claim_update(claim=Claim.objects.get(pk=loser.pk), by=editor, version=2, **retry)
        stored = Claim.objects.get(pk=claim.pk)
        assert (stored.speaker, stored.claim_type, stored.version) == (f"Speaker A{round_}", Claim.Type.QUANTITY, 3)


def test_accept_and_reject_race_one_decision_wins(editor, admin_user):
    for _ in range(ROUNDS):
        claim = ClaimFactory()
        a, b = Claim.objects.get(pk=claim.pk), Claim.objects.get(pk=claim.pk)
        results = race(
            lambda: claim_accept(claim=a, by=editor, version=1), lambda: claim_reject(claim=b, by=admin_user, version=1)
        )
        won, lost = winners_and_losers(results)
        assert (len(won), len(lost)) == (1, 1), results
        stored = Claim.objects.get(pk=claim.pk)
        assert stored.version == 2
        assert stored.status == won[0].status
        assert stored.decided_by_id == (editor.pk if won[0] is a else admin_user.pk)


def test_two_people_edit_the_same_verdict_with_the_same_version(reviewer, editor):
    ratings = list(rating_scale_ensure_default().ratings.order_by("order"))
    for round_ in range(ROUNDS):
        verdict = verdict_draft(group=ClaimGroupFactory(), by=reviewer, rating=ratings[0], rationale="First draft.")
        mine, theirs = Verdict.objects.get(pk=verdict.pk), Verdict.objects.get(pk=verdict.pk)
        results = race(
            lambda: verdict_update(verdict=mine, by=reviewer, version=1, rationale=f"Reviewer's text {round_}."),
            lambda: verdict_update(verdict=theirs, by=editor, version=1, rating=ratings[3]),
        )
        won, lost = winners_and_losers(results)
        assert (len(won), len(lost)) == (1, 1), results
        stored = Verdict.objects.get(pk=verdict.pk)
        assert stored.version == 2 and stored.history.filter(history_type="~").count() == 1
        if won[0] is mine:
            assert (stored.rationale, stored.rating_id) == (f"Reviewer's text {round_}.", ratings[0].pk)
        else:
            assert (stored.rationale, stored.rating_id) == ("First draft.", ratings[3].pk)


def test_many_writers_with_retries_lose_no_update(editor, admin_user):
    """Four writers each append their mark to the same verdict's rationale five times, reading,
    writing with the version read and retrying on conflict: every one of the 20 marks is there."""
    rating = rating_scale_ensure_default().ratings.first()
    verdict = verdict_draft(group=ClaimGroupFactory(), by=editor, rating=rating, rationale="")
    users = [editor, admin_user, editor, admin_user]
    conflicts = []

    def writer(n):
        def job():
            for k in range(5):
                for _attempt in range(200):
                    current = Verdict.objects.get(pk=verdict.pk)
                    try:
                        verdict_update(
                            verdict=current,
                            by=users[n],
                            version=current.version,
                            rationale=f"{current.rationale} w{n}k{k}",
                        )
                        break
                    except ConflictError:
                        conflicts.append(n)
                else:
                    raise AssertionError("gave up after 200 conflicts")
            return n

        return job

    results = race(*(writer(n) for n in range(4)))
    assert results == [0, 1, 2, 3], results
    stored = Verdict.objects.get(pk=verdict.pk)
    marks = stored.rationale.split()
    assert sorted(marks) == sorted(f"w{n}k{k}" for n in range(4) for k in range(5))
    assert stored.version == 1 + 20


def test_two_reviewers_submitting_at_once_are_paired(reviewer, editor):
    """Double review: two reviewers submit their independent reviews of one claim at the same
    moment; the two are still paired (agreed or escalated), never both left waiting."""
    from accounts.roles import Role
    from factcheck.services.verdicts import verdict_submit
    from tests.factories import UserFactory

    other = UserFactory(username="bea-reviewer", role=Role.REVIEWER)
    ratings = list(rating_scale_ensure_default().ratings.order_by("order"))
    for round_ in range(ROUNDS):
        group = ClaimGroupFactory(double_review=True)
        mine = verdict_draft(group=group, by=reviewer, rating=ratings[1], rationale="A.")
        theirs = verdict_draft(group=group, by=other, rating=ratings[1 + round_ % 2], rationale="B.")
        results = race(
            lambda: verdict_submit(verdict=mine, by=reviewer), lambda: verdict_submit(verdict=theirs, by=other)
        )
        assert not any(isinstance(r, Exception) for r in results), results
        stored = sorted(Verdict.objects.filter(group=group).values_list("agreement", "peer_id", "id"))
        assert {a for a, _, _ in stored} == {"agreed" if round_ % 2 == 0 else "escalated"}, stored
        assert stored[0][1] == stored[1][2] and stored[1][1] == stored[0][2]
