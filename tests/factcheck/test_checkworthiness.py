"""Check-worthiness: the shipped classifier (int8 ONNX, no torch), the held-out splits, the
metrics and the training command's report. Reads ClaimBuster and CLEF-2019 from ../shared/data
and fails (never skips) when they are missing. Fine-tuning itself needs torch, which CI does not
install: the command is tested with --tfidf-only and for its clear error without torch. That the
cached frozen layers give the whole model's logits is the training's own self-check
(``checkworthiness_training.check_frozen_cache``, run by every training before its first step).
"""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from factcheck import checkworthiness as cw

REPO = Path(__file__).resolve().parents[2]
SHARED_DATA = REPO.parent / "shared" / "data"
CLAIMBUSTER = SHARED_DATA / "claimbuster" / "crowdsourced.csv"
CLEF = SHARED_DATA / "clef2019_task1" / "training"
SHIPPED = REPO / "factcheck" / "models_data" / "checkworthiness"

# Written for these tests: factual claims a fact-checker would check, and sentences nobody would.
CHECKWORTHY = [
    "The unemployment rate fell to 3.5 percent in 2019, the lowest in 50 years.",
    "Our state spends $12 billion a year on prisons, twice what it spent a decade ago.",
    "Since the law passed, violent crime in the city has risen by 40 percent.",
    "The new tax plan cuts taxes for the top one percent and raises them for 60 percent of families.",
    "Over 2 million people lost their health insurance last year.",
]
NOT_CHECKWORTHY = [
    "Thank you very much, it's great to be here.",
    "Good evening, everyone.",
    "I want to thank my family for their support.",
    "Well, let me say this.",
    "What do you think about that?",
]


@pytest.fixture(scope="module")
def shipped():
    assert (SHIPPED / "model.onnx").is_file(), f"{SHIPPED} is missing: run `manage.py train_checkworthiness`"
    return cw.load_model(SHIPPED)


@pytest.fixture(scope="module")
def claimbuster():
    assert CLAIMBUSTER.is_file(), f"{CLAIMBUSTER} is missing: these tests need ../shared/data beside the repository"
    return cw.load_claimbuster(CLAIMBUSTER)


@pytest.fixture(scope="module")
def splits():
    return cw.load_examples(CLAIMBUSTER, clef_dir=CLEF)


# --- the shipped model ------------------------------------------------------------------------


def test_shipped_model_is_the_default_and_loads_once_per_process(shipped):
    assert Path(settings.WORKBENCH["CHECKWORTHY_MODEL_PATH"]).resolve() == SHIPPED.resolve()
    assert cw.load_model() is shipped and cw.load_model(SHIPPED) is shipped


def test_version_names_the_model_and_its_file_hash(shipped):
    digest = hashlib.sha256((SHIPPED / "model.onnx").read_bytes()).hexdigest()
    manifest = json.loads((SHIPPED / "model.json").read_text())
    assert cw.model_version() == cw.MODEL_VERSION == f"{manifest['name']}-{manifest['version']}+{digest[:12]}"


def test_default_threshold_is_the_one_chosen_for_the_shipped_model(shipped):
    assert settings.WORKBENCH["CHECKWORTHY_THRESHOLD"] == shipped.manifest["threshold"]
    assert 0.05 <= cw.threshold() <= 0.95


def test_checkworthy_sentences_outrank_and_pass_the_threshold(shipped):
    worthy = cw.score_sentences(CHECKWORTHY)
    chatter = cw.score_sentences(NOT_CHECKWORTHY)
    assert min(worthy) > max(chatter)
    assert all(s >= cw.threshold() for s in worthy) and all(s < cw.threshold() for s in chatter)
    # alone or in a batch: the same up to the int8 graph's per-batch activation scale
    assert cw.classify(CHECKWORTHY[0]) == (pytest.approx(worthy[0], abs=0.02), True)
    assert cw.classify(NOT_CHECKWORTHY[0]) == (pytest.approx(chatter[0], abs=0.02), False)


def test_scores_keep_order_and_each_distinct_text_is_scored_once(shipped, monkeypatch):
    seen = []
    logits = type(shipped).logits

    def spy(self, texts, **kwargs):
        seen.append(list(texts))
        return logits(self, texts, **kwargs)

    monkeypatch.setattr(type(shipped), "logits", spy)
    texts = [CHECKWORTHY[0], NOT_CHECKWORTHY[0], CHECKWORTHY[0], CHECKWORTHY[1]]
    scores = cw.score_sentences(texts)
    assert seen == [[CHECKWORTHY[0], NOT_CHECKWORTHY[0], CHECKWORTHY[1]]]
    assert scores[0] == scores[2] and scores == pytest.approx([cw.score_sentences([t])[0] for t in texts], abs=0.02)
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert cw.score_sentences([]) == []


def test_scoring_never_imports_torch():
    code = (
        "import sys; from factcheck import checkworthiness as cw; "
        f"s = cw.score_sentences({CHECKWORTHY[:1]!r}, cw.load_model({str(SHIPPED)!r})); "
        "assert 0 <= s[0] <= 1; assert 'torch' not in sys.modules and 'transformers' not in sys.modules, 'torch loaded'"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True, timeout=120)


def test_extractor_version_records_the_model_hash(shipped):
    from factcheck.services.extraction import extractor_version

    assert extractor_version().endswith("+cw-" + shipped.version_tag)
    assert shipped.sha256[:12] in extractor_version()


