import pytest

from tests.factories import ArticleFactory, ClaimFactory, OutletFactory


@pytest.fixture
def make_mention(db):
    """make_mention(outlet_name, text, **claim_fields) -> Claim: a one-sentence article in that
    outlet and a claim spanning the whole text."""

    def make(outlet: str, text: str, **fields):
        article = ArticleFactory(outlet=OutletFactory(name=outlet), body=text)
        fields.setdefault("status", "candidate")
        return ClaimFactory(article=article, start=0, end=len(text), **fields)

    return make
