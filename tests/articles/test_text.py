import pytest

from articles.text import content_hash, html_to_text, normalize_line, normalize_text, normalize_url


def test_normalize_text_folds_unicode_spaces_but_keeps_curly_quotes():
    raw = "“Quoted”\u00a0text\u202fhere\u200b and ‘single’ – dash\r\n\r\n\r\n\r\nNext paragraph  \n"
    assert normalize_text(raw) == "“Quoted” text here and ‘single’ – dash\n\nNext paragraph"


def test_normalize_text_is_nfc():
    decomposed = "Cafe\u0301"
    assert normalize_text(decomposed) == "Caf\u00e9"
    assert len(normalize_text(decomposed)) == 4


def test_normalize_text_is_idempotent():
    raw = " A\u00a0b \n\n\n c\t d "
    once = normalize_text(raw)
    assert normalize_text(once) == once


def test_normalize_line_joins_lines():
    assert normalize_line(" Two\nlines\u00a0here ") == "Two lines here"


def test_content_hash_ignores_case_and_whitespace_only():
    assert content_hash("Putin signed  the\norder.") == content_hash("putin signed the order.")
    assert content_hash("Putin signed the order.") != content_hash("Putin signed the orders.")


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://www.Example.com/a/b/?utm_source=x&b=2&a=1#frag", "example.com/a/b?a=1&b=2"),
        ("http://example.com/a/b", "example.com/a/b"),
        ("example.com/a/b/", "example.com/a/b"),
        ("https://example.com:8443/x", "example.com:8443/x"),
        ("", None),
        (None, None),
    ],
)
def test_normalize_url(url, expected):
    assert normalize_url(url) == expected


def test_html_to_text_strips_tags_and_scripts_and_decodes_entities():
    html = "<p>First &amp; foremost</p><script>alert('x')</script><p>Second<br>line</p>"
    assert html_to_text(html) == "First & foremost\n\nSecond\n\nline"
