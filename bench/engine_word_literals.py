"""Count the English word literals left in the engine's Python (issue 13 item 5: vocabulary belongs in data/).

    python bench/engine_word_literals.py        # per module, then the total

A word literal is a string constant of lower-case letters (spaces and apostrophes allowed) outside docstrings,
f-strings' format parts and error messages (strings with a space and over 40 characters are taken as prose).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[1] / "src" / "keyframeface" / "backends" / "engine"
_WORDISH = re.compile(r"[a-z][a-z' ]{1,40}")


def word_literals(path: Path) -> list[str]:
    """The word-like string constants of one module (docstrings left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
                  and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and id(n) not in docstrings and _WORDISH.fullmatch(n.value)]


def main() -> None:
    total = 0
    for path in sorted(ENGINE.glob("*.py")):
        found = word_literals(path)
        total += len(found)
        print(f"{path.name:<22} {len(found):5d}")
    print(f"{'total':<22} {total:5d}")


if __name__ == "__main__":
    main()
