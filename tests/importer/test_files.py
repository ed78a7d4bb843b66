"""Where the importer looks for an attachment's file, from the absolute path the original stored."""

from pathlib import Path

from desk.importer.files import candidates


def test_under_the_root_first_then_the_stored_path():
    assert candidates("/var/www/desk/app/attachments/ticket/a b.png", "/copy") == [
        Path("/copy/ticket/a b.png"),
        Path("/var/www/desk/app/attachments/ticket/a b.png"),
    ]


def test_the_last_attachments_folder_counts():
    assert candidates("/srv/attachments/app/attachments/comment/x.txt", "/copy")[0] == Path(
        "/copy/comment/x.txt"
    )


def test_without_a_root_only_the_stored_path():
    assert candidates("/srv/app/attachments/ticket/x.txt", None) == [
        Path("/srv/app/attachments/ticket/x.txt")
    ]


def test_paths_outside_an_attachments_folder_or_climbing_out_are_never_read():
    assert candidates("/etc/passwd", "/copy") == []
    assert candidates("/srv/app/attachments/../../../etc/passwd", "/copy") == []
    assert candidates("/srv/app/attachments/ticket/../../secret", "/copy") == []
