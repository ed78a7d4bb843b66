"""Tests for the XML renderer and the defused XML parser."""

import pytest

from desk.api.xml_codec import XMLFormatError, parse_xml, render_xml

DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def body(xml):
    """The rendered document after the declaration, as text."""
    assert xml.startswith(DECLARATION)
    return xml[len(DECLARATION) :].decode("utf-8")


def test_declaration_and_root_exactly():
    assert render_xml({"id": 1}) == DECLARATION + b"<result><id>1</id></result>"


def test_list_of_branch_like_dicts():
    branches = [
        {"created_at": "2015-07-17T11:25:21+0000", "id": 1, "key": "BRANCHA", "name": "Branch A"},
        {"id": 2, "key": "BRANCHB", "name": "Branch B"},
    ]
    assert body(render_xml(branches)) == (
        "<result>"
        "<entry><created_at><![CDATA[2015-07-17T11:25:21+0000]]></created_at><id>1</id>"
        "<key><![CDATA[BRANCHA]]></key><name><![CDATA[Branch A]]></name></entry>"
        "<entry><id>2</id><key><![CDATA[BRANCHB]]></key><name><![CDATA[Branch B]]></name></entry>"
        "</result>"
    )


def test_dict_keeps_caller_order():
    assert body(render_xml({"name": "x", "id": 3})) == "<result><name><![CDATA[x]]></name><id>3</id></result>"


def test_nested_dict():
    assert body(render_xml({"unique_id": {"id": "abc"}})) == (
        "<result><unique_id><id><![CDATA[abc]]></id></unique_id></result>"
    )


def test_tags_list_inside_object():
    assert body(render_xml({"tags": ["a", "b"]})) == (
        "<result><tags><entry><![CDATA[a]]></entry><entry><![CDATA[b]]></entry></tags></result>"
    )


def test_empty_list_and_dict_are_empty_elements():
    assert body(render_xml({"tags": [], "meta": {}})) == "<result><tags/><meta/></result>"
    assert body(render_xml([])) == "<result/>"
    assert body(render_xml({})) == "<result/>"


def test_booleans_and_numbers():
    assert body(render_xml({"a": True, "b": False, "c": 0, "d": 1.5})) == (
        "<result><a>true</a><b>false</b><c>0</c><d>1.5</d></result>"
    )


def test_none_is_omitted():
    assert body(render_xml({"a": None, "b": "x"})) == "<result><b><![CDATA[x]]></b></result>"
    assert (
        body(render_xml({"tags": ["a", None]}))
        == "<result><tags><entry><![CDATA[a]]></entry></tags></result>"
    )
    assert body(render_xml({"a": None})) == "<result/>"
    assert body(render_xml(None)) == "<result/>"


def test_cdata_terminator_is_split_and_round_trips():
    text = "before ]]> after ]]]]>"
    xml = render_xml({"description": text})
    assert b"]]]]><![CDATA[>" in xml
    assert parse_xml(xml) == {"description": text}


def test_markup_in_strings_round_trips():
    text = "<b>bold</b> & \"quotes\" 'apos'"
    assert parse_xml(render_xml({"subject": text})) == {"subject": text}


def test_illegal_characters_are_stripped():
    text = "a\x00b\x01c\x08d\x0be\x0cf\x1fg\ufffeh\uffffi\ud800j\tk\nl\rm"
    xml = render_xml({"description": text})
    assert parse_xml(xml) == {"description": "abcdefghij\tk\nl\rm".replace("\r", "\n")}


def test_surrogate_alone_does_not_break_encoding():
    assert parse_xml(render_xml({"s": "\udfff"})) == {"s": ""}


def test_non_ascii_round_trip():
    data = {"name": "Отдел поддержки", "description": "Привет 👋 мир ✓", "tags": ["тег", "🏷️"]}
    xml = render_xml(data)
    assert "Отдел поддержки".encode() in xml
    assert parse_xml(xml) == data


def test_invalid_key_names_are_replaced():
    xml = render_xml({"a b": 1, "1st": 2, "ns:x": 3, "": 4, "ключ": 5, "ok-key.x_y": 6})
    assert body(xml) == (
        "<result><a_b>1</a_b><_1st>2</_1st><ns_x>3</ns_x><_>4</_><____>5</____><ok-key.x_y>6</ok-key.x_y></result>"
    )
    parse_xml(xml)


def test_illegal_characters_in_keys_are_replaced():
    assert body(render_xml({"a\x00<b>": 1})) == "<result><a__b_>1</a__b_></result>"


