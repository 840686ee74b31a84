"""Ranking past fact-checks for a text ("has this been checked before?").

Pure and in memory (numpy/scipy/scikit-learn, no torch): the index of ~15,000 fact-checks builds
in a few seconds and answers a query in milliseconds.

- `BM25`: Okapi BM25 over word tokens — the baseline, and one of the ranker's features.
- `FactCheckRanker`: BM25 on the claim and on the title, word (1–2-gram) and character (3–5-gram)
  TF-IDF cosines, the sentence-embedding cosines of the claim and the title (all-MiniLM-L6-v2,
  matching/semantic.py; the vectors are given, this module runs no model), and overlaps of
  numbers and capitalised names, fused by a logistic regression
  trained on (query, fact-check) pairs — the top candidates of each training query, positives from
  the qrels. Trained weights are a small dict (`weights`), stored beside the code.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from core.dates import calendar_day

from .stemming import stems

WEIGHTS_PATH = Path(__file__).resolve().parent / "data" / "ranker_weights.json"
STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being this that these those
    it its he she they we you i his her their our your my me him them us not no so do does did has have had will would
    can could should may might must just than then there here what which who whom when where why how all any both
    each few more most other some such only own same too very s t don now rt via amp""".split()
)
_URL_RE = re.compile(r"https?://\S+|www\.\S+|pic\.twitter\.com/\S+|\S+\.com/\S+")
_HANDLE_RE = re.compile(r"@\w+")
_TRAILER_RE = re.compile(r"—\s*[^—]*\(@\w+\)\s*\w+ \d{1,2}, \d{4}\s*$")
_TOKEN_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NUMBER_RE = re.compile(r"\d[\d,.]*")
_NAME_RE = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*\b")


def _split_handle(match: re.Match) -> str:
    return " " + _CAMEL_RE.sub(" ", match.group(0)[1:]).replace("_", " ") + " "


def clean_query(text: str) -> str:
    """Tweets and pasted text: drop URLs, split hashtags and handles into words, keep the author's name."""
    trailer = _TRAILER_RE.search(text)
    author = ""
    if trailer:
        author = trailer.group(0).split("(@")[0].strip("— ").strip()
        text = text[: trailer.start()]
    text = _URL_RE.sub(" ", text)
    text = re.sub(r"#(\w+)", lambda m: _CAMEL_RE.sub(" ", m.group(1)), text)
    text = _HANDLE_RE.sub(_split_handle, text)
    return f"{text} {author}".strip()


def query_date(text: str) -> date | None:
    """The date of a tweet as the dataset prints it ("— Name (@handle) January 6, 2020")."""
    match = _TRAILER_RE.search(text)
    if not match:
        return None
    return calendar_day(match.group(0).rsplit(")", 1)[-1].strip())


def tokenize(text: str) -> list[str]:
    return stems([t.replace("'", "") for t in _TOKEN_RE.findall(text.lower().replace("’", "'")) if t not in STOPWORDS])


class BM25:
    """Okapi BM25 with a sparse term-document matrix."""

    def __init__(self, docs: list[str], k1: float = 1.2, b: float = 0.75):
        self.k1, self.b = k1, b
        self.vocab: dict[str, int] = {}
        rows, cols, vals = [], [], []
        lengths = np.zeros(len(docs))
        for d, text in enumerate(docs):
            tokens = tokenize(text)
            lengths[d] = len(tokens)
            counts: dict[int, int] = {}
            for tok in tokens:
                idx = self.vocab.setdefault(tok, len(self.vocab))
                counts[idx] = counts.get(idx, 0) + 1
            for idx, c in counts.items():
                rows.append(d)
                cols.append(idx)
                vals.append(c)
        tf = sparse.csr_matrix((vals, (rows, cols)), shape=(len(docs), len(self.vocab)), dtype=np.float64)
        df = np.bincount(cols, minlength=len(self.vocab))
        n = len(docs)
        self.idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
        avg = lengths.mean() if n else 0.0
        norm = k1 * (1 - b + b * lengths / (avg or 1))
        tf = tf.tocoo()
        weights = tf.data * (k1 + 1) / (tf.data + norm[tf.row])
        self.matrix = sparse.csc_matrix((weights, (tf.row, tf.col)), shape=tf.shape)

    def scores(self, query: str) -> np.ndarray:
        ids = [self.vocab[t] for t in set(tokenize(query)) if t in self.vocab]
        if not ids:
            return np.zeros(self.matrix.shape[0])
        sub = self.matrix[:, ids]
        return np.asarray(sub @ self.idf[ids]).ravel()


