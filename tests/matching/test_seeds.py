"""The five real seed articles (../shared/seeds): extraction, then matching. The same claim across
outlets is one group; unrelated sentences stay apart."""

import pytest
from django.core.management import call_command

from articles.models import Article
from factcheck.models import Claim, ClaimGroup
from factcheck.selectors import group_with_mentions
from factcheck.services.extraction import claims_extract
from matching import selectors, services


def _group_of(claims, *needles):
    """The group ids of the claims whose text contains every needle, with their article ids."""
    found = [c for c in claims if all(n.lower() in c.exact.lower() for n in needles)]
    assert found, f"no extracted claim contains {needles}"
    return found


@pytest.mark.django_db(transaction=True)
def test_seed_articles_group_the_same_claims(seeds_dir):
    call_command("import_articles", str(seeds_dir))
    ids = list(Article.objects.order_by("id").values_list("id", flat=True))
    assert len(ids) == 5
    Article.objects.update(extraction_status=Article.ExtractionStatus.PENDING)
    claims_extract(article_ids=ids)
    services.claims_match(article_ids=ids)
    claims = list(Claim.objects.select_related("article"))

    # The quote beginning "I deem it necessary": one group, three outlets.
    deem = _group_of(claims, "necessary to make a decision")
    assert len({c.group_id for c in deem}) == 1 and deem[0].group_id
    assert len({c.article_id for c in deem}) >= 3

    # The US executive order on investment and trade: one group, four outlets.
    order = [c for c in claims if "executive order" in c.exact.lower() and "biden" in c.exact.lower()]
    order_groups = {c.group_id for c in order}
    assert len(order_groups) == 1 and None not in order_groups
    assert len({c.article_id for c in order}) >= 4

    # Putin recognising the two regions: the plain statements are one group.
    recognised = [c for c in claims if "putin" in c.exact.lower() and "recogni" in c.exact.lower()
                  and c.exact.lower().startswith(("president vladimir putin on monday", "late on monday"))]
    assert len(recognised) == 2 and len({c.group_id for c in recognised}) == 1 and recognised[0].group_id

    # False friends stay apart: Biden's calls are not Putin's calls with the same leaders.
    biden_calls = _group_of(claims, "Biden spoke with")
    putin_calls = _group_of(claims, "heads of state in France and Germany")
    assert {c.group_id for c in biden_calls if c.group_id}.isdisjoint({c.group_id for c in putin_calls})

    # No group mixes claims that the examples keep apart.
    for group in ClaimGroup.objects.all():
        texts = " ".join(group.claims.values_list("exact", flat=True)).lower()
        assert not ("necessary to make a decision" in texts and "executive order" in texts)

    # The group page shows how the outlets differ (names, certainty, the quote's wording).
    diff = selectors.group_differences(group_with_mentions(deem[0].group_id))
    assert len({row["outlet"] for row in diff["mentions"]}) >= 3 or len(diff["mentions"]) >= 3
    assert diff["quote_variant"]
    eo = selectors.group_differences(group_with_mentions(order[0].group_id))
    assert eo["any_difference"]

    # Re-running the matcher on the same articles changes nothing.
    before = list(Claim.objects.order_by("id").values_list("id", "group_id"))
    again = services.claims_match(article_ids=ids)
    assert again.linked == [] and again.suggested == []
    assert list(Claim.objects.order_by("id").values_list("id", "group_id")) == before