def test_on_the_seed_articles_the_threshold_keeps_some_candidates_of_each_and_drops_others(shipped):
    """Acceptance only (nothing is tuned on the seeds): each seed article keeps candidates at or
    above the threshold, and the threshold drops some of the extractor's candidates."""
    from factcheck.extraction import extract_candidates

    seeds = sorted((REPO.parent / "shared" / "seeds").glob("*.txt"))
    assert seeds, "../shared/seeds is missing"
    per_article = extract_candidates([p.read_text(encoding="utf-8").split("\n", 1)[1] for p in seeds])
    kept = [sum(s >= cw.threshold() for s in cw.score_sentences([c.exact for c in cands])) for cands in per_article]
    total = sum(len(cands) for cands in per_article)
    assert all(k > 0 for k in kept) and sum(kept) < total


# --- splits and metrics (no torch) ------------------------------------------------------------


def test_held_out_sets_are_whole_documents_disjoint_and_deterministic(splits):
    assert {e.group for e in splits.dev} == set(cw.DEV_DEBATES)
    assert {e.group for e in splits.tune} == set(cw.TUNE_DEBATES)
    assert {e.group for e in splits.clef_dev} == set(cw.CLEF_DEV_FILES)
    held_groups = set(cw.DEV_DEBATES) | set(cw.TUNE_DEBATES) | set(cw.CLEF_DEV_FILES)
    assert not {e.group for e in splits.train} & held_groups
    held_texts = {cw._norm_text(e.text) for part in (splits.dev, splits.tune, splits.clef_dev) for e in part}
    assert not any(cw._norm_text(e.text) in held_texts for e in splits.train)
    assert {e.source for e in splits.train} == {"claimbuster", "clef2019"}
    assert cw.load_examples(CLAIMBUSTER, clef_dir=CLEF) == splits
    # CLEF files held out for MAP are not events ClaimBuster also has (no leak through it).
    assert len(splits.clef_dev) > 3000 and sum(e.label for e in splits.clef_dev) > 50


def test_mean_average_precision_is_per_document():
    scores = [0.9, 0.1, 0.8, 0.2, 0.7, 0.3]
    labels = [1, 0, 0, 1, 0, 0]
    groups = ["a", "a", "b", "b", "c", "c"]  # a: AP 1; b: positive ranked 2nd, AP 0.5; c: no positive
    assert cw.mean_average_precision(scores, labels, groups) == pytest.approx(0.75)


def test_best_threshold_and_metrics():
    scores = np.array([0.95, 0.8, 0.6, 0.4, 0.3, 0.1])
    labels = [1, 1, 1, 0, 0, 0]
    t = cw.best_threshold(scores, labels)
    assert 0.4 < t <= 0.6
    m = cw.metrics_at(scores, labels, t)
    assert m["f1"] == 1.0 and m["precision"] == 1.0 and m["recall"] == 1.0
    assert cw.metrics_at(scores, labels, 0.7)["recall"] == pytest.approx(2 / 3)


# --- the training command ---------------------------------------------------------------------


def test_command_says_clearly_what_is_missing_without_torch(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "torch" else real(name, *a))
    with pytest.raises(CommandError, match=r"needs torch.*requirements/train\.txt"):
        call_command("train_checkworthiness")


@pytest.mark.django_db
def test_command_report_compares_models_and_shows_decisions(tmp_path, capsys):
    decisions = tmp_path / "decisions.jsonl"
    decisions.write_text(
        "".join(
            json.dumps({"text": f"{t} (note {i})", "label": label}) + "\n"
            for i in range(40)
            for t, label in ((CHECKWORTHY[i % 5], 1), (NOT_CHECKWORTHY[i % 5], 0))
        ),
        encoding="utf-8",
    )
    call_command("train_checkworthiness", "--tfidf-only", "--limit", "1500", "--from-decisions", str(decisions))
    out = capsys.readouterr().out
    assert "Decisions from" in out and "80 (40 accepted)" in out
    assert "decisions F1" in out and "CLEF MAP" in out
    rows = [line for line in out.splitlines() if line.startswith(("current:", "baseline:", "TF-IDF model"))]
    assert len(rows) == 3 and rows[0].startswith("current: " + cw.model_version())
    for row in rows:
        f1, clef_map, decisions_f1 = (float(x) for x in (row.split()[-6], row.split()[-2], row.split()[-1]))
        assert 0 < f1 <= 1 and 0 < clef_map <= 1 and 0 <= decisions_f1 <= 1
    assert (SHIPPED / "model.onnx").is_file()  # --tfidf-only never touches the shipped model


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


def test_decisions_are_training_data_or_held_out_never_both(claimbuster):
    dev_sentence = next(e for e in claimbuster if e.group == cw.DEV_DEBATES[0])
    decisions = [
        cw.Example(f"Editorial claim number {i}: spending rose {i} percent.", i % 2, "decisions", "decisions", 2.0)
        for i in range(200)
    ]
    leaking = cw.Example(dev_sentence.text, 1, "decisions", "decisions", 2.0)
    splits = cw.split_all(claimbuster + decisions + [leaking])
    held, trained = set(splits.decisions_dev), {e for e in splits.train if e.source == "decisions"}
    assert not held & trained and held | trained == set(decisions) | ({leaking} & held)
    assert 20 < len(held) < 60  # a fifth, by a hash of the text
    assert leaking not in trained  # a dev sentence never becomes training data
    again = cw.split_all(claimbuster + decisions[:100] + [leaking])  # more decisions later: same ones held out
    assert set(again.decisions_dev) == {e for e in held if e in decisions[:100]} | ({leaking} & held)
