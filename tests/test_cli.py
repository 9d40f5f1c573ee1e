"""The command line loads a domain's module only for its commands: the list of which module
registers which command must be exactly what the modules register."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from safeguard.cli import COMMANDS, app, domain_commands


def test_every_command_is_listed_with_the_module_that_registers_it() -> None:
    registered = {
        name: module
        for module in dict.fromkeys(COMMANDS.values())
        for name in domain_commands(module)
    }
    assert registered == COMMANDS


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert f" {name} " in result.output


def test_a_misspelt_command_is_refused_with_suggestions() -> None:
    result = CliRunner().invoke(app, ["asess"])
    assert result.exit_code == 2
    assert "Did you mean 'assess'" in result.output


def test_import_command_does_not_load_linkage_or_risk_libraries() -> None:
    code = (
        "import sys\n"
        "from safeguard.cli import app\n"
        "app(['import', '--help'], standalone_mode=False)\n"
        "print(sorted(m for m in ('duckdb', 'pyarrow', 'holidays', 'jinja2') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
