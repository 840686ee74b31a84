import pytest

from core.jsonl import JsonlError, jsonl_records, read_jsonl


def test_objects_come_with_their_line_numbers_and_blank_lines_are_skipped():
    assert list(read_jsonl(['{"a": 1}', "", "  ", '{"b": 2}'])) == [(1, {"a": 1}), (4, {"b": 2})]


def test_bad_lines_are_named_and_reported_in_order():
    records = list(jsonl_records(['{"a": 1}', "{oops", "[1, 2]", "[" * 100_000], source="f.jsonl"))
    assert records[0] == (1, {"a": 1})
    problems = [(n, r.line, r.problem.split(":")[0]) for n, r in records[1:]]
    assert [p[:2] for p in problems] == [(2, 2), (3, 3), (4, 4)]
    assert records[2][1].problem == "expected a JSON object, got list"
    assert str(records[1][1]).startswith("f.jsonl: line 2: invalid JSON: ")
    assert "nested too deeply" in records[3][1].problem or "invalid JSON" in records[3][1].problem


def test_read_jsonl_stops_at_the_first_bad_line():
    with pytest.raises(JsonlError, match=r"^line 2: invalid JSON") as excinfo:
        list(read_jsonl(['{"a": 1}', "nope"]))
    assert excinfo.value.line == 2
