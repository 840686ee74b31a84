from matching.differences import Mention, _items
from matching.retrieval import tokenize
from matching.stemming import stem


def test_snowball_stems_equate_plurals_and_tenses():
    assert stem("studies") == stem("study") and stem("announced") == stem("announcing") == stem("announces")
    assert tokenize("The officials announced it") == tokenize("official announces")


def test_assertive_verbs_are_found_by_stem_but_not_their_nouns():
    items = _items(Mention(claim_id=1, text="The ministry confirmed it; a later announcement declared nothing."))
    assertive = [i["text"] for i in items["certainty"] if not i["hedge"]]
    assert assertive == ["confirmed", "declared"]
