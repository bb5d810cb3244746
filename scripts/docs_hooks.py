"""MkDocs hooks (mkdocs.yml `hooks:`): pages generated at build time from the code, so they cannot go stale.

- docs/cli.md: `<!-- cli-reference -->` becomes every command, sub-command and option of the argparse parser
  (`keyframeface.cli._build_parser`), so a command added anywhere appears on the next build;
- docs/rest.md: `<!-- rest-reference -->` becomes every route of the studio's OpenAPI schema (needs the `web` extra);
- docs/usage.md: `<!-- readme -->` becomes README.md, its title dropped and its links made site links;
- on every page a link to a repository file outside docs/ becomes its path in code (no site page to link to);
- docs/api.md: `<!-- module-index -->` becomes every module of the package with the first line of its docstring;
- nav entries whose page does not exist yet (a guide another branch adds) are dropped with a note, not an error.
"""

from __future__ import annotations

import argparse
import html
import json
import logging
import os
import re
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.hooks.keyframeface")

CLI_MARKER = "<!-- cli-reference -->"
REST_MARKER = "<!-- rest-reference -->"
MODULES_MARKER = "<!-- module-index -->"
README_MARKER = "<!-- readme -->"


def on_config(config: Any) -> Any:
    """Drop nav entries whose Markdown file is absent, saying which."""
    docs = Path(config["docs_dir"])
    if config.get("nav"):
        config["nav"] = _existing(config["nav"], docs)
    return config


def on_files(files: Any, config: Any) -> Any:
    """Add the studio's OpenAPI schema to the site as openapi.json (when the web extra is installed)."""
    from mkdocs.structure.files import File

    schema = _openapi()
    if schema is not None:
        files.append(File.generated(config, "openapi.json", content=json.dumps(schema, indent=1)))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Fill the generated references into their pages; links to repository files become their paths."""
    docs = Path(config["docs_dir"])
    markdown = repo_links(markdown, written_in=(docs / page.file.src_path).parent, docs=docs)
    if CLI_MARKER in markdown:
        markdown = markdown.replace(CLI_MARKER, cli_reference())
    if REST_MARKER in markdown:
        markdown = markdown.replace(REST_MARKER, rest_reference())
    if README_MARKER in markdown:
        markdown = markdown.replace(README_MARKER, readme(Path(config["config_file_path"]).parent / "README.md"))
    if MODULES_MARKER in markdown:
        markdown = markdown.replace(MODULES_MARKER, module_index(Path(config["config_file_path"]).parent / "src"))
    return markdown


def _existing(nav: list, docs: Path) -> list:
    kept = []
    for entry in nav:
        if isinstance(entry, dict):
            (title, value), = entry.items()
            if isinstance(value, list):
                value = _existing(value, docs)
                if value:
                    kept.append({title: value})
            elif _present(value, docs):
                kept.append(entry)
            else:
                log.info("nav: %s (%s) is not written yet; left out", title, value)
        elif _present(entry, docs):
            kept.append(entry)
    return kept


def _present(target: str, docs: Path) -> bool:
    return "://" in target or (docs / target).is_file()


# ---------------------------------------------------------------- the CLI reference


def cli_reference() -> str:
    """Markdown for the whole command line: the top-level options, then one section per (sub-)command."""
    from keyframeface.cli import _build_parser

    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "100"  # argparse wraps usage lines to the terminal: fixed for a reproducible page
    try:
        parser = _build_parser()
        lines = [_section(parser, "keyframeface", level=2, summary=None)]
        for name, sub, summary in _subcommands(parser):
            lines.append(_section(sub, f"keyframeface {name}", level=2, summary=summary))
            for name2, sub2, summary2 in _subcommands(sub):
                lines.append(_section(sub2, f"keyframeface {name} {name2}", level=3, summary=summary2))
    finally:
        if old is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = old
    return "\n".join(lines)


def _subcommands(parser: argparse.ArgumentParser) -> list[tuple[str, argparse.ArgumentParser, str]]:
    out = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            out += [(name, sub, helps.get(name, "")) for name, sub in action.choices.items()]
    return out


def _section(parser: argparse.ArgumentParser, title: str, *, level: int, summary: str | None) -> str:
    lines = [f"{'#' * level} `{title}`", ""]
    description = parser.description or ""
    if summary and summary != description:
        lines += [_text(summary), ""]
    if description:
        lines += [_text(description), ""]
    lines += ["```text", parser.format_usage().strip(), "```", ""]
    for group in parser._action_groups:
        rows = [_row(a) for a in group._group_actions
                if not isinstance(a, argparse._SubParsersAction) and a.help != argparse.SUPPRESS]
        subs = [s for a in group._group_actions if isinstance(a, argparse._SubParsersAction)
                for s in a._choices_actions]
        if subs:
            lines += [f"**{group.title}**", "", "| command | what |", "| --- | --- |"]
            lines += [f"| [`{s.dest}`](#{_anchor(title + ' ' + s.dest)}) | {_cell(s.help or '')} |" for s in subs]
            lines.append("")
        if rows:
            lines += [f"**{group.title}**", "", "| argument | what | default |", "| --- | --- | --- |", *rows, ""]
    if parser.epilog:
        lines += ["```text", parser.epilog.strip(), "```", ""]
    return "\n".join(lines)


def _row(action: argparse.Action) -> str:
    name = ", ".join(action.option_strings) or (action.metavar or action.dest)
    if action.option_strings and action.nargs != 0:
        metavar = action.metavar or (f"{{{','.join(map(str, action.choices))}}}" if action.choices else
                                     action.dest.upper())
        name += f" {metavar}"
    what = action.help or ""
    if action.choices and not action.option_strings:
        what += f" (one of: {', '.join(map(str, action.choices))})"
    if action.required and action.option_strings:
        what += " **(required)**"
    default = action.default
    shown = "" if default in (None, False, argparse.SUPPRESS) or action.nargs == 0 and default is False else \
        f"`{default}`"
    if isinstance(action, (argparse._HelpAction, argparse._VersionAction)):
        shown = ""
    return f"| `{name}` | {_cell(what)} | {shown} |"


def _anchor(title: str) -> str:
    """The id MkDocs' toc gives a heading `` `title` ``."""
    return "-".join(title.lower().split())


