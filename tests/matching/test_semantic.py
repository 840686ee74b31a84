"""The pieces of the same-claim decision (no database): structured checks and vetoes on parsed
claims, the fitted decision file, the embeddings, and word lists that name no story."""

import json

import numpy as np
import pytest

from matching import lexicon, semantic
from matching.linking import lsh_terms
from matching.scoring import numbers_agree
from matching.signature import entity_key, keys_match, signature_terms, signatures_compute


def sigs(a: str, b: str, speakers=("", ""), types=("", "")):
    return signatures_compute([(a, speakers[0], types[0]), (b, speakers[1], types[1])])


@pytest.mark.parametrize(
    "a,b,veto",
    [
        (
            "Senator Alvarez voted against the farm bill on Tuesday.",
            "Senator Okafor voted against the farm bill on Tuesday.",
            "different actors",
        ),
        ("The storm left 12,000 homes without power.", "The storm left 45,000 homes without power.", "numbers differ"),
        (
            "The city last hosted the championship in 1998.",
            "The city last hosted the championship in 2011.",
            "different years",
        ),
        (
            "“We will not raise taxes on working families this year,” Lindqvist said.",
            "“We will not raise taxes on working families this year,” Moreau said.",
            "different people",
        ),
    ],
)
def test_false_friends_are_vetoed_with_the_reason(a, b, veto):
    sa, sb = sigs(a, b)
    assert veto in semantic.vetoes(sa, sb)


@pytest.mark.parametrize(
    "a,b",
    [
        ("The storm left 130,000 homes without power.", "The storm left 127,500 homes without power."),  # rounding
        ("The council approved the budget on Monday.", "On Monday the council passed the budget."),
    ],
)
def test_rounding_and_paraphrase_are_not_vetoed(a, b):
    sa, sb = sigs(a, b)
    assert semantic.vetoes(sa, sb) == ""


def test_features_see_negation_hedges_and_shared_figures():
    sa, sb = sigs(
        "The company will probably close two factories in 2025, analysts said.",
        "The company will not close two factories in 2025.",
    )
    features = semantic.pair_features(sa, sb, cosine=0.8, cross=1.0)
    assert features["negation_mismatch"] == 1.0 and features["hedge_mismatch"] == 1.0
    assert features["year_conflict"] == 0.0
    assert set(features) == set(semantic.FEATURES)
    reasons = semantic.explain(sa, sb, features, 0.4, "")
    assert "One of them is negated." in reasons and any("hedged" in r for r in reasons)


@pytest.mark.parametrize(
    "a,b,same",
    [
        (130000, 127500, True),
        (1.5e6, 1_500_000, True),
        (130000, 190000, False),
        (2, 5, False),
        (100, 150, False),
    ],
)
def test_numbers_agree_up_to_rounding(a, b, same):
    assert numbers_agree(a, b) is same


def test_names_compare_without_a_list_of_names():
    assert entity_key("President Jane Doe", "PERSON") == "doe"
    assert entity_key("the U.N.", "ORG") == "un"
    assert keys_match("zelensky", "zelenskiy") and keys_match("luhansk", "lugansk")
    assert not keys_match("lindqvist", "lindgren")


def test_the_lexicon_holds_only_general_english():
    for removed in ("ENTITY_ALIASES", "VERB_CLASSES", "NOUN_CLASSES"):
        assert not hasattr(lexicon, removed)
    # What is left: function words, hedges and calendar words, no capitalised names.
    for name in (n for n in dir(lexicon) if not n.startswith("_")):
        value = getattr(lexicon, name)
        if isinstance(value, (frozenset, tuple, dict)):
            assert all(str(word) == str(word).lower() for word in value), name


def test_decision_file_is_fitted_on_these_features_with_sane_thresholds():
    data = json.loads(semantic.DECISION_PATH.read_text())
    assert tuple(data["features"]) in (semantic.FEATURES, semantic.WITHOUT_CROSS)
    assert 0.0 < data["same"] <= data["auto"] < 1.0
    assert data["metrics"]["test_accuracy"] > data["metrics"]["tfidf_test_accuracy"]
    model = semantic.decision()
    strong = dict.fromkeys(semantic.FEATURES, 0.0) | {"cosine": 0.95, "cross": 4.0, "lexical": 0.8}
    weak = dict.fromkeys(semantic.FEATURES, 0.0) | {"cosine": 0.1, "cross": -4.0}
    assert model.score(strong) > model.same > model.score(weak)


