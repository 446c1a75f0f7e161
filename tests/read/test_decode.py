import pytest

from policytag.errors import ReadError
from policytag.read import decode_bytes, read, read_source


def test_utf8_with_and_without_bom_and_crlf(data_dir):
    plain = read(data_dir / "reports" / "seed-000.txt")
    bom = read(data_dir / "encodings" / "seed-000.utf8-bom-crlf.txt")
    assert bom.encoding == "utf-8-sig"
    assert [p.text for p in bom.paragraphs] == [p.text for p in plain.paragraphs]


def test_gb18030_copy_gives_the_same_paragraphs(data_dir):
    utf8 = read(data_dir / "reports" / "seed-000.txt")
    gb = read(data_dir / "encodings" / "seed-000.gb18030.txt")
    assert gb.encoding == "gb18030"
    assert [(p.text, p.section) for p in gb.paragraphs] == [(p.text, p.section) for p in utf8.paragraphs]


@pytest.mark.parametrize("encoding", ["big5", "gb18030"])
def test_traditional_copies_in_legacy_encodings(data_dir, encoding):
    utf8 = read(data_dir / "encodings" / "seed-004-traditional.utf8.txt")
    other = read(data_dir / "encodings" / f"seed-004-traditional.{encoding}.txt")
    assert other.encoding == encoding
    assert [p.text for p in other.paragraphs] == [p.text for p in utf8.paragraphs]
    assert utf8.script == other.script == "traditional"


def test_detection_ignores_the_file_extension(tmp_path, data_dir):
    odd = tmp_path / "report.docx.bak"
    odd.write_bytes((data_dir / "encodings" / "seed-004-traditional.big5.txt").read_bytes())
    assert read_source(odd).encoding == "big5"


def test_utf16_with_bom():
    text = "各位代表：\n现在，我代表国务院向大会作政府工作报告。\n"
    assert decode_bytes(text.encode("utf-16")).text == text


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty file"),
        (b"  \n\r\n ", "empty file"),
        (b"\x00\x01\x02binary\x00data" * 20, "binary file"),
        (b"\xff\xff\xfe\x80\x80abc" * 10, "cannot decode"),
    ],
)
def test_bad_bytes_give_one_clear_error(data, message):
    with pytest.raises(ReadError, match=message) as info:
        decode_bytes(data, source="x.txt")
    assert "\n" not in str(info.value) and str(info.value).startswith("x.txt: ")


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(ReadError, match="no such file"):
        read(tmp_path / "missing.txt")
    with pytest.raises(ReadError, match="directory"):
        read_source(tmp_path)


def test_docx_report(tmp_path, data_dir):
    docx = pytest.importorskip("docx")
    source = read(data_dir / "reports" / "seed-001.txt")
    document = docx.Document()
    for p in source.paragraphs:
        document.add_paragraph(p.text)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "指标"
    table.rows[0].cells[1].text = "完成固定资产投资262.9亿元"
    path = tmp_path / "seed-001.docx"
    document.save(path)
    report = read(path)
    assert report.encoding == "docx"
    texts = [p.text for p in report.paragraphs]
    assert texts[: len(source.paragraphs)] == [p.text for p in source.paragraphs]
    assert "完成固定资产投资262.9亿元" in texts[-1]


def test_legacy_doc_and_broken_docx_are_refused(tmp_path):
    doc = tmp_path / "old.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    with pytest.raises(ReadError, match=r"\.doc files are not supported"):
        read(doc)
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ReadError, match="not a valid .docx"):
        read(bad)