def _text(text: str) -> str:
    return html.escape(text, quote=False)


def _cell(text: str) -> str:
    return _text(" ".join(text.split())).replace("|", "\\|")


# ---------------------------------------------------------------- the README


def readme(path: Path) -> str:
    """README.md for a page inside docs/: without its title, its links re-pointed from the repo root (see
    ``repo_links``)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    docs = path.parent / "docs"
    return repo_links("\n".join(lines) + "\n", written_in=path.parent, docs=docs, page_dir=docs)


LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]+)\]\((?P<target>(?![a-z]+:|#)[^)\s#]+)(?P<anchor>#[^)\s]*)?\)")


def repo_links(markdown: str, *, written_in: Path, docs: Path, page_dir: Path | None = None) -> str:
    """Relative links of a Markdown text written in folder ``written_in`` and shown on a page in ``page_dir``
    (default: the same folder), made to work inside the site: a page under docs/ is linked relative to the
    page; a repository file outside docs/ (a script, a benchmark) cannot be
    a site link, so it becomes its text and path in code (``text (`path`)``); anything else is left for the
    strict build to report."""

    here = (page_dir or written_in).resolve()

    def fix(match: re.Match) -> str:
        target = (written_in / match["target"]).resolve()
        if target.is_relative_to(docs.resolve()):
            link = Path(os.path.relpath(target, here)).as_posix()
            return f"[{match['text']}]({link}{match['anchor'] or ''})"
        if target.exists():
            return f"{match['text']} (`{target.relative_to(docs.resolve().parent).as_posix()}`)"
        return match[0]

    return LINK.sub(fix, markdown)


# ---------------------------------------------------------------- the module index


def module_index(src: Path) -> str:
    """Markdown table: every module under src/keyframeface (private ones too, marked) and its docstring's first line."""
    import ast

    rows = ["| module | what |", "| --- | --- |"]
    for path in sorted((src / "keyframeface").rglob("*.py")):
        parts = path.relative_to(src).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if name.endswith("__main__"):
            continue
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        first = doc.strip().split("\n\n", 1)[0].replace("\n", " ")
        rows.append(f"| `{name}` | {_cell(first)} |")
    return "\n".join(rows) + "\n"


# ---------------------------------------------------------------- the REST reference


def _openapi() -> dict | None:
    """The studio's OpenAPI schema, as FastAPI builds it from the code; None without the web extra."""
    try:
        from keyframeface.web.app import create_app
    except ImportError:
        return None
    return create_app().openapi()


def rest_reference() -> str:
    """Markdown table of the studio's routes, from its OpenAPI schema (FastAPI builds it from the code)."""
    schema = _openapi()
    if schema is None:  # the web extra is part of the docs extra; say so if a build lacks it
        return "!!! note\n    The route table needs the `web` extra (`pip install '.[docs]'`).\n"
    lines = [f"OpenAPI {schema.get('openapi', '')}, *{schema['info']['title']}* {schema['info']['version']}; "
             "the schema itself: [openapi.json](openapi.json).", "",
             "| method | path | what | body |", "| --- | --- | --- | --- |"]
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            ref = body.get("$ref", "").rsplit("/", 1)[-1]
            lines.append(f"| {method.upper()} | `{path}` | {_cell(op.get('summary') or op.get('description') or '')}"
                         f" | {f'`{ref}`' if ref else ''} |")
    lines.append("")
    for name, model in sorted(schema.get("components", {}).get("schemas", {}).items()):
        if name.endswith("In"):
            lines += [f"**`{name}`**", "", "| field | type | default | what |", "| --- | --- | --- | --- |"]
            required = set(model.get("required", ()))
            for field, spec in model.get("properties", {}).items():
                kind = spec.get("type") or " or ".join(s.get("type", s.get("$ref", "").rsplit("/", 1)[-1])
                                                        for s in spec.get("anyOf", ()))
                default = "required" if field in required else f"`{json.dumps(spec.get('default'))}`"
                lines.append(f"| `{field}` | {kind} | {default} | {_cell(spec.get('description', ''))} |")
            lines.append("")
    return "\n".join(lines)
