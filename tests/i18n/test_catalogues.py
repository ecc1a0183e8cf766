"""The catalogue of Chinese for Wagtail's strings (civic/locale_overrides): translated, compiled,
still Wagtail's, and none of ours (so which of the two catalogues wins never matters)."""

import ast
import gettext
import re
from pathlib import Path

import wagtail
from django.conf import settings
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
OURS = ROOT / "civic" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
OVERRIDES = ROOT / "civic" / "locale_overrides" / "zh_Hans" / "LC_MESSAGES" / "django.po"
WAGTAIL = Path(wagtail.__file__).parent


def entries(po):
    """{(msgctxt, msgid): [msgstr, …]} of a .po file, header and obsolete entries left out."""
    found = {}
    for block in re.split(r"\n\s*\n", po.read_text(encoding="utf-8")):
        fields = {}
        key = None
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) (\".*\")$", line)
            if match:
                key = match.group(1)
                fields[key] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and key:
                fields[key] += ast.literal_eval(line)
        if fields.get("msgid"):
            strs = [v for k, v in sorted(fields.items()) if k.startswith("msgstr")]
            found[(fields.get("msgctxt"), fields["msgid"])] = strs
    return found


def test_every_override_is_translated_and_the_committed_mo_is_compiled_from_it():
    overrides = entries(OVERRIDES)
    assert overrides
    with OVERRIDES.with_suffix(".mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for (context, msgid), strs in overrides.items():
        assert strs, f"untranslated: {msgid}"
        assert all(strs), f"untranslated: {msgid}"
        got = compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)
        assert got == strs[0], f"{msgid}: the .mo is not compiled from the .po (compilemessages)"


def test_overrides_are_wagtails_strings_and_none_of_ours():
    wagtails = {}
    for po in WAGTAIL.glob("**/locale/en/LC_MESSAGES/django.po"):
        wagtails.update(entries(po))
    ours = entries(OURS)
    for key in entries(OVERRIDES):
        assert key in wagtails, f"no longer a msgid of the installed Wagtail: {key[1]}"
        assert key not in ours, f"already in civic/locale, take it out of the overrides: {key[1]}"


def test_the_overrides_reach_the_admin_after_ours():
    assert settings.LOCALE_PATHS[-1] == OVERRIDES.parents[2]
    with translation.override("zh-hans"):
        assert translation.gettext("Search all pages…") == "搜索所有页面…"
        assert translation.gettext("Privacy and access") == "隐私与访问"
