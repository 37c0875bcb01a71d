"""The project keeps its promises about itself: layering, settings and documentation."""

import ast
import re
import subprocess
import sys

from bot.cli import build_parser
from bot.settings import Settings
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_importing_knowledge_does_not_import_telegram():
    code = "import sys, knowledge, knowledge.questions.answering, knowledge.state.store; print([m for m in sys.modules if m.split('.')[0] in ('telegram', 'bot')])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.strip() == "[]"


def test_knowledge_reads_no_environment():
    for path in (ROOT / "knowledge").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "os.environ" not in source and "getenv" not in source and "dotenv" not in source, path.name


def test_the_readme_first_screen_has_exactly_two_commands_and_ci_runs_the_test_one():
    first_block = re.search(r"```sh\n(.*?)```", README, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in first_block.splitlines() if line.strip()]
    assert commands == ["make run", "make test"]
    assert README.index("make test") < 1500
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.rstrip().splitlines()[-1] == "make test"
    assert "TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test make test" in README  # what CI adds, the README says


def test_every_setting_is_in_env_example_with_a_comment():
    example = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    for name in Settings.model_fields:
        key = name.upper()
        [index] = [i for i, line in enumerate(example) if line.startswith(f"{key}=")]
        assert example[index - 1].startswith("#"), key
        assert key in README, key


def test_every_cli_command_is_in_the_readme():
    commands = build_parser()._subparsers._group_actions[0].choices
    for command in commands:
        assert f"inspection-bot {command}" in README, command


def test_the_corpus_holds_only_real_documents():
    for path in (ROOT / "knowledge" / "corpus").iterdir():
        assert "synthetic" not in path.read_text(encoding="utf-8", errors="replace").lower(), path.name


def test_synthetic_fixtures_say_so_in_their_first_line():
    for path in (ROOT / "tests" / "fixtures").rglob("*"):
        if path.is_file():
            assert "synthetic test document" in path.read_text(encoding="utf-8").splitlines()[0], path


def test_every_bot_command_is_in_help_and_the_readme():
    from bot.app import COMMANDS
    from bot.messages import HELP

    for command, _ in COMMANDS:
        assert f"`/{command}" in README, command
        assert f"/{command}" in HELP or command in ("start", "help"), command


def the_map() -> set[str]:
    """The paths README's "How it is built" names: a tree, two spaces a level, folders ending in '/', each name
    followed by what it holds (a description's wrapped lines are indented past the names)."""
    tree = re.search(r"## How it is built\n.*?```\n(.*?)```", README, re.S).group(1)
    paths, folders = set(), []
    for line in tree.splitlines():
        indent = len(line) - len(line.lstrip(" "))
        if not line.strip() or indent >= 20:
            continue
        assert indent % 2 == 0 and indent // 2 <= len(folders), line
        folders = folders[: indent // 2]
        name = line.split()[0]
        paths.add("".join(folders) + name)
        if name.endswith("/"):
            folders.append(name)
    return paths


def test_the_readme_map_names_every_module_and_only_modules_that_exist():
    named = the_map()
    modules = {path.relative_to(ROOT).as_posix() for folder in ("knowledge", "bot", "testing") for path in (ROOT / folder).rglob("*.py")
               if path.name not in ("__init__.py", "__main__.py") and "migrations" not in path.parts}  # Alembic's own files
    assert {"knowledge/state/store.py", "bot/app.py", "testing/botapi.py"} <= modules  # the walk finds folders within folders
    missing = sorted(modules - named)
    assert not missing, f"missing from README's \"How it is built\": {', '.join(missing)}"
    gone = sorted(p for p in named if p.endswith(".py") and not (ROOT / p).is_file())
    assert not gone, f"README's \"How it is built\" names modules that do not exist: {', '.join(gone)}"


def test_modules_and_functions_stay_a_size_a_reader_can_hold():
    """Issue 16: no module of knowledge/ or bot/ over 500 lines, no function over 60 (complexity is ruff's C901)."""
    too_long = []
    for path in sorted([*(ROOT / "knowledge").rglob("*.py"), *(ROOT / "bot").rglob("*.py")]):
        if "migrations" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT).as_posix()
        if len(source.splitlines()) > 500:
            too_long.append(f"{name}: {len(source.splitlines())} lines")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno - node.lineno + 1 > 60:
                too_long.append(f"{name}:{node.lineno} {node.name}: {node.end_lineno - node.lineno + 1} lines")
    assert not too_long, too_long
