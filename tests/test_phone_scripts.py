"""The phone's scripts run on the browsers of 2019 (iOS 12.2+, Chrome 70+): no newer syntax, no newer DOM calls."""

from pathlib import Path

import esprima
import pytest

from core.assets import ASSETS

SCRIPTS = sorted((ASSETS / "phone").glob("*.js"))
# Calls that break those browsers although they parse: each arrived in Chrome 85+ or Safari 13+.
NEWER_METHODS = ("replaceChildren", "replaceAll", "hasOwn", "any", "findLast", "toSorted", "at", "timeout",
                 "allSettled", "matchAll")
NEWER_FUNCTIONS = ("structuredClone",)


def test_there_are_scripts() -> None:
    assert {path.name for path in SCRIPTS} >= {"phone.js", "group.js"}


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_script_parses_as_es2018(script: Path) -> None:
    # esprima 4 knows the syntax up to ES2017 and object rest/spread: `?.`, `??`, `catch {`, `||=`, class
    # fields and `for await` fail here, as on those browsers
    esprima.parseScript(script.read_text(encoding="utf-8"))


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_script_calls_nothing_newer(script: Path) -> None:
    tokens = [token.value for token in esprima.tokenize(script.read_text(encoding="utf-8"))]
    calls = {(before, name) for before, name, after in zip(tokens, tokens[1:], tokens[2:], strict=False)
             if after == "("}
    assert not {name for before, name in calls if before == "." and name in NEWER_METHODS}
    assert not {name for _, name in calls if name in NEWER_FUNCTIONS}


@pytest.mark.parametrize("source", ["a?.b;", "a ?? b;", "try { f(); } catch { }", "a ||= b;",
                                    "class A { #p = 1; }"])
def test_newer_syntax_is_refused(source: str) -> None:
    with pytest.raises(esprima.Error):
        esprima.parseScript(source)
