"""Writes small real PDFs for the tests (standard library only): text pages with the base-14 Helvetica font."""

import zlib

WINANSI = {"\u2019": 0x92, "\u2018": 0x91, "\u201c": 0x93, "\u201d": 0x94, "\u2013": 0x96, "\u2014": 0x97}


def pdf_string(text: str) -> bytes:
    out = bytearray(b"(")
    for ch in text:
        code = WINANSI.get(ch, ord(ch))
        if code > 255:
            raise ValueError(f"{ch!r} is not in WinAnsiEncoding")
        if ch in "()\\":
            out += b"\\" + ch.encode()
        elif code < 32 or code > 126:
            out += b"\\%03o" % code
        else:
            out.append(code)
    return bytes(out + b")")


def make_pdf(pages: list[list[str]], *, title: str | None = None, created: str | None = None, compress: bool = True, raw_streams: list[bytes] | None = None) -> bytes:
    """A PDF with one page per list of lines (top to bottom). `created` is a PDF date such as D:20240516."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    pages_id = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids = []
    streams = raw_streams or []
    for lines in pages:
        ops = [b"BT /F1 10 Tf 13 TL 56 790 Td"]
        for line in lines:
            ops.append(pdf_string(line) + b" Tj T*")
        ops.append(b"ET")
        streams.append(b"\n".join(ops))
    for stream in streams:
        data = zlib.compress(stream) if compress else stream
        flate = b" /Filter /FlateDecode" if compress else b""
        content = add(b"<< /Length %d%s >>\nstream\n" % (len(data), flate) + data + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (pages_id, font, content)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
    objects[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    info = None
    if title or created:
        fields = b""
        if title:
            fields += b" /Title " + pdf_string(title)
        if created:
            fields += b" /CreationDate " + pdf_string(created)
        info = add(b"<<" + fields + b" >>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    trailer = b"<< /Size %d /Root %d 0 R" % (len(objects) + 1, catalog) + (b" /Info %d 0 R" % info if info else b"") + b" >>"
    out += b"trailer\n" + trailer + b"\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


HEADER = "Synthetic test document \u2013 Norfolk Constabulary inspection report"


def norfolk_report() -> bytes:
    """A three-page report: running header and page numbers, wrapped lines, a word hyphenated across lines."""
    pages = [
        [HEADER, "", "An inspection of Norfolk Constabulary",
         "This synthetic test document was made for the tests. Norfolk Constabulary was",
         "graded good at preventing crime and requires improvement at investigating",
         "crime.",
         "",
         "Areas for improvement",
         "- The force should make sure that it supervises investigations into domestic",
         "abuse well enough to bring offenders to justice.",
         "- The force needs to record crime more accurately, especially reports of",
         "stalking.",
         "", "1"],
        [HEADER, "", "Cause of concern",
         "The force does not always identify vulnerable people when they first call,",
         "and its response to them is too slow.",
         "",
         "Recommendations",
         "Within six months, the force should:",
         "- make sure that call handlers assess the risk to every caller consistently; and",
         "- reduce the time it takes to attend emergencies in rural areas.",
         "", "2"],
        [HEADER, "", "HM Inspector\u2019s observations",
         "HM Inspector of Constabulary Alex Example said: \u201cI am encouraged by the im-",
         "provement in how Norfolk Constabulary prevents crime, and I will monitor its",
         "progress closely.\u201d",
         "", "3"],
    ]
    return make_pdf(pages, title="Norfolk Constabulary inspection (synthetic test document)", created="D:20240307100000Z")
