import json

import pytest
from django.core.management import CommandError, call_command

from factcheck.scoring import text_score


def test_text_is_split_into_sentences_with_exact_offsets_scores_and_types():
    text = "Thank you all for coming.\u00a0Unemployment fell to 3.5 percent in 2019, the lowest in 50 years."
    result = text_score(text=text)
    rows = result["sentences"]
    assert [r["text"] for r in rows] == [
        "Thank you all for coming.",
        "Unemployment fell to 3.5 percent in 2019, the lowest in 50 years.",
    ]
    for row in rows:
        assert text[row["start"] : row["end"]] == row["text"]
    courtesy, statistic = rows
    assert statistic["score"] > courtesy["score"]
    assert statistic["check_worthy"] and not courtesy["check_worthy"]
    assert statistic["claim_type"] == "quantity"
    assert result["model_version"]


def test_threshold_is_the_setting(settings):
    settings.WORKBENCH = {**settings.WORKBENCH, "CHECKWORTHY_THRESHOLD": 0.99}
    rows = text_score(sentences=["Unemployment fell to 3.5 percent in 2019."])["sentences"]
    assert rows[0]["check_worthy"] is (rows[0]["score"] >= 0.99)
    assert text_score(sentences=["x"])["threshold"] == 0.99


def test_command_one_sentence_per_line(tmp_path, capsys):
    path = tmp_path / "lines.txt"
    path.write_text("Thank you very much.\nThe troops crossed the border with 130,000 soldiers on Monday.\n")
    call_command("score_text", str(path), "--lines", "--json")
    rows = json.loads(capsys.readouterr().out)["sentences"]
    assert [r["text"] for r in rows] == [
        "Thank you very much.",
        "The troops crossed the border with 130,000 soldiers on Monday.",
    ]
    assert rows[1]["score"] > rows[0]["score"]


def test_command_refuses_empty_input(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("  \n")
    with pytest.raises(CommandError, match="no text"):
        call_command("score_text", str(path))
