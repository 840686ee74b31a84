"""Check-worthiness model: scoring, the shipped artefact, training on real data, data loaders.

Runs with or without pytest-django (``-p no:django``); needs no database. Tests that train read
ClaimBuster from ../shared/data and fail (never skip) when it is missing.
"""

import json
from pathlib import Path

import pytest

from factcheck import checkworthiness as cw

REPO = Path(__file__).resolve().parents[2]
SHARED_DATA = REPO.parent / "shared" / "data"
CLAIMBUSTER = SHARED_DATA / "claimbuster" / "crowdsourced.csv"
SHIPPED = REPO / "factcheck" / "models_data" / "checkworthiness.joblib"

CHECKWORTHY = "The unemployment rate fell to 3.5 percent in 2019, the lowest in 50 years."
NON_FACTUAL = "Thank you very much, it's great to be here."


@pytest.fixture(scope="module")
def shipped():
    assert SHIPPED.is_file(), f"{SHIPPED} is missing: run `manage.py train_checkworthiness`"
    return cw.load_model(SHIPPED)


@pytest.fixture(scope="module")
def claimbuster():
    assert CLAIMBUSTER.is_file(), f"{CLAIMBUSTER} is missing: these tests need ../shared/data beside the repository"
    return cw.load_claimbuster(CLAIMBUSTER)


# --- the shipped model ------------------------------------------------------------------------


def test_shipped_model_loads_and_reports_version(shipped):
    assert shipped.version.startswith(cw.ALGORITHM + ".")
    md = shipped.metadata
    for key in ("version", "trained_at", "training_data", "dev_split", "dev_metrics"):
        assert key in md
    assert md["dev_metrics"]["ours"]["f1"] > md["dev_metrics"]["baseline"]["f1"]
    assert SHIPPED.stat().st_size < 20 * 1024 * 1024
    assert cw.load_model(SHIPPED) is shipped  # cached once per process


def test_model_version_attribute_reads_the_default_artefact():
    assert cw.MODEL_VERSION == cw.load_model().version
    assert isinstance(cw.MODEL_VERSION, str) and cw.MODEL_VERSION


def test_scores_are_probabilities(shipped):
    texts = [CHECKWORTHY, NON_FACTUAL, "", "?", "1", "Taxes!" * 200, "Ça coûte 3 € — naïve façade."]
    scores = cw.score_sentences(texts, model=shipped)
    assert len(scores) == len(texts)
    assert all(isinstance(s, float) and 0.0 <= s <= 1.0 for s in scores)
    assert cw.score_sentences([], model=shipped) == []


def test_checkworthy_sentence_outscores_non_factual(shipped):
    worthy, chit_chat = cw.score_sentences([CHECKWORTHY, NON_FACTUAL], model=shipped)
    assert worthy > chit_chat
    assert worthy >= 0.5 > chit_chat


def test_classify_uses_threshold(shipped):
    score, passes = cw.classify(CHECKWORTHY, model=shipped)
    assert passes is True and score == cw.score_sentences([CHECKWORTHY], model=shipped)[0]
    score, passes = cw.classify(NON_FACTUAL, model=shipped)
    assert passes is False and 0.0 <= score < 0.5


def test_word_cached_char_ngrams_score_exactly_like_the_pipeline(monkeypatch):
    """LoadedModel counts character n-grams word by word through a cache; the probabilities must
    be those of the fitted sklearn pipeline, also when the cache is cleared midway."""
    model = cw.load_model(SHIPPED)
    fresh = cw.LoadedModel(model.pipeline, model.metadata)
    monkeypatch.setattr(cw._CharNgramCounts, "MAX_WORDS", 50)
    seeds = sorted((REPO.parent / "shared" / "seeds").glob("*.txt"))
    assert seeds, "needs ../shared/seeds"
    lines = [line for path in seeds for line in path.read_text().splitlines()]
    texts = lines + ["", "   ", "Ça coûte 3,5 milliards d’euros — “énorme”.", "word  word\tword\nword", CHECKWORTHY]
    expected = model.pipeline.predict_proba(texts)
    assert fresh._fast_plan() is not None
    assert (fresh.predict_proba(texts) == expected).all()
    assert (fresh.predict_proba(texts[::-1]) == expected[::-1]).all()  # warm cache, other order


# --- training on real data --------------------------------------------------------------------


def test_dev_split_is_grouped_and_deterministic(claimbuster):
    train, dev = cw.split_dev(claimbuster)
    assert {e.group for e in dev} == set(cw.DEV_DEBATES)
    assert not {e.group for e in train} & set(cw.DEV_DEBATES)
    dev_texts = {cw._norm_text(e.text) for e in dev}
    assert not any(cw._norm_text(e.text) in dev_texts for e in train)
    assert len(dev) == 3872 and sum(e.label for e in dev) == 946
    assert cw.split_dev(claimbuster) == (train, dev)


