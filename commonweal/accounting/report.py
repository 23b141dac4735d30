"""The account as a printable PDF a council leader can take to a board (reportlab, no browser needed)."""

import io
from typing import Any

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .tables import account_tables


def account_pdf(account: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    scope = account["scope"]
    title = _("Social productivity account: %(label)s") % {"label": scope["label"]}
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author="Commonweal",
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    )
    styles = getSampleStyleSheet()
    story: list[Any] = [
        Paragraph(_escape(title), styles["Title"]),
        Paragraph(
            _escape(_("%(start)s to before %(end)s") % {"start": scope["start"], "end": scope["end"]}), styles["Normal"]
        ),
        Spacer(1, 6 * mm),
    ]
    for table in account_tables(account):
        story.append(Paragraph(_escape(table["title"]), styles["Heading2"]))
        rows = [table["columns"], *[[_cell(c) for c in row] for row in table["rows"]]]
        pdf_table = Table(rows, repeatRows=1, hAlign="LEFT")
        pdf_table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, 0), "Helvetica-Bold"),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.grey),
                    ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                    ("FONTSIZE", (0, 0), (-1, -1), 8),
                ]
            )
        )
        story += [pdf_table, Spacer(1, 5 * mm)]
    story.append(
        Paragraph(
            _escape(
                _("Counts under 10 are not shown ([c]). Figures are in %(year)s prices.")
                % {"year": account["value"]["price_year"]}
            ),
            styles["Italic"],
        )
    )
    document.build(story)
    return buffer.getvalue()


def _cell(value: Any) -> str:
    return "[c]" if value is None else str(value)


def _escape(text: str) -> str:
    # reportlab paragraphs read a little markup; names from the database must not be taken as markup.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
