"""The package's shape (issue 8): no import circles, no oversized modules, one role YAML format."""

from __future__ import annotations

import ast
from pathlib import Path

import yaml

from matcher.loader import _read_role, role_to_yaml
from matcher.overlay import SourceFile

PACKAGE = Path(__file__).resolve().parent.parent / "matcher"
MAX_LINES = 420


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, name: str) -> set[str]:
    """Modules of the package this one imports, at module level or inside functions; imports
    only for type checking (under `if TYPE_CHECKING:`) do not run and are left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    out: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if isinstance(child, ast.ImportFrom) and child.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (child.level - 1)]
                target = ".".join(base + ([child.module] if child.module else []))
                if child.module:  # `from . import x` imports x, not the package's __init__
                    out.add(target)
                out.update(f"{target}.{a.name}" for a in child.names)
            elif isinstance(child, (ast.Import, ast.ImportFrom)):
                mod = child.module if isinstance(child, ast.ImportFrom) else None
                names = [mod] if mod else [a.name for a in child.names]  # type: ignore[union-attr]
                out.update(n for n in names if n and n.startswith("matcher"))
            visit(child)

    visit(tree)
    return out


def test_no_import_circles():
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    # The top-level package only re-exports the API lazily and holds __version__; it is the
    # facade over everything, so edges into it are not part of the module graph.
    graph = {m: sorted(t for t in _imports(p, m) if t in modules and t != m and t != "matcher")
             for m, p in modules.items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for t in graph[m]:
            if state.get(t) == 1:
                raise AssertionError("import circle: " + " -> ".join(stack[stack.index(t):] + [t]))
            if t not in state:
                walk(t)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            walk(m)


def test_no_module_is_oversized():
    sizes = {p.relative_to(PACKAGE).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
             for p in PACKAGE.rglob("*.py")}
    assert {k: v for k, v in sizes.items() if v > MAX_LINES} == {}


def test_role_yaml_round_trip(matcher):
    """`role_to_yaml` is the inverse of the loader's reader for every bundled role."""
    data = matcher.index.data
    for role in data.roles.values():
        text = yaml.safe_dump(role_to_yaml(role), allow_unicode=True, sort_keys=False).encode()
        problems: list[str] = []
        again = _read_role(SourceFile(role.origin, "overlay", "roles", text), yaml.safe_load(text),
                           dict(data.competencies), problems)
        assert problems == [] and again == role, role.id
