"""The Chinese admin in Chinese: each role walks the demo's admin (every menu item, and a sample
of the listing, edit, inspect and history pages they link to) in zh-hans, and no interface
phrase of Wagtail's or ours is left in English. Names people typed (the demo's English titles,
codes, emails) are data and may stay as they are; the phrases below are interface text."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from civic.accounts.models import User
from civic.portal.models import CaseStudyPage, DistrictPage

from .admin_walk import walk_admin

pytestmark = pytest.mark.django_db

UNTRANSLATED = [
    # Wagtail's, missing from its zh_Hans catalogue (civic/locale_overrides supplies them)
    "Search all pages",
    "Privacy and access",
    r"\d+-\d+ of \d+",
    "Sort by",
    "ascending order",
    "descending order",
    "Date updated",
    "Edited by",
    "Has child pages",
    "Page type",
    "Exploring",
    "Show disabled",
    "By task",
    "By workflow",
    "Locked by",
    "Anyone can edit",
    "Autosave",
    "Content metrics",
    "Reading time",
    "Readability",
    "Toggle checks",
    "editor guide",
    "Edit account avatar",
    "created in",
    "Grid layout",
    "Usage count",
    "Sort item order",
    "Disable custom ordering",
    "Toggle all",
    "Why not",
    # Wagtail's, in English in its templates (listings' tick and cross; inspect views still
    # print booleans as True/False, not yet covered)
    "Actions",
    # ours: the district teams' former names ("提交给QH-DH moderation"), reused msgids
    r"[A-Z]{2}-[A-Z]{2} (?:editors|approvers|moderation|approval)",
    "Nothing waiting",
]
PHRASES = re.compile(r"\b(?:%s)\b" % "|".join(UNTRANSLATED))


@pytest.fixture(scope="module", autouse=True)
def _seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(PASSWORD_HASHERS=hashers, MEDIA_ROOT=str(media)),
    ):
        call_command("seed_demo", force=True, stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def pages_of_interest():
    """A district's page listing and a case study's editor (with its workflow's actions)."""
    district = DistrictPage.objects.order_by("path").first()
    case_study = CaseStudyPage.objects.filter(path__startswith=district.path).first()
    return [f"/admin/pages/{district.pk}/", f"/admin/pages/{case_study.pk}/edit/"]


@pytest.mark.parametrize(
    ("email", "least"),
    [
        ("admin@demo.civic", 40),
        ("editor@demo.civic", 10),
        ("dispatcher@demo.civic", 5),
        # Leaders use the portal's leadership forum, not the admin: they are sent to sign in.
        ("leader@demo.civic", 0),
    ],
)
def test_no_english_interface_text_in_the_chinese_admin(client, email, least):
    user = User.objects.get(email=email)
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    found, screens = [], 0
    for url, text in walk_admin(client, user, extra=pages_of_interest()):
        screens += 1
        found += [(url, line) for line in text.splitlines() if PHRASES.search(line)]
    assert screens >= least
    assert not found, "\n".join(f"{url}: {line}" for url, line in found)
