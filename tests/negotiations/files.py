"""Files for the attachment tests, made here: small real PDFs (plain, scripted, encrypted) and
files that only pretend to be images or PDFs."""

from __future__ import annotations

import io


def make_pdf(catalog: bytes = b"", page: bytes = b"", extra: tuple[bytes, ...] = ()) -> bytes:
    """A well-formed one-page PDF with a real cross-reference table.

    ``catalog`` and ``page`` are added to the catalog's and the page's dictionaries; ``extra``
    are further objects, numbered from 4.
    """
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " + page + b" >>",
        *extra,
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


# Active content, in the places malware puts it. Names may be written with #xx escapes
# (/J#61vaScript is /JavaScript): the check must see through them.
PDF_WITH_OPEN_ACTION_SCRIPT = make_pdf(
    catalog=b"/OpenAction 4 0 R",
    extra=(b"<< /S /J#61vaScript /JS (app.alert\\('hello'\\);) >>",),
)
PDF_WITH_DOCUMENT_SCRIPT = make_pdf(
    catalog=b"/Names << /JavaScript 4 0 R >>",
    extra=(b"<< /Names [(init) 5 0 R] >>", b"<< /S /JavaScript /JS (this.print\\(\\);) >>"),
)
PDF_WITH_LAUNCH_ACTION = make_pdf(
    page=b"/Annots [4 0 R]",
    extra=(b"<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] "
           b"/A << /S /Launch /F (cmd.exe) >> >>",),
)


def encrypted_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# A Windows program (the "MZ" header and the DOS stub's words) named like a photo.
FAKE_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 50 + (
    b"This program cannot be run in DOS mode.\r\r\n$" + b"\x00" * 200)
FAKE_HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
# The signature and the end marker, with nothing a PDF reader could parse in between.
FAKE_PDF = b"%PDF-1.7\n<html><script>alert(1)</script></html>\n%%EOF\n"
