"""Tests for PHP bracket notation in form fields."""

import pytest

from desk.api.php_forms import FormFormatError, parse_php_pairs


def test_plain_fields():
    assert parse_php_pairs([("name", "Branch"), ("key", "BR")]) == {"name": "Branch", "key": "BR"}


def test_empty_input():
    assert parse_php_pairs([]) == {}


def test_repeated_plain_name_last_wins():
    assert parse_php_pairs([("name", "a"), ("name", "b")]) == {"name": "b"}


def test_append_brackets_make_a_list():
    assert parse_php_pairs([("tags[]", "a"), ("tags[]", "b")]) == {"tags": ["a", "b"]}


def test_single_append_is_still_a_list():
    assert parse_php_pairs([("tags[]", "a")]) == {"tags": ["a"]}


def test_indexed_list_of_dicts():
    pairs = [
        ("attachmentsInput[0][filename]", "x.jpg"),
        ("attachmentsInput[0][content]", "aGVsbG8="),
        ("attachmentsInput[1][filename]", "y.png"),
        ("attachmentsInput[1][content]", "d29ybGQ="),
    ]
    assert parse_php_pairs(pairs) == {
        "attachmentsInput": [
            {"filename": "x.jpg", "content": "aGVsbG8="},
            {"filename": "y.png", "content": "d29ybGQ="},
        ]
    }


def test_nested_dicts():
    assert parse_php_pairs([("a[b][c]", "1")]) == {"a": {"b": {"c": "1"}}}


def test_sparse_and_out_of_order_indexes_become_ordered_list():
    assert parse_php_pairs([("a[5]", "five"), ("a[2]", "two"), ("a[9]", "nine")]) == {
        "a": ["two", "five", "nine"]
    }


def test_append_after_explicit_index_continues_after_it():
    assert parse_php_pairs([("a[3]", "x"), ("a[]", "y"), ("a[0]", "z")]) == {"a": ["z", "x", "y"]}


def test_mixed_keys_stay_a_dict():
    assert parse_php_pairs([("a[0]", "x"), ("a[name]", "y"), ("a[]", "z")]) == {
        "a": {"0": "x", "name": "y", "1": "z"}
    }


def test_non_canonical_numbers_are_string_keys():
    assert parse_php_pairs([("a[01]", "x"), ("a[-1]", "y")]) == {"a": {"01": "x", "-1": "y"}}


def test_append_of_nested_arrays():
    assert parse_php_pairs([("a[][x]", "1"), ("a[][x]", "2")]) == {"a": [{"x": "1"}, {"x": "2"}]}


def test_space_index_appends():
    assert parse_php_pairs([("a[ ]", "1"), ("a[ ]", "2")]) == {"a": ["1", "2"]}


def test_same_nested_key_last_wins():
    assert parse_php_pairs([("a[b]", "1"), ("a[b]", "2")]) == {"a": {"b": "2"}}


def test_array_replaces_scalar():
    assert parse_php_pairs([("a", "1"), ("a[]", "2")]) == {"a": ["2"]}
    assert parse_php_pairs([("a[x]", "1"), ("a[x][y]", "2")]) == {"a": {"x": {"y": "2"}}}


def test_scalar_replaces_array():
    assert parse_php_pairs([("a[]", "1"), ("a", "2")]) == {"a": "2"}


def test_values_are_kept_as_they_are():
    upload = object()
    assert parse_php_pairs([("file", upload), ("files[0][file]", upload)]) == {
        "file": upload,
        "files": [{"file": upload}],
    }


def test_unclosed_bracket_keeps_name_literally():
    assert parse_php_pairs([("a[b", "1")]) == {"a[b": "1"}


def test_unclosed_bracket_after_a_complete_one_is_ignored():
    assert parse_php_pairs([("a[b][c", "1")]) == {"a": {"b": "1"}}


def test_text_after_closing_bracket_is_ignored():
    assert parse_php_pairs([("a[b]junk", "1")]) == {"a": {"b": "1"}}


def test_name_without_base_is_dropped():
    assert parse_php_pairs([("[a]", "1"), ("", "2"), ("ok", "3")]) == {"ok": "3"}


def test_leading_spaces_are_stripped():
    assert parse_php_pairs([("  name", "x")]) == {"name": "x"}


def test_top_level_numeric_names_stay_a_dict():
    assert parse_php_pairs([("0", "a"), ("1", "b")]) == {"0": "a", "1": "b"}


def test_non_ascii_names_and_values():
    assert parse_php_pairs([("теги[]", "привет"), ("emoji[x]", "👋")]) == {
        "теги": ["привет"],
        "emoji": {"x": "👋"},
    }


def test_depth_limit():
    ok = "a" + "[x]" * 16
    result = parse_php_pairs([(ok, "v")])["a"]
    for _ in range(16):
        result = result["x"]
    assert result == "v"
    with pytest.raises(FormFormatError, match="nested more than 16"):
        parse_php_pairs([("a" + "[x]" * 17, "v")])


def test_index_limit():
    assert parse_php_pairs([("a[1000]", "v")]) == {"a": ["v"]}
    with pytest.raises(FormFormatError, match="index over 1000"):
        parse_php_pairs([("a[1001]", "v")])
    with pytest.raises(FormFormatError):
        parse_php_pairs([("a[0][99999999999999999999]", "v")])


def test_error_is_a_value_error():
    assert issubclass(FormFormatError, ValueError)
