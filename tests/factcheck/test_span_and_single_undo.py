"""#18.2 exact spans (claim_span_update) and #18.3 undo of a single accept, reject or edit."""

import pytest
from django.core import signing

from core.errors import ConflictError, InvalidInput, PermissionDenied
from factcheck.models import Claim
from factcheck.services.claims import (
    UNDO_SALT,
    claim_accept,
    claim_reject,
    claim_span_update,
    claim_update,
    claims_bulk_undo,
    codepoint_to_utf16,
)
from tests.factories import ArticleFactory, ClaimFactory

BODY = "Fans 🎉🎉 cheered as the mayor said the budget rose 5% in 2023 and taxes fell. Nobody disagreed. Cafe\u0301 owners paid."


@pytest.fixture
def claim(db, editor):
    article = ArticleFactory(body=BODY)
    start = BODY.index("the budget")
    end = BODY.index(" and taxes")
    claim = ClaimFactory(
        article=article,
        start=start,
        end=end,
        exact=BODY[start:end],
        speaker="the mayor",
        sentence_start=0,
        sentence_end=BODY.index(".") + 1,
        prefix="x",
        suffix="y",
    )
    claim_accept(claim=claim, by=editor)
    return Claim.objects.get(pk=claim.pk)


def test_span_update_moves_the_edges_and_keeps_decisions_and_history(claim, editor, reviewer):
    group, status, decided_by = claim.group_id, claim.status, claim.decided_by_id
    end = BODY.index(" Nobody")
    start = BODY.index("the mayor")
    claim_span_update(claim=claim, start=start, end=end, exact=BODY[start:end], by=editor, version=claim.version)
    stored = Claim.objects.get(pk=claim.pk)
    assert (stored.start, stored.end, stored.exact) == (
        start,
        end,
        "the mayor said the budget rose 5% in 2023 and taxes fell.",
    )
    assert (stored.group_id, stored.status, stored.decided_by_id, stored.speaker) == (
        group,
        status,
        decided_by,
        "the mayor",
    )
    assert stored.prefix == BODY[:start][-48:] and stored.prefix.endswith("cheered as ")
    assert stored.suffix.startswith(" Nobody disagreed.")
    assert (stored.sentence_start, stored.sentence_end) == (0, end)  # the sentence still holds the span
    assert stored.version == 3 and stored.edited
    history = list(stored.history.order_by("history_date").values_list("exact", "history_change_reason", "status"))
    assert history[-1] == (stored.exact, "span", "accepted")
    assert history[-2][0] == "the budget rose 5% in 2023" and history[-2][1] == "accepted"


def test_span_update_takes_browser_utf16_offsets(claim, editor):
    start, end = BODY.index("cheered"), BODY.index(" as the")
    claim_span_update(
        claim=claim,
        start=codepoint_to_utf16(BODY, start),
        end=codepoint_to_utf16(BODY, end),
        exact="cheered",
        by=editor,
        version=None,
        units="utf16",
    )
    assert Claim.objects.get(pk=claim.pk).start == start  # two emoji before: two fewer code points than units


@pytest.mark.parametrize(
    "change, field, words",
    [
        (lambda s, e: (s, e, "the budget rose 6%"), "exact", "differ"),
        (lambda s, e: (s, s, ""), "exact", "required"),
        (lambda s, e: (e, s, BODY[s:e]), "end", "greater than start"),
        (lambda s, e: (s, 10_000, BODY[s:]), "end", "past the end"),
        (lambda s, e: (BODY.index(" and"), BODY.index(" and") + 1, " "), "exact", "white space"),
        (lambda s, e: (BODY.index("Cafe"), BODY.index("Cafe") + 4, "Cafe"), "end", "splits a character"),
        (lambda s, e: (s, e, BODY[s:e]), "start", "already"),
    ],
)
def test_bad_spans_are_refused_with_a_clear_error_and_nothing_changes(claim, editor, change, field, words):
    start, end, exact = change(claim.start, claim.end)
    with pytest.raises(InvalidInput, match=words) as error:
        claim_span_update(claim=claim, start=start, end=end, exact=exact, by=editor, version=claim.version)
    assert error.value.field == field
    assert Claim.objects.get(pk=claim.pk).version == claim.version


