"""Score any text, sentence by sentence (as ClaimBuster's API does for integrations): the
check-worthiness score, the claim type and whether the score passes the configured threshold.
Used by the REST API (`POST /api/v1/score/`) and `manage.py score_text`. The NLP modules load on
first use, never at start-up."""


def _claim_type(candidates, start: int, end: int) -> str:
    inside = [c for c in candidates if c.sentence_start >= start and c.sentence_end <= end]
    sentence = next((c for c in inside if c.start == c.sentence_start and c.end == c.sentence_end), None)
    chosen = sentence or (inside[0] if inside else None)
    return chosen.claim_type if chosen else "other"


def text_score(*, text: str | None = None, sentences: list[str] | None = None) -> dict:
    """Either `text` (split into sentences by spaCy, with code-point offsets) or `sentences`
    (taken as they are, one per item)."""
    from factcheck import checkworthiness
    from factcheck.extraction import extract_from_doc, get_nlp

    nlp = get_nlp()
    rows = []
    if text is not None:
        doc = nlp(text)
        candidates = extract_from_doc(doc)
        for sent in doc.sents:
            raw = text[sent.start_char : sent.end_char]
            stripped = raw.strip()
            if not stripped:
                continue
            start = sent.start_char + (len(raw) - len(raw.lstrip()))
            end = start + len(stripped)
            rows.append({"text": stripped, "start": start, "end": end, "claim_type": _claim_type(candidates, start, end)})
    else:
        for sentence, doc in zip(sentences or [], nlp.pipe(sentences or [])):
            rows.append({"text": sentence, "start": None, "end": None,
                         "claim_type": _claim_type(extract_from_doc(doc), 0, len(sentence))})
    scores = checkworthiness.score_sentences([r["text"] for r in rows]) if rows else []
    threshold = checkworthiness.threshold()
    for row, score in zip(rows, scores):
        row["score"] = round(float(score), 6)
        row["check_worthy"] = score >= threshold
    return {"threshold": threshold, "model_version": checkworthiness.model_version(), "sentences": rows}
