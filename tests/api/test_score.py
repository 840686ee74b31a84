"""POST /api/v1/score/: sentences of any text with their check-worthiness score and claim type."""


def test_score_text_sentence_by_sentence(api, integration, settings):
    settings.WORKBENCH = {**settings.WORKBENCH, "CHECKWORTHY_THRESHOLD": 0.5}
    text = "Unemployment fell to 3.5% in 2019, the lowest rate in 50 years.  I love sunny Mondays!"
    response = api(integration).post("/api/v1/score/", {"text": text}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    rows = data["sentences"]
    assert [r["text"] for r in rows] == ["Unemployment fell to 3.5% in 2019, the lowest rate in 50 years.",
                                         "I love sunny Mondays!"]
    assert all(text[r["start"]:r["end"]] == r["text"] for r in rows)
    assert rows[0]["claim_type"] == "quantity"
    assert rows[0]["score"] > rows[1]["score"]
    assert all(r["check_worthy"] == (r["score"] >= 0.5) for r in rows)
    assert data["threshold"] == 0.5 and data["model_version"]


def test_score_given_sentences(api, reviewer):
    sentences = ["The law requires companies to disclose emissions by 2025.", "Thanks for reading."]
    rows = api(reviewer).post("/api/v1/score/", {"sentences": sentences}, format="json").json()["sentences"]
    assert [r["text"] for r in rows] == sentences and rows[0]["start"] is None
    assert rows[0]["score"] > rows[1]["score"]


def test_score_needs_text_or_sentences(api, reviewer):
    client = api(reviewer)
    assert client.post("/api/v1/score/", {}, format="json").status_code == 400
    assert client.post("/api/v1/score/", {"text": "a", "sentences": ["b"]}, format="json").status_code == 400
