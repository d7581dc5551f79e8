"""No Czech text outside the message catalogues.

User-facing strings are English msgids translated by the catalogues
(translations/ for Python and Jinja, assets/translations/ for the React
parts). A string with a Czech letter in the code or templates is a text that
bypasses them. Not scanned: the catalogues, data (app_data/, demo data), and
docstrings and comments, which are notes for developers (they quote Czech
words as examples) and never reach a page or an e-mail.
"""

import ast
import io
import re
import tokenize

from helpers import ROOT

CZECH = re.compile("[ěščřžýáíéúůťďňóĚŠČŘŽÝÁÍÉÚŮŤĎŇÓ]")
SCANNED = [
    ("site/consortium_tenants", ("*.py", "*.html", "*.jinja", "*.js")),
    ("assets/js", ("*.js",)),
    ("templates", ("*.html", "*.jinja")),
]
SKIPPED_PARTS = {"translations", "app_data", "node_modules", "__pycache__"}


def _python_strings(source):
    """(line, text) of the string literals of SOURCE that are not docstrings.

    A docstring here is any statement that is only a string (module, class and
    function docstrings, and the attribute docstrings under constants).
    """
    docs = {(node.lineno, node.col_offset) for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.STRING and token.start not in docs:
            yield token.start[0], token.string


def _blank(match):
    """MATCH replaced by as many newlines as it spans (line numbers stay)."""
    return "\n" * match.group(0).count("\n")


def _without_comments(path, source):
    """SOURCE with its Jinja or JavaScript comments blanked out."""
    if path.suffix in (".html", ".jinja"):
        return re.sub(r"\{#.*?#\}", _blank, source, flags=re.S)
    source = re.sub(r"/\*.*?\*/", _blank, source, flags=re.S)
    return re.sub(r"(^|\s)//[^\n]*", lambda m: m.group(1), source)


def czech_literals(root=ROOT, scanned=SCANNED):
    """"file:line: text" of every Czech literal outside catalogues, data and comments."""
    found = []
    for folder, patterns in scanned:
        for pattern in patterns:
            for path in sorted((root / folder).rglob(pattern)):
                if SKIPPED_PARTS & set(path.relative_to(root).parts):
                    continue
                source = path.read_text(encoding="utf-8")
                if path.suffix == ".py":
                    lines = list(_python_strings(source))
                else:
                    lines = enumerate(_without_comments(path, source).splitlines(), 1)
                found.extend(f"{path.relative_to(root)}:{number}: {text.strip()}"
                             for number, text in lines if CZECH.search(text))
    return found


def test_no_czech_literal_outside_the_catalogues():
    found = czech_literals()
    assert found == [], "Czech text outside the catalogues:\n" + "\n".join(found)


def test_a_czech_literal_is_found_in_each_kind_of_file_but_not_in_docs_or_comments(tmp_path):
    """The check bites: a planted literal of each kind is listed with its file and line."""
    module = tmp_path / "site" / "consortium_tenants"
    (module / "translations").mkdir(parents=True)
    (module / "views.py").write_text(
        '"""Modul: žádné texty."""\n# komentář: úprava\nflash("Uloženo, díky.")\n')
    (module / "page.html").write_text('{# poznámka: čeština #}\n<p>{{ "Vítejte" }}</p>\n')
    (module / "mail.jinja").write_text("Dobrý den,\n")
    (module / "translations" / "messages.py").write_text('TEXT = "Překlad"\n')
    (tmp_path / "assets" / "js").mkdir(parents=True)
    (tmp_path / "assets" / "js" / "app.js").write_text(
        '// tlačítko\n/* víceřádkový\n komentář */\nconst label = "Uložit";\n')
    (tmp_path / "templates").mkdir()
    assert czech_literals(tmp_path) == [
        'site/consortium_tenants/views.py:3: "Uloženo, díky."',
        'site/consortium_tenants/page.html:2: <p>{{ "Vítejte" }}</p>',
        "site/consortium_tenants/mail.jinja:1: Dobrý den,",
        'assets/js/app.js:4: const label = "Uložit";',
    ]