def test_span_update_refuses_another_claims_span_stale_versions_and_non_editors(claim, editor, reviewer):
    other = ClaimFactory(article=claim.article, start=0, end=4, exact="Fans")
    with pytest.raises(InvalidInput, match=f"already claim {other.pk}"):
        claim_span_update(claim=claim, start=0, end=4, exact="Fans", by=editor, version=claim.version)
    with pytest.raises(ConflictError):
        claim_span_update(
            claim=claim,
            start=claim.start,
            end=claim.end + 4,
            exact=BODY[claim.start : claim.end + 4],
            by=editor,
            version=claim.version - 1,
        )
    with pytest.raises(PermissionDenied):
        claim_span_update(
            claim=claim,
            start=claim.start,
            end=claim.end + 4,
            exact=BODY[claim.start : claim.end + 4],
            by=reviewer,
            version=claim.version,
        )
    assert Claim.objects.get(pk=claim.pk).exact == "the budget rose 5% in 2023"


def test_a_single_accept_reject_and_edit_can_be_undone(db, editor):
    claim = ClaimFactory(article=ArticleFactory(body=BODY))
    token = claim_accept(claim=claim, by=editor).undo_token
    assert claims_bulk_undo(undo=token, by=editor) == {"restored": [claim.pk], "conflicts": []}
    stored = Claim.objects.get(pk=claim.pk)
    assert (stored.status, stored.decided_by_id, stored.decided_at) == ("candidate", None, None)

    stored = claim_accept(claim=stored, by=editor)
    decided_at = stored.decided_at
    token = claim_reject(claim=Claim.objects.get(pk=claim.pk), by=editor).undo_token
    claims_bulk_undo(undo=token, by=editor)
    stored = Claim.objects.get(pk=claim.pk)
    assert (stored.status, stored.decided_by_id, stored.decided_at) == ("accepted", editor.pk, decided_at)

    token = claim_update(
        claim=stored, by=editor, version=stored.version, claim_type="quantity", speaker="Mayor Lee"
    ).undo_token
    assert Claim.objects.get(pk=claim.pk).claim_type == "quantity"
    claims_bulk_undo(undo=token, by=editor)
    stored = Claim.objects.get(pk=claim.pk)
    assert (stored.claim_type, stored.speaker, stored.edited, stored.status) == ("other", "", False, "accepted")
    reasons = list(stored.history.order_by("history_date").values_list("history_change_reason", flat=True))
    assert reasons.count("undo") == 3


def test_single_undo_is_refused_to_others_when_expired_forged_or_changed_since(db, editor, admin_user, settings):
    claim = ClaimFactory(article=ArticleFactory(body=BODY))
    token = claim_reject(claim=claim, by=editor).undo_token
    with pytest.raises(PermissionDenied, match="Only whoever made"):
        claims_bulk_undo(undo=token, by=admin_user)
    forged = signing.dumps(
        {"by": editor.pk, "claims": [[claim.pk, {"status": "accepted"}, 2]]}, salt="x", compress=True
    )
    with pytest.raises(InvalidInput, match="Not an undo token"):
        claims_bulk_undo(undo=forged, by=editor)
    # even signed, a token can put back only the fields an undo may write
    odd = signing.dumps({"by": editor.pk, "claims": [[claim.pk, {"article_id": 1}, 2]]}, salt=UNDO_SALT, compress=True)
    with pytest.raises(InvalidInput, match="Not an undo token"):
        claims_bulk_undo(undo=odd, by=editor)
    settings.WORKBENCH = {**settings.WORKBENCH, "UNDO_MAX_AGE": -1}
    with pytest.raises(InvalidInput, match="expired"):
        claims_bulk_undo(undo=token, by=editor)
    settings.WORKBENCH = {**settings.WORKBENCH, "UNDO_MAX_AGE": 3600}
    claim_update(claim=Claim.objects.get(pk=claim.pk), by=admin_user, version=None, speaker="Someone")  # moved on
    assert claims_bulk_undo(undo=token, by=editor) == {"restored": [], "conflicts": [claim.pk]}
    assert Claim.objects.get(pk=claim.pk).status == "rejected"