@pytest.mark.django_db
def test_embeddings_are_normalized_and_meaningful():
    vectors = semantic.embed(
        ["The council approved the budget.", "The budget was passed by the council.", "Penguins live in Antarctica."]
    )
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.3
    packed = semantic.vector_unpack(semantic.vector_pack(vectors[0]))
    assert np.allclose(packed, vectors[0], atol=1e-3)
    # Near vectors share LSH buckets, far ones mostly do not.
    near = len(set(lsh_terms(vectors[0])) & set(lsh_terms(vectors[1])))
    far = len(set(lsh_terms(vectors[0])) & set(lsh_terms(vectors[2])))
    assert near > far


def test_signature_terms_include_actor_verb_and_quote_keys():
    (sig,) = signatures_compute([("Mayor Lindqvist ordered the closure of two bridges over the river.", "")])
    terms = signature_terms(sig)
    assert "av:lindqvist|order" in terms
    assert any(t.startswith("vo:order|") for t in terms)
    assert "e:lindqvist" in terms


def test_a_long_claim_is_cut_into_its_clauses():
    (sig,) = signatures_compute(
        [
            (
                "The governor vetoed the housing bill on Friday, saying it would raise rents, "
                "as lawmakers have debated rent limits since 2019.",
                "",
            )
        ]
    )
    segments = sig["segments"]
    assert any(s.startswith("The governor vetoed the housing bill on Friday") and "saying" not in s for s in segments)
    assert "lawmakers have debated rent limits since 2019" in segments
    assert all(len(s.split()) >= 4 for s in segments)
    (short,) = signatures_compute([("The council approved the budget.", "")])
    assert short["segments"] == []


def test_the_segment_cosine_finds_the_clause_that_states_the_other_claim():
    long, short = sigs(
        "The governor vetoed the housing bill on Friday, saying it would raise rents for "
        "thousands of families in the northern suburbs.",
        "The governor vetoed the housing bill.",
    )
    texts = [
        "The governor vetoed the housing bill on Friday, saying it would raise rents for thousands of "
        "families in the northern suburbs.",
        "The governor vetoed the housing bill.",
    ]
    va, vb = semantic.signatures_embed([long, short], texts)
    assert len(long["segemb"]) == len(long["segments"]) > 0
    whole = float(np.dot(va, vb))
    best = semantic.segment_cosine(long, short, va, vb)
    assert best > whole + 0.05  # the clause says what the short claim says
    features = semantic.pair_features(long, short, cosine=whole, cross=0.0, segment=best)
    assert features["segment_gain"] == pytest.approx(best - whole)
    assert features["containment"] == 1.0  # every content word of the short claim is in the long one
    assert features["lexical"] < 1.0


def test_the_fit_weighs_own_pairs_and_sets_a_suggestion_threshold_above_same():
    rng = np.random.RandomState(0)
    X = rng.standard_normal((400, 3))
    y = (X[:, 0] + 0.5 * rng.standard_normal(400) > 0).astype(int)
    own = np.arange(400) >= 300
    fitted = semantic.decision_fit(
        X, y, names=("cosine", "lexical", "containment"), threshold_rows=own, row_weight=2.0, suggest_precision=0.8
    )
    assert fitted.same <= fitted.suggest <= fitted.auto
    assert fitted.metrics["own_calib_pairs"] == 100 and 0.5 < fitted.metrics["own_calib_oof_accuracy"] <= 1.0
    assert fitted.as_json()["suggest"] == fitted.suggest


def test_own_pairs_are_split_into_fit_and_held_out_parts():
    from matching.msrp import load_splits

    with_own, without = load_splits(), load_splits(own_pairs=False)
    own_in_calib = len(with_own["calib"]) - len(without["calib"])
    assert without["own_test"] == [] and len(with_own["own_test"]) >= 50 and own_in_calib >= 100
    held = {(a, b) for a, b, _ in with_own["own_test"]}
    assert not held & {(a, b) for a, b, _ in with_own["calib"]}
    assert {y for *_, y in with_own["own_test"]} == {0, 1}
