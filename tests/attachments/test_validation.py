"""Pure rules: strict base64, filename cleaning and the Content-Disposition header."""

import base64

import pytest

from desk.attachments.downloads import content_disposition
from desk.attachments.validation import clean_filename, decode_base64, decoded_size


@pytest.mark.parametrize(
    ("text", "data"),
    [
        ("QQ==", b"A"),
        ("QUI=", b"AB"),
        ("QUJD", b"ABC"),
        ("QQ", b"A"),  # unpadded, as PHP's strict mode accepts
        ("QUJD\r\nREVG\n", b"ABCDEF"),  # line-wrapped (chunk_split), whitespace skipped as PHP does
        (" Q Q = = ", b"A"),
        (base64.b64encode(bytes(range(256))).decode(), bytes(range(256))),
    ],
)
def test_strict_base64_accepts(text, data):
    assert decode_base64(text) == data
    assert decoded_size(text) == len(data)


@pytest.mark.parametrize(
    "text",
    ["Q", "QQ=", "QQ===", "Q===", "=", "QQ==QQ==", "QQ-_", "QQ_=", "QQ.=", "QQ==\x00", "ЙЙ==", "QUJD\fREVG"],
)
def test_strict_base64_refuses(text):
    with pytest.raises(ValueError):
        decode_base64(text)


@pytest.mark.parametrize(
    ("given", "clean"),
    [
        ("report.pdf", "report.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\Desktop\\cv.docx", "cv.docx"),
        ("dir/sub/", "sub"),
        ("..", ""),
        ("/", ""),
        ("./.", ""),
        ("\x00\x01\x1f\x7f", ""),
        (".htaccess", ".htaccess"),
        ("a\u202eb\u2066c\u200bd\ufeffe.txt", "abcde.txt"),
        ("tab\there.txt", "tabhere.txt"),
        ("non\u00a0breaking  space.txt", "non breaking space.txt"),
        ("e\u0301.txt", "é.txt"),  # composed, so the same name is always the same text
        ("x" * 300 + ".tar.gz", "x" * 252 + ".gz"),
        ("y" * 250 + "." + "z" * 40, ("y" * 250 + "." + "z" * 40)[:255]),
    ],
)
def test_clean_filename(given, clean):
    assert clean_filename(given) == clean
    assert len(clean) <= 255


@pytest.mark.parametrize(
    ("filename", "header"),
    [
        ("a.txt", 'attachment; filename="a.txt"'),
        ("résumé.pdf", "attachment; filename=\"resume.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf"),
        ("Ω", "attachment; filename=\"attachment\"; filename*=UTF-8''%CE%A9"),
        ("a b;c,d.txt", 'attachment; filename="a b;c,d.txt"'),
    ],
)
def test_content_disposition(filename, header):
    assert content_disposition(filename) == header
