"""Page furniture is never a claim: factcheck/extraction/boilerplate.py (pure functions, no spaCy)."""

from pathlib import Path

import pytest

from factcheck.extraction import boilerplate as bp

SEEDS = Path(__file__).resolve().parents[2] / ".." / "shared" / "seeds"


def _seed_paragraphs(prefix: str) -> list[str]:
    assert SEEDS.is_dir(), f"{SEEDS} is missing: these tests need ../shared/seeds beside the repository"
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8").split("\n")


@pytest.mark.parametrize(
    "line",
    [
        "Comments are closed.",
        "Read More",
        "Read more »",
        "Leave a Reply",
        "Leave a Reply Cancel reply",
        "Share this:",
        "Share on Facebook",
        "Related Articles",
        "Categorized in:",
        "Filed under: World News",
        "Tags: Russia, Ukraine",
        "WP Twitter Auto Publish Powered By : XYZScripts.com",
        "Proudly powered by WordPress",
        "© 2022 Example Media. All rights reserved.",
        "Advertisement",
        "Subscribe to our newsletter",
        "By Jay Shine",
        "Continue reading",
    ],
)
def test_widget_lines_are_furniture(line):
    assert bp.is_furniture(line)
    assert bp.is_boilerplate_sentence(line)


@pytest.mark.parametrize(
    "text",
    [
        "Credit: RT | YouTube",
        "Russian President Vladimir Putin sign an executive order. Credit: RT | YouTube",
        "Josep Borrell reacts during a forum in Paris. © AFP / Christophe ARCHAMBAULT",
        "Photo: Jane Doe/Reuters",
        "The minister arrives in Kyiv (AP Photo/Efrem Lukatsky)",
        "Protesters gather outside the embassy. Getty Images",
        "Image courtesy of the ministry",
    ],
)
def test_photo_captions_and_credits(text):
    assert bp.is_credit(text)
    assert bp.is_boilerplate_sentence(text)
    assert bp.paragraph_kind([text], 0) == "caption"


@pytest.mark.parametrize(
    "text",
    [
        "A longtime expat in Asia with a degree in journalism and creative writing.",
        "In his spare time, Jay enjoys writing poetry and brewing tea.",
        "Jane Doe is a freelance reporter based in Berlin.",
        "She has written for The Guardian and Le Monde. Follow her on Twitter.",
    ],
)
def test_author_bios(text):
    assert bp.is_bio(text)


@pytest.mark.parametrize(
    "text",
    [
        "The car is powered by electricity and can drive 500 kilometres.",
        "A Reuters/Ipsos poll found that 43 percent of voters disagree.",
        "Posted in 2019, the video went viral within hours of its release.",
        "By contrast, exports fell sharply last year, the ministry said.",
        "Share prices fell 3 percent on Monday after the announcement.",
        "Read more about the plan, officials told reporters on Monday.",
        "Comments from the minister were closed to the press on Tuesday.",
        "The photo shows troops crossing the border near Donetsk on Monday.",
        "Russia has amassed over 130,000 troops along the Ukraine border.",
        "He is a former reporter who said the report was accurate.",
    ],
)
def test_news_sentences_are_not_boilerplate(text):
    assert not bp.is_boilerplate_sentence(text)
    assert bp.paragraph_kind([text], 0) == ""
    assert not bp.is_bio(text)


@pytest.mark.parametrize("text", ["What’s the fate of Biden-Putin summit?", "Is this the end?”", "Why now? "])
def test_questions(text):
    assert bp.is_question(text)
    assert bp.is_boilerplate_sentence(text)


@pytest.mark.parametrize("text", ["World News", "No summit", "Jay Shine", "Russia", "to be sure."])
def test_short_fragments(text):
    assert bp.is_too_short(text)
    assert bp.is_boilerplate_sentence(text)


def test_labels_and_titles():
    assert bp.is_label("World News")
    assert bp.is_label("Jay Shine")
    assert not bp.is_label("Putin sends troops.")
    assert not bp.is_label("Russia sends peacekeeping troops to the two breakaway regions")
    assert bp.is_title("Fox News Sunday")
    assert bp.is_title("Miss Piggy")
    assert not bp.is_title("new step")
    assert not bp.is_title("This is Harbourton’s policy.")


def test_trim_furniture_bullets_and_trailing_widgets():
    text = "- The White House issued a swift response.\n"
    start, end = bp.trim_furniture(text, 0, len(text))
    assert text[start:end] == "The White House issued a swift response."
    text = "The Kremlin has insisted it has no plans to wage a war, calling reports “hysteria.” Read More"
    start, end = bp.trim_furniture(text, 0, len(text))
    assert text[start:end].endswith("“hysteria.”")
    text = "The separatists’ response came quickly.” »."
    start, end = bp.trim_furniture(text, 0, len(text))
    assert text[start:end] == "The separatists’ response came quickly.”"
    text = "  \u00a0Only blanks around.\u00a0 "
    start, end = bp.trim_furniture(text, 0, len(text))
    assert text[start:end] == "Only blanks around."


def test_seed_paragraph_kinds_rt_article():
    paragraphs = _seed_paragraphs("003")
    kinds = {p.strip(): bp.paragraph_kind(paragraphs, i) for i, p in enumerate(paragraphs) if p.strip()}
    assert kinds["Read More"] == "furniture"
    assert kinds["Leave a Reply"] == "furniture"
    assert kinds["WP Twitter Auto Publish Powered By : XYZScripts.com"] == "furniture"
    caption = next(p for p in kinds if p.endswith("© AFP / Christophe ARCHAMBAULT"))
    assert kinds[caption] == "caption"
    body = next(p for p in kinds if p.startswith("Moscow will act as a guarantor"))
    assert kinds[body] == ""


def test_seed_paragraph_kinds_caption_label_byline_bio():
    paragraphs = _seed_paragraphs("004")
    kinds = {p.strip(): bp.paragraph_kind(paragraphs, i) for i, p in enumerate(paragraphs) if p.strip()}
    caption = next(p for p in kinds if p.endswith("Credit: RT | YouTube"))
    assert kinds[caption] == "caption"
    assert kinds["World News"] == "label"
    assert kinds["Jay Shine"] == "label"
    bio = next(p for p in kinds if p.startswith("A longtime expat"))
    assert kinds[bio] == "bio"
    assert kinds["Related Articles"] == "furniture"
    assert kinds[next(p for p in kinds if p.startswith("Russian President Vladimir Putin has sent troops"))] == ""


def test_seed_comments_closed_and_category():
    assert "furniture" in {bp.paragraph_kind(p, i) for p in [_seed_paragraphs("000")] for i in range(len(p))}
    paragraphs = _seed_paragraphs("001")
    assert bp.paragraph_kind(paragraphs, paragraphs.index("Categorized in:")) == "furniture"
