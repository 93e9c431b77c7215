"""The Chinese catalog is complete, well-formed, and covers every message the UI can show.

When one of these fails after a change to a template or a message: re-extract and update the
catalog (see frontend/translations/README.md), translate the new entries, and run again.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from app import PROJECT_ROOT
from app.web.i18n import TRANSLATIONS_DIR, gettext_for

PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")
TRANSLATED_LOCALES = ("zh",)


def _catalog(locale: str) -> Catalog:
    with (TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


def _template() -> Catalog:
    with (TRANSLATIONS_DIR / "messages.pot").open("rb") as handle:
        return read_po(handle)


def _entries(catalog: Catalog) -> list[Message]:
    return [message for message in catalog if message.id]


def _texts(value: object) -> list[str]:
    """A message's id or string as a list: singular entries have one, plural ones several."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, tuple | list):
        return [str(v) for v in value]
    return []


def _msgid(message: Message) -> str:
    return _texts(message.id)[0]


def _extracted_in_process() -> set[str]:
    """Run the same extraction as `pybabel extract -F babel.cfg`, without a subprocess."""
    with (PROJECT_ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle, "babel.cfg")  # type: ignore[no-untyped-call]

    def only_sources(path: str) -> bool:
        relative = Path(path).resolve().relative_to(PROJECT_ROOT).parts
        return bool(relative) and relative[0] in {"app", "frontend"} and not any(
            part.startswith((".", "_")) for part in relative
        )

    found: set[str] = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        PROJECT_ROOT, method_map, options_map, directory_filter=only_sources
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.fixture(scope="module")
def extracted() -> set[str]:
    return _extracted_in_process()


@pytest.mark.parametrize("locale", TRANSLATED_LOCALES)
def test_every_entry_is_translated_and_none_is_fuzzy(locale: str) -> None:
    catalog = _catalog(locale)
    assert not catalog.fuzzy, "the catalog header is marked fuzzy"
    untranslated = [
        _msgid(m) for m in _entries(catalog)
        if not _texts(m.string) or not all(_texts(m.string))
    ]
    fuzzy = [_msgid(m) for m in _entries(catalog) if m.fuzzy]
    assert untranslated == [], f"untranslated in {locale}: {untranslated}"
    assert fuzzy == [], f"fuzzy in {locale}: {fuzzy}"


@pytest.mark.parametrize("locale", TRANSLATED_LOCALES)
def test_placeholders_survive_translation(locale: str) -> None:
    """A translation that drops, renames or breaks a %(name)s would fail at render time."""
    broken = []
    for message in _entries(_catalog(locale)):
        msgid = _msgid(message)
        wanted = set(PLACEHOLDER.findall(msgid))
        for string in _texts(message.string):
            if set(PLACEHOLDER.findall(string)) != wanted:
                broken.append((msgid, string))
                continue
            if wanted:
                try:
                    string % dict.fromkeys(wanted, "x")
                except (ValueError, TypeError, KeyError):
                    broken.append((msgid, string))
    assert broken == []


@pytest.mark.parametrize("locale", TRANSLATED_LOCALES)
def test_the_catalog_matches_the_messages_in_the_code(locale: str, extracted: set[str]) -> None:
    """Every `_("...")` in templates and code is in the catalog, and nothing stale is left."""
    in_catalog = {_msgid(m) for m in _entries(_catalog(locale))}
    missing = sorted(extracted - in_catalog)
    stale = sorted(in_catalog - extracted)
    assert missing == [], f"not in the {locale} catalog (run the update): {missing}"
    assert stale == [], f"no longer used, remove from the {locale} catalog: {stale}"


def test_the_committed_template_is_current(extracted: set[str]) -> None:
    assert {_msgid(m) for m in _entries(_template())} == extracted


def test_templates_were_extracted(extracted: set[str]) -> None:
    """Guards the extraction itself: a broken babel.cfg would find nothing and pass the rest."""
    assert "Sign out" in extracted  # base.html
    assert "Register your company" in extracted  # home.html, login.html
    assert "Enter a valid email address." in extracted  # app/web/forms.py


def _shown_on_pages(path: Path) -> bool:
    """Where the errors that pages show come from: the hierarchy, domain services, the pages.

    (Transport-only errors, such as WebSocket frames, are not rendered by the pages.)
    """
    relative = path.relative_to(PROJECT_ROOT / "app").as_posix()
    return (relative == "errors.py" or relative.startswith("web/")
            or (relative.count("/") == 1 and relative.endswith("/service.py")))


def _app_error_messages() -> set[str]:
    """Messages of AppError subclasses (class attributes and literal arguments), from source.

    Read with `ast` rather than by importing, so a service counts whether or not it is loaded.
    Messages built at run time (f-strings) cannot be in a catalog and are not collected.
    """
    sources = sorted((PROJECT_ROOT / "app").rglob("*.py"))
    parsed = {path: ast.parse(path.read_text(encoding="utf-8")) for path in sources}
    # The hierarchy is learnt from every module; messages only from those pages show.
    classes = [n for tree in parsed.values() for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
    trees = [tree for path, tree in parsed.items() if _shown_on_pages(path)]

    def base_names(node: ast.ClassDef) -> set[str]:
        return {b.id if isinstance(b, ast.Name) else b.attr for b in node.bases
                if isinstance(b, ast.Name | ast.Attribute)}

    errors = {"AppError"}
    while True:
        more = {c.name for c in classes if base_names(c) & errors} - errors
        if not more:
            break
        errors |= more

    def literal(node: ast.expr) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id == "N_" and node.args):
            return literal(node.args[0])
        return None

    messages: set[str] = set()
    for cls in (n for tree in trees for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
        if cls.name in errors:
            for statement in cls.body:
                if (isinstance(statement, ast.Assign)
                        and any(isinstance(t, ast.Name) and t.id == "message"
                                for t in statement.targets)):
                    text = literal(statement.value)
                    if text:
                        messages.add(text)
    for tree in trees:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else (
                func.attr if isinstance(func, ast.Attribute) else None
            )
            if name not in errors:
                continue
            arguments = [*node.args[:1], *(k.value for k in node.keywords if k.arg == "message")]
            messages.update(text for arg in arguments if (text := literal(arg)))
    return messages


@pytest.mark.parametrize("locale", TRANSLATED_LOCALES)
def test_every_error_message_the_services_raise_is_translated(locale: str) -> None:
    """Errors are shown on pages as `_(message)`; an uncatalogued one would stay English.

    Add a missing one to app/web/messages.py (and translate it).
    """
    messages = _app_error_messages()
    assert "This invitation has already been used. Sign in, or ask for a new invitation." in (
        messages
    )
    translated = {_msgid(m) for m in _entries(_catalog(locale))}
    assert sorted(messages - translated) == []


def test_chinese_is_served_from_the_catalog() -> None:
    gettext = gettext_for("zh")
    assert gettext("Sign out") == "退出登录"
    assert gettext("Welcome back, %(name)s", name="林伟") == "欢迎回来，林伟"
    assert gettext_for("en")("Sign out") == "Sign out"


def test_no_compiled_catalogs_are_committed() -> None:
    """i18n.py compiles the .po in memory; a stale .mo next to it would only mislead."""
    assert list(TRANSLATIONS_DIR.rglob("*.mo")) == []