def test_training_on_a_claimbuster_sample_gives_a_working_model(claimbuster, tmp_path):
    sample = claimbuster[::8]  # ≈ 2,800 sentences from all 33 debates
    train, dev = cw.split_dev(sample)
    result = cw.run_training(train, dev, tune=False)
    assert 0.55 < result.ours["f1"] <= 1.0
    assert result.ours["f1"] > result.base["f1"]
    assert "F1 ratio ours/baseline" in cw.format_report(result)

    scores = cw.score_sentences([CHECKWORTHY, NON_FACTUAL], model=result.model)
    assert scores[0] > scores[1]

    path = tmp_path / "cw.joblib"
    size = cw.save_model(result.model, result.metadata, path)
    assert 0 < size < 20 * 1024 * 1024
    loaded = cw.load_model(path)
    assert loaded.version == result.metadata["version"]
    assert cw.score_sentences([CHECKWORTHY], model=loaded) == cw.score_sentences([CHECKWORTHY], model=result.model)

    again = cw.train([e.text for e in train], [e.label for e in train])  # reproducible
    dev_texts = [e.text for e in dev]
    assert cw.score_sentences(dev_texts, model=again) == cw.score_sentences(dev_texts, model=result.model)


def test_train_api_with_weights_and_tuning():
    texts = [f"The deficit grew by {i} percent in {1980 + i}." for i in range(30)] + [
        f"I want to thank my friend number {i} for coming tonight." for i in range(30)
    ]
    labels = [1] * 30 + [0] * 30
    groups = [f"g{i % 6}" for i in range(60)]
    model, info = cw.train_with_tuning(texts, labels, groups=groups, tune=True, sample_weight=[2.0] * 60)
    assert info["tuned"] and info["C"] in cw.C_GRID and 0.3 <= info["threshold"] <= 0.7
    a, b = cw.score_sentences(["Taxes rose 12 percent in 1999.", "Thank you all for coming."], model=model)
    assert a > 0.5 > b
    with pytest.raises(ValueError):
        cw.train(["a", "b"], [1, 1])


# --- loaders ----------------------------------------------------------------------------------


def test_load_clef2019():
    examples = cw.load_clef2019(SHARED_DATA / "clef2019_task1" / "training")
    assert len(examples) > 16000 and 400 < sum(e.label for e in examples) < 500


def test_decisions_jsonl_loads_good_lines(tmp_path):
    path = tmp_path / "decisions.jsonl"
    path.write_text(
        json.dumps({"text": "Crime fell 10% last year.", "label": 1, "id": 7})
        + "\n\n"
        + json.dumps({"text": " Hello there. ", "label": 0})
        + "\n",
        encoding="utf-8",
    )
    examples = cw.load_decisions_jsonl(path, weight=2.0)
    assert [(e.text, e.label, e.weight) for e in examples] == [
        ("Crime fell 10% last year.", 1, 2.0),
        ("Hello there.", 0, 2.0),
    ]


@pytest.mark.parametrize(
    "bad_line",
    [
        "{not json",
        '["text", 1]',
        '{"label": 1}',
        '{"text": "   ", "label": 1}',
        '{"text": 42, "label": 1}',
        '{"text": "Taxes rose.", "label": 2}',
        '{"text": "Taxes rose.", "label": "1"}',
        '{"text": "Taxes rose.", "label": true}',
        '{"text": "Taxes rose."}',
    ],
)
def test_decisions_jsonl_rejects_malformed_lines_naming_the_line(tmp_path, bad_line):
    path = tmp_path / "decisions.jsonl"
    good = json.dumps({"text": "Crime fell 10% last year.", "label": 1})
    path.write_text(f"{good}\n\n{good}\n{bad_line}\n{good}\n", encoding="utf-8")
    with pytest.raises(cw.DecisionsFormatError, match=r"line 4\b") as excinfo:
        cw.load_decisions_jsonl(path)
    assert excinfo.value.line == 4
    assert isinstance(excinfo.value, ValueError)


def test_decisions_are_training_data_only(claimbuster):
    dev_sentence = next(e for e in claimbuster if e.group == cw.DEV_DEBATES[0])
    extra = [
        cw.Example("A brand new editorial claim about 7 percent.", 1, "decisions", "decisions", 2.0),
        cw.Example(dev_sentence.text, 1, "decisions", "decisions", 2.0),  # would leak: dropped
    ]
    train, dev = cw.split_dev(claimbuster + extra)
    assert extra[0] in train and extra[1] not in train
    assert all(e.source == "claimbuster" for e in dev)
