"""The product app plus a bench-only blueprint with the framework's floor; never imported by the product.

Floor routes: ``/bench/floor-page?rows=N`` renders a template of about the report's size with one
query; ``/bench/floor-pdf?pages=N`` builds a bare ReportLab document of exactly N pages;
``/bench/floor-rows?rows=N&bytes=B[&kind=csv]`` returns N rows from one query as about B bytes of HTML or CSV.
"""
from __future__ import annotations

from io import BytesIO

from flask import Blueprint, render_template_string, request
from markupsafe import escape
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate
from sqlalchemy import select

from readiness import create_app
from readiness.extensions import db
from readiness.models import Delegation
from readiness.web.auth import public

bench = Blueprint("bench", __name__, url_prefix="/bench")

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>floor</title></head><body><main>
<h1>{{ names|length }} delegations</h1><table>
{% for i in range(rows) %}<tr><td>{{ i }}</td><td>{{ names[i % names|length] }}</td>
<td>A line of text about the same length as a flag message in the report, escaped by Jinja.</td></tr>
{% endfor %}</table></main></body></html>"""


@bench.get("/floor-page")
@public
def floor_page() -> str:
    """A bare Flask page: one query, one template loop."""
    names = db.session.scalars(select(Delegation.name)).all() or ["none"]
    return render_template_string(PAGE, names=names, rows=request.args.get("rows", 200, type=int))


@bench.get("/floor-pdf")
@public
def floor_pdf() -> tuple[bytes, int, dict[str, str]]:
    """A bare ReportLab document: paragraphs only, built-in fonts, no charts; ``pages`` pages exactly."""
    buffer = BytesIO()
    style = getSampleStyleSheet()["BodyText"]
    text = "A paragraph of plain text, about as long as a flag with its evidence and recommended action. " * 3
    story: list = []
    for page in range(request.args.get("pages", 9, type=int)):
        # Eight such paragraphs fill most of an A4 page and never spill onto the next one.
        story += ([PageBreak()] if page else []) + [Paragraph(text, style) for _ in range(8)]
    SimpleDocTemplate(buffer, pagesize=A4).build(story)
    return buffer.getvalue(), 200, {"Content-Type": "application/pdf"}



ROW = "<tr><td>{0}</td><td>{1}</td><td>{2}</td><td>{3}</td></tr>\n"


@bench.get("/floor-rows")
@public
def floor_rows() -> tuple[object, int, dict[str, str]]:
    """One query returning ``rows`` rows, written as an HTML table or a CSV of about ``bytes`` bytes.

    The floor of an HQ page or export: the same number of rows and bytes, without the product's work.
    """
    from readiness.models import Assessment

    rows = request.args.get("rows", 100, type=int)
    size = request.args.get("bytes", 20_000, type=int)
    found = db.session.execute(
        select(Assessment.id, Assessment.title, Assessment.created_at).order_by(Assessment.id).limit(rows)
    ).all()
    filler = "x" * max(0, size // max(1, len(found)) - 60)
    if request.args.get("kind") == "csv":
        lines = [f"{r[0]},{r[1]},{r[2].isoformat()},{filler}\r\n" for r in found]
        return "".join(lines).encode(), 200, {"Content-Type": "text/csv; charset=utf-8"}
    body = "".join(ROW.format(r[0], escape(r[1]), r[2].isoformat(), filler) for r in found)
    return f"<!doctype html><html lang=en><title>floor</title><table>{body}</table></html>", 200, {"Content-Type": "text/html"}


app = create_app()
app.register_blueprint(bench)