def _numbers(text: str) -> set[str]:
    return {m.group(0).rstrip(".,").replace(",", "") for m in _NUMBER_RE.finditer(text)}


def _names(text: str) -> set[str]:
    return {m.group(0).lower() for m in _NAME_RE.finditer(text) if len(m.group(0)) > 2}


FEATURES = (
    "bm25_claim",
    "bm25_title",
    "bm25_all",
    "word_cos",
    "char_cos",
    "title_char_cos",
    "numbers",
    "names",
    "rank_bm25",
    "rank_char",
    "fuzz_set_claim",
    "fuzz_partial_claim",
    "fuzz_set_title",
    "coverage",
    "has_date",
    "date_near",
    "date_far",
    "emb_claim",
    "emb_title",
    "rank_emb",
)


@dataclass
class Hit:
    index: int
    score: float
    features: dict = field(default_factory=dict)


class FactCheckRanker:
    """Index a list of fact-checks ({"claim", "title", ...}) and rank them for any text."""

    def __init__(
        self,
        items: list[dict],
        weights: dict | None = None,
        candidates: int = 50,
        vectors: np.ndarray | None = None,
        title_vectors: np.ndarray | None = None,
    ):
        """`vectors` / `title_vectors`: normalized embeddings of each item's claim and title (rows
        of zeros where unknown); without them the embedding features are 0."""
        self.items = items
        self.vectors = vectors
        self.title_vectors = title_vectors
        self.candidates = candidates
        claims = [it.get("claim", "") or "" for it in items]
        titles = [it.get("title", "") or "" for it in items]
        both = [f"{t} {c}" for t, c in zip(titles, claims)]
        self.bm25_claim = BM25(claims)
        self.bm25_title = BM25(titles)
        self.bm25_all = BM25(both)
        self.word = TfidfVectorizer(
            tokenizer=tokenize, token_pattern=None, lowercase=False, ngram_range=(1, 2), sublinear_tf=True, min_df=1
        )
        self.word_matrix = self.word.fit_transform(both)
        self.char = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(3, 5),
            sublinear_tf=True,
            min_df=2 if len(items) >= 1000 else 1,
            lowercase=True,
        )
        self.char_matrix = self.char.fit_transform(claims)
        self.title_char_matrix = self.char.transform(titles)
        self.folded_claims = [" ".join(tokenize(c)) for c in claims]
        self.folded_titles = [" ".join(tokenize(t)) for t in titles]
        self.tokens = [set(f.split()) for f in self.folded_claims]
        self.numbers = [_numbers(t) for t in both]
        self.dates = [
            it.get("date") if isinstance(it.get("date"), date) else calendar_day(it.get("date") or "") for it in items
        ]
        self.names = [_names(t) for t in both]
        self.weights = weights if weights is not None else load_weights()

    # -- features --------------------------------------------------------------------------

    def candidate_features(
        self, text: str, when: date | None = None, query_vector: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(candidate indices, feature matrix) for one query. `when` is the date of the text (e.g. the
        article's publication date) when the caller chooses to use it — never guessed from the
        text; `query_vector` the text's embedding (matching/semantic.embed of `clean_query(text)`)."""
        query = clean_query(text)
        s_all = self.bm25_all.scores(query)
        q_char = self.char.transform([query])
        char_cos = np.asarray((self.char_matrix @ q_char.T).todense()).ravel()
        top_bm25 = np.argsort(-s_all)[: self.candidates]
        top_char = np.argsort(-char_cos)[: self.candidates]
        vectors = self.vectors if query_vector is not None else None  # embeddings only with a query vector
        use_emb = vectors is not None
        emb_cos = vectors @ query_vector if vectors is not None else np.zeros(len(s_all))
        top_emb = np.argsort(-emb_cos)[: self.candidates] if use_emb else np.zeros(0, dtype=int)
        cand = np.unique(np.concatenate([top_bm25, top_char, top_emb]))
        rank_emb = np.empty(len(emb_cos))
        rank_emb[np.argsort(-emb_cos)] = np.arange(len(emb_cos))
        emb_title = (
            self.title_vectors[cand] @ query_vector
            if use_emb and self.title_vectors is not None
            else np.zeros(len(cand))
        )
        rank_bm25 = np.empty(len(s_all))
        rank_bm25[np.argsort(-s_all)] = np.arange(len(s_all))
        rank_char = np.empty(len(char_cos))
        rank_char[np.argsort(-char_cos)] = np.arange(len(char_cos))
        s_claim = self.bm25_claim.scores(query)[cand]
        s_title = self.bm25_title.scores(query)[cand]
        q_word = self.word.transform([query])
        word_cos = np.asarray((self.word_matrix[cand] @ q_word.T).todense()).ravel()
        title_cos = np.asarray((self.title_char_matrix[cand] @ q_char.T).todense()).ravel()
        q_numbers, q_names = _numbers(query), _names(query)
        numbers = np.array([len(q_numbers & self.numbers[i]) / (len(self.numbers[i]) or 1) for i in cand])
        names = np.array([len(q_names & self.names[i]) / (len(self.names[i]) or 1) for i in cand])
        top = max(s_all.max(), 1e-9)
        q_folded = " ".join(tokenize(query))
        q_tokens = set(q_folded.split())
        fz_set_c, fz_part_c, fz_set_t, coverage = [], [], [], []
        for i in cand:
            claim_tokens = self.tokens[i]
            fz_set_c.append(fuzz.token_set_ratio(q_folded, self.folded_claims[i]) / 100)
            fz_part_c.append(fuzz.partial_ratio(self.folded_claims[i], q_folded) / 100)
            fz_set_t.append(fuzz.token_set_ratio(q_folded, self.folded_titles[i]) / 100)
            coverage.append(len(claim_tokens & q_tokens) / (len(claim_tokens) or 1))
        has_date = np.zeros(len(cand))
        near = np.zeros(len(cand))
        far = np.zeros(len(cand))
        if when is not None:
            for k, i in enumerate(cand):
                checked = self.dates[i]
                if checked is not None:
                    days = (when - checked).days
                    has_date[k] = 1.0
                    near[k] = np.exp(-abs(days) / 60)
                    far[k] = min(abs(days), 3650) / 3650
        feats = np.column_stack(
            [
                s_claim / top,
                s_title / top,
                s_all[cand] / top,
                word_cos,
                char_cos[cand],
                title_cos,
                numbers,
                names,
                np.where(s_all[cand] > 0, 1 / (1 + rank_bm25[cand]), 0.0),
                np.where(char_cos[cand] > 0, 1 / (1 + rank_char[cand]), 0.0),
                fz_set_c,
                fz_part_c,
                fz_set_t,
                coverage,
                has_date,
                near,
                far,
                emb_cos[cand],
                emb_title,
                np.where(emb_cos[cand] > 0, 1 / (1 + rank_emb[cand]), 0.0),
            ]
        )
        return cand, feats

    def rank(
        self, text: str, limit: int = 5, when: date | None = None, query_vector: np.ndarray | None = None
    ) -> list[Hit]:
        if not self.items or not text.strip():
            return []
        cand, feats = self.candidate_features(text, when, query_vector)
        coef = np.array([self.weights["coef"][name] for name in FEATURES])
        logits = feats @ coef + self.weights["intercept"]
        probs = 1 / (1 + np.exp(-logits))
        order = np.argsort(-probs)[:limit]
        return [Hit(int(cand[i]), float(probs[i]), dict(zip(FEATURES, map(float, feats[i])))) for i in order]

    def rank_bm25(self, text: str, limit: int = 5) -> list[Hit]:
        scores = self.bm25_all.scores(clean_query(text))
        order = np.argsort(-scores)[:limit]
        return [Hit(int(i), float(scores[i])) for i in order]


def load_weights() -> dict:
    if WEIGHTS_PATH.exists():
        return json.loads(WEIGHTS_PATH.read_text())
    # Untrained fallback: an even blend of the lexical and character features.
    return {"coef": {name: 1.0 for name in FEATURES}, "intercept": -3.0}


def train_weights(
    ranker: FactCheckRanker, queries: list[tuple[str, set[int], date | None, np.ndarray | None]], C: float = 1.0
) -> dict:
    """Fit the fusion on training queries: (text, indices of the fact-checks that match it, its date
    or None, its embedding or None). Each dated query is used twice, with and without its date, so
    that the ranker also works on undated text."""
    from sklearn.linear_model import LogisticRegression

    X, y = [], []
    for text, positives, when, vector in queries:
        for use in (when, None) if when is not None else (None,):
            cand, feats = ranker.candidate_features(text, use, vector)
            X.append(feats)
            y.append(np.isin(cand, list(positives)).astype(int))
    model = LogisticRegression(C=C, max_iter=5000, class_weight="balanced")
    model.fit(np.vstack(X), np.concatenate(y))
    return {"coef": dict(zip(FEATURES, map(float, model.coef_[0]))), "intercept": float(model.intercept_[0])}


def average_precision_at_k(ranked: list[int], relevant: set[int], k: int = 5) -> float:
    hits, total = 0, 0.0
    for i, idx in enumerate(ranked[:k]):
        if idx in relevant:
            hits += 1
            total += hits / (i + 1)
    return total / min(len(relevant), k) if relevant else 0.0