def test_parse_round_trip_of_a_ticket():
    ticket = {
        "assignee": 2,
        "branch": 1,
        "description": "Line one\nLine two",
        "id": 7,
        "key": "BRANCHA-7",
        "unique_id": {"id": "abc"},
        "tags": ["a", "b"],
        "watchers": [{"id": 1}, {"id": 2}],
    }
    assert parse_xml(render_xml(ticket)) == {
        "assignee": "2",
        "branch": "1",
        "description": "Line one\nLine two",
        "id": "7",
        "key": "BRANCHA-7",
        "unique_id": {"id": "abc"},
        "tags": ["a", "b"],
        "watchers": [{"id": "1"}, {"id": "2"}],
    }


def test_parse_round_trip_of_a_list():
    assert parse_xml(render_xml([{"id": 1}, {"id": 2, "tags": ["x"]}])) == [
        {"id": "1"},
        {"id": "2", "tags": ["x"]},
    ]


def test_parse_request_root_and_plain_text():
    assert parse_xml(b"<request><name>Plain</name><flag>true</flag></request>") == {
        "name": "Plain",
        "flag": "true",
    }


def test_parse_whitespace_and_empty_leaves():
    xml = b"<result>\n  <a>   </a>\n  <b/>\n  <c></c>\n  <d><![CDATA[  padded  ]]></d>\n</result>"
    assert parse_xml(xml) == {"a": "", "b": "", "c": "", "d": "  padded  "}


def test_parse_empty_root_is_empty_dict():
    assert parse_xml(b"<result/>") == {}
    assert parse_xml(b'<?xml version="1.0"?>\n<result>\n</result>') == {}


def test_parse_item_and_list_item_are_entries():
    assert parse_xml(b"<result><tags><item>a</item><list-item>b</list-item></tags></result>") == {
        "tags": ["a", "b"]
    }


def test_parse_repeated_children_become_list():
    assert parse_xml(b"<result><tag>a</tag><tag>b</tag><tag>c</tag><x>1</x></result>") == {
        "tag": ["a", "b", "c"],
        "x": "1",
    }


def test_parse_keeps_values_as_strings():
    assert parse_xml(b"<result><id>5</id><ok>false</ok></result>") == {"id": "5", "ok": "false"}


def test_parse_ignores_attributes_and_namespaces():
    xml = b'<result xmlns="urn:x" xmlns:p="urn:p"><p:name kind="k">n</p:name></result>'
    assert parse_xml(xml) == {"name": "n"}


def test_billion_laughs_is_refused():
    xml = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<result><name>&lol3;</name></result>"""
    with pytest.raises(XMLFormatError, match="DTD or entity declarations are not accepted"):
        parse_xml(xml)


def test_external_entity_is_refused():
    xml = b"""<?xml version="1.0"?>
<!DOCTYPE result [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<result><name>&xxe;</name></result>"""
    with pytest.raises(XMLFormatError, match="not accepted"):
        parse_xml(xml)


def test_external_dtd_is_refused():
    xml = b'<?xml version="1.0"?>\n<!DOCTYPE result SYSTEM "http://example.com/evil.dtd">\n<result/>'
    with pytest.raises(XMLFormatError, match="not accepted"):
        parse_xml(xml)


def test_undeclared_entity_is_malformed():
    with pytest.raises(XMLFormatError, match="^Malformed XML: "):
        parse_xml(b"<result><name>&nope;</name></result>")


@pytest.mark.parametrize(
    "xml",
    [b"<result><name>x</result>", b"not xml at all", b"<result>", b"<result/><second/>", b"\xff\xfe<r/>"],
)
def test_malformed_is_refused(xml):
    with pytest.raises(XMLFormatError, match="^Malformed XML: "):
        parse_xml(xml)


@pytest.mark.parametrize("xml", [b"", b"   \n"])
def test_empty_body_is_refused(xml):
    with pytest.raises(XMLFormatError):
        parse_xml(xml)


def test_error_is_a_value_error():
    assert issubclass(XMLFormatError, ValueError)


def test_depth_limit():
    ok = b"<a>" * 32 + b"x" + b"</a>" * 32
    parse_xml(ok)
    too_deep = b"<a>" * 33 + b"x" + b"</a>" * 33
    with pytest.raises(XMLFormatError, match="too deeply nested"):
        parse_xml(too_deep)


def test_element_count_limit():
    ok = b"<result>" + b"<entry>1</entry>" * 9999 + b"</result>"
    assert len(parse_xml(ok)) == 9999
    too_many = b"<result>" + b"<entry>1</entry>" * 10000 + b"</result>"
    with pytest.raises(XMLFormatError, match="too many elements"):
        parse_xml(too_many)
