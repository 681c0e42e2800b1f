"""User text is shown as plain text (DESIGN principle 4): ``playbook.ui.common.plain`` over
many Markdown payloads, and a sweep of the pages' source for Markdown-rendering calls whose
text does not go through it.

What the helper's output looks like in a real browser (no link, image, emphasis, heading,
code, colour, icon, emoji or LaTeX; the characters shown literally) is checked in
tests/e2e/test_exfiltration.py; these tests pin the Markdown source it produces.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from playbook.ui.common import WORD_JOINER, plain

ROOT = Path(__file__).resolve().parents[2]
UI_SOURCES = [*sorted((ROOT / "playbook" / "ui").glob("*.py")), ROOT / "app.py"]

# Markdown (CommonMark + GFM + what Streamlit adds), one construct each.
PAYLOADS = [
    "**bold** and __bold__",
    "*em* and _em_",
    "`code` and ``code``",
    "~~strike~~",
    "[click](javascript:alert(1))",
    "[link](http://127.0.0.1:9/x 'title')",
    "![pix](http://127.0.0.1:9/leak.png)",
    '<img src="http://127.0.0.1:9/leak.png" onerror="alert(1)">',
    "<b>html</b> <script>alert(1)</script> <!-- comment -->",
    "<http://127.0.0.1:9/angle> <mailto:x@example.com>",
    "bare http://127.0.0.1:9/bare https://x.example/y www.x.example WWW.X.EXAMPLE",
    "mail someone@example.com or mailto:someone@example.com",
    ":red[red] :orange-background[bg] :blue-badge[badge] :small[small] :color[x]{foreground=red}",
    ":::note\ninside\n:::",
    "::leaf[x]{a=b}",
    ":material/home: :smile: :+1: :-1: :streamlit:",
    "$x^2$ and $$y$$ and \\(z\\)",
    "# heading",
    "###### heading",
    "Title\n===",
    "Title\n---",
    "- item\n* item\n+ item",
    "1. one\n2) two",
    "> quote",
    "| a | b |\n|---|---|\n| c | d |",
    "    indented code",
    "\tindented code",
    "```\nfenced\n```",
    "~~~\nfenced\n~~~",
    "---\n***\n___",
    "&lt;b&gt; &amp; &#60; &#x3C; &copy;",
    "[ref][1]\n\n[1]: http://127.0.0.1:9/ref",
    "![ref][2]\n\n[2]: http://127.0.0.1:9/ref.png",
    "note[^1]\n\n[^1]: footnote",
    "- [ ] task\n- [x] done",
    "a \\* b \\\\ c \\",
    "line one  \nline two\\\nline three",
]

# A character with Markdown meaning not preceded by a backslash (an even run of them).
UNESCAPED = re.compile(r"(?<!\\)(?:\\\\)*[`*_~\[\](){}!<>#+\-.|$&=:]")


def unescape(md: str) -> str:
    """What a reader sees of ``plain``'s output: escapes, joiners and the line breaks' two
    spaces gone, indentation back."""
    shown = re.sub(r"\\(.)", r"\1", md.replace(WORD_JOINER, "").replace("  \n", "\n"))
    return shown.replace("\u00a0", " ")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_markdown_character_is_escaped_and_reads_back_the_same(payload: str) -> None:
    for lines in (False, True):
        md = plain(payload, lines=lines)
        assert not UNESCAPED.search(md.replace("\\\\", "")), md
        expected = payload if lines else re.sub(r"\s+", " ", payload)
        if lines:
            expected = expected.replace("\t", "    ")
        assert unescape(md) == expected, (payload, md)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_label_is_one_line(payload: str) -> None:
    assert "\n" not in plain(payload)


def test_text_found_after_decoding_is_broken_by_a_word_joiner() -> None:
    # GFM bare autolinks, emoji shortcodes and icons are found in the decoded text, where a
    # backslash no longer is; an invisible word joiner breaks them.
    for payload, broken in [
        ("http://x.example", "http\\:" + WORD_JOINER + "//"),
        ("www.x.example", "www" + WORD_JOINER + "\\."),
        ("WwW.x.example", "WwW" + WORD_JOINER + "\\."),
        ("a@b.example", "@" + WORD_JOINER + "b"),
        (":smile:", "\\:" + WORD_JOINER + "smile"),
        (":material/home:", "\\:" + WORD_JOINER + "material/home"),
        (":+1:", "\\:" + WORD_JOINER + "\\+1"),
    ]:
        assert broken in plain(payload), (payload, plain(payload))
    # Ordinary prose keeps its colons and spaces as they were (escaped, but no joiner).
    assert plain("Rotation debrief: Supply chain, Singapore") == (
        "Rotation debrief\\: Supply chain, Singapore"
    )
    assert plain("wwwx.example") == "wwwx\\.example"


def test_lines_keep_their_breaks_and_no_line_starts_a_code_block() -> None:
    md = plain("first\n    second\n\nthird\r\nfourth", lines=True)
    assert md == "first  \n" + "\u00a0" * 4 + "second  \n  \nthird  \nfourth"
    assert plain(" word", lines=True) == " word"  # a streamed piece still wraps
    assert plain("a\n b\n\tc", lines=True) == "a  \n b  \n" + "\u00a0" * 4 + "c"


def test_a_label_collapses_whitespace_but_keeps_its_edges() -> None:
    # Pieces of a highlighted snippet are joined back together: their spaces must stay.
    assert plain("  two\n\nlines\t here ") == " two lines here "
    assert plain("") == ""
    assert plain(42) == "42"


# -- the pages: every Markdown-rendering call gets literal text or text through plain() --------

# Streamlit calls whose text (first positional argument, label=, body=, help=) is Markdown.
MARKDOWN_CALLS = {
    "markdown",
    "caption",
    "write",
    "title",
    "header",
    "subheader",
    "info",
    "warning",
    "success",
    "error",
    "toast",
    "expander",
    "popover",
    "status",
    "checkbox",
    "toggle",
    "radio",
    "button",
    "form_submit_button",
    "download_button",
    "link_button",
    "page_link",
    "metric",
    "text_input",
    "text_area",
    "number_input",
    "date_input",
    "time_input",
    "selectbox",
    "multiselect",
    "file_uploader",
    "slider",
    "select_slider",
    "color_picker",
    "write_stream",
    "tabs",
    "link",  # playbook.ui.common.link(address, label): the label is Markdown
}
# Values interpolated into Markdown that are the app's own, never user text (by source text).
SAFE_VALUES = {
    "len(queue)",
    "len(terms)",
    "len(q['in_review'])",
    "len(q['due'])",
    "len(q['feedback'])",
    "len(versions)",
    "len(preview.spans)",
    "len(roster.people)",
    "len(settings.allow_terms)",
    "len(settings.employee_id_patterns)",
    "n",
    "i",
    "a",
    "v.number",
    "when",
    "entry.version",
    "saved.version",
    "days",
    "at",
    "h.window_weeks",
    "h.last_reflection",
    "h.weeks_with_reflection",
    "h.streak_weeks",
    "view.mine",
    "view.shared_with_them",
    "view.entries",
    "d.kind.value.replace('_', ' ')",
    "d.visibility.value",
    "d.created_at",
    "item.created_at",
    "e.review_due",
    "entry.review_due",
    "hit.review_due",
    "exc.current.updated_at",
    "type(exc).__name__",
    "STATUS_LABEL[e.status.value]",
    "STATUS_LABEL[entry.status.value]",
    "SECTION_LABELS[section]",
    "labels[action.value]",
    "state",  # lifecycle.review_state: a fixed phrase
    "verdict",  # "This helped" / "This is outdated"
    "mode",  # which assistant answered
    "how",  # which way a draft was written
    "marks",  # "[1], [3]"
    "verb",
    "due",
    "flag",
    "limited[0].upper()",  # the rate limiter's own sentence
    "limited[1:]",
    "limited[0].upper() + limited[1:] + '; these come from the prompt library.'",
    "f' {limited[0].upper()}{limited[1:]}.' if limited else ''",
    "RULES[action].refusal[0].upper() + RULES[action].refusal[1:] + '.'",
    "', '.join(clashes)",  # section labels
    "'active again' if undo else 'deactivated'",
    "label",  # loop over literal (label, ...) tuples
    "SECTION_LABELS[name]",
    "f'Weeks with a reflection (of {h.window_weeks})'",
}


# Functions that build their Markdown from plain() (each has its own test).
# ``len`` is a number; ``_highlighted`` (ui/ask.py) escapes every piece through ``plain`` and
# adds only its own bold markers.
SAFE_BUILDERS = {"plain", "_as_text", "highlighted", "_highlighted", "len"}


def _function_safe_names(fn: ast.AST) -> set[str]:
    """Names assigned in ``fn`` only from expressions that are themselves safe."""
    assigned: dict[str, list[ast.expr]] = {}
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    assigned.setdefault(target.id, []).append(node.value)
    safe: set[str] = set()
    changed = True
    while changed:
        changed = False
        for name, values in assigned.items():
            if name not in safe and all(_safe(v, safe) for v in values):
                safe.add(name)
                changed = True
    return safe


def _safe(node: ast.expr | None, names: set[str]) -> bool:
    if node is None:
        return True
    if isinstance(node, ast.Constant):
        return True
    if ast.unparse(node) in SAFE_VALUES:
        return True
    if isinstance(node, ast.Name):
        return node.id in names
    if isinstance(node, ast.Call):
        f = node.func
        if isinstance(f, ast.Name):
            return f.id in SAFE_BUILDERS
        if isinstance(f, ast.Attribute) and f.attr == "join":  # "".join(safe pieces)
            return _safe(f.value, names) and all(_safe(a, names) for a in node.args)
        if ast.unparse(f) == "common.count":  # a number and a noun agreeing with it
            return all(_safe(a, names) for a in node.args)
        return False
    if isinstance(node, ast.GeneratorExp | ast.ListComp):
        return _safe(node.elt, names)
    if isinstance(node, ast.JoinedStr):
        return all(_safe(v, names) for v in node.values)
    if isinstance(node, ast.FormattedValue):
        return _safe(node.value, names)
    if isinstance(node, ast.BinOp):
        return _safe(node.left, names) and _safe(node.right, names)
    if isinstance(node, ast.IfExp):
        return _safe(node.body, names) and _safe(node.orelse, names)
    if isinstance(node, ast.List | ast.Tuple):
        return all(_safe(e, names) for e in node.elts)
    if isinstance(node, ast.Lambda):
        return _safe(node.body, names)
    if isinstance(node, ast.Attribute) and node.attr == "__getitem__":
        # {"a": "A"}.__getitem__ over literal labels
        return isinstance(node.value, ast.Dict) and all(
            isinstance(v, ast.Constant) for v in node.value.values
        )
    return False


def _texts(node: ast.Call) -> list[ast.expr]:
    """The arguments of a Streamlit call that it renders as Markdown."""
    assert isinstance(node.func, ast.Attribute)
    call = node.func.attr
    texts: list[ast.expr] = list(node.args[:1])  # the body, or a widget's label
    if call in ("page_link", "link"):  # (page or address, label): the page is no text
        texts = list(node.args[1:2])
    keywords = {k.arg: k.value for k in node.keywords}
    texts += [keywords[k] for k in ("label", "body", "help") if k in keywords]
    if call == "metric":
        texts += node.args[1:2] + [keywords[k] for k in ("value", "delta") if k in keywords]
    if call == "radio":  # a radio's options are Markdown; a select box's are plain text
        texts += [keywords["format_func"]] if "format_func" in keywords else node.args[1:2]
    return texts


def _unsafe_calls(path: Path) -> list[str]:
    found: list[str] = []

    def visit(node: ast.AST, names: set[str]) -> None:
        if isinstance(node, ast.FunctionDef):
            names = names | _function_safe_names(node)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in MARKDOWN_CALLS
        ):
            for text in _texts(node):
                if not _safe(text, names):
                    found.append(
                        f"{path.name}:{node.lineno}: {node.func.attr}({ast.unparse(text)})"
                    )
        for child in ast.iter_child_nodes(node):
            visit(child, names)

    visit(ast.parse(path.read_text(), str(path)), set())
    return found


def test_every_markdown_call_on_every_page_shows_user_text_through_plain() -> None:
    unsafe = [line for path in UI_SOURCES for line in _unsafe_calls(path)]
    assert not unsafe, "\n".join(unsafe)


def test_the_sweep_finds_a_call_that_bypasses_plain(tmp_path: Path) -> None:
    page = tmp_path / "page.py"
    page.write_text(
        "import streamlit as st\n"
        "def page(d):\n"
        "    st.expander(d.title)\n"
        "    st.caption(f'{plain(d.title)} · {d.source_id}')\n"
        "    cols = st.columns(2)\n"
        "    cols[0].markdown('**' + d.title + '**')\n"
        "    st.radio('Prompt', ids, format_func=lambda i: lib.prompt(i).text)\n"
        "    ok = plain(d.title)\n"
        "    st.checkbox(f'{ok} · {len(queue)}')\n"
        "    st.selectbox('Programme', names, format_func=names.__getitem__)\n"
    )
    assert [line.split(": ", 1)[0] for line in _unsafe_calls(page)] == [
        "page.py:3",
        "page.py:4",
        "page.py:6",
        "page.py:7",
    ]
