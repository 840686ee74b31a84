"""Keyboard shortcut preferences (WCAG 2.1.4): turned off or remapped per person, through one
service; the article page hands the person's keymap to its script and lists it in the help sheet."""

import json

import pytest
from django.urls import reverse

from accounts.models import UserPreference
from accounts.selectors import user_shortcuts
from accounts.services import user_preference_update
from accounts.shortcuts import ACTIONS, keys_parse
from core.errors import InvalidInput
from tests.factories import ArticleFactory, ClaimFactory


def full_keymap(**changes):
    keys = {a.name: a.default for a in ACTIONS}
    keys.update(changes)
    return keys


def test_only_the_keys_that_differ_from_the_defaults_are_stored(editor):
    user_preference_update(user=editor, shortcuts_enabled=True, shortcut_keys=full_keymap(accept=("y",), undo=()))
    preference = UserPreference.objects.get(user=editor)
    assert preference.shortcut_keys == {"accept": ["y"], "undo": []}
    resolved = user_shortcuts(user=editor, can_curate=True)["keys"]
    assert resolved["accept"] == ["y"] and resolved["undo"] == [] and resolved["next"] == ["j", "n"]


@pytest.mark.parametrize(
    "keys, message",
    [
        (full_keymap(accept=("j",)), "'j' is given to both"),
        (full_keymap(accept=("ab",)), "is not a single character key"),
        ({**full_keymap(), "explode": ("e",)}, "unknown shortcut action"),
    ],
)
def test_a_keymap_with_clashes_or_bad_keys_is_refused(editor, keys, message):
    with pytest.raises(InvalidInput) as exc:
        user_preference_update(user=editor, shortcuts_enabled=True, shortcut_keys=keys)
    assert message in exc.value.message
    assert not UserPreference.objects.filter(user=editor).exists()


def test_keys_are_parsed_from_what_people_type():
    assert keys_parse("J, n  n") == ("j", "n") and keys_parse("") == () and keys_parse("? /") == ("?", "/")


def test_the_preferences_page_turns_shortcuts_off_and_remaps_them(client, reviewer):
    client.force_login(reviewer)
    page = client.get(reverse("web:preference-edit"))
    assert page.status_code == 200 and 'name="key_accept"' in page.content.decode()
    data = {f"key_{a.name}": " ".join(a.default) for a in ACTIONS}
    data.update(key_next="l", shortcuts_enabled="")
    response = client.post(reverse("web:preference-edit"), data)
    assert response.status_code == 302
    preference = UserPreference.objects.get(user=reviewer)
    assert preference.shortcuts_enabled is False and preference.shortcut_keys == {"next": ["l"]}


def test_a_clash_on_the_page_is_shown_and_nothing_is_saved(client, editor):
    client.force_login(editor)
    data = {f"key_{a.name}": " ".join(a.default) for a in ACTIONS}
    data.update(key_accept="r", shortcuts_enabled="on")
    response = client.post(reverse("web:preference-edit"), data)
    assert response.status_code == 400
    assert "given to both" in response.content.decode()
    assert not UserPreference.objects.filter(user=editor).exists()


def test_the_article_page_uses_the_persons_keys(client, editor):
    article = ArticleFactory(body="The mayor said the plan costs €7 million.")
    ClaimFactory(article=article, start=0, end=9)
    user_preference_update(user=editor, shortcuts_enabled=True, shortcut_keys=full_keymap(accept=("y",), help=("h",)))
    client.force_login(editor)
    content = client.get(reverse("web:article-detail", args=[article.pk])).content.decode()
    config = json.loads(content.split('id="article-config" type="application/json">')[1].split("</script>")[0])
    assert config["shortcuts"]["enabled"] is True and config["shortcuts"]["keys"]["accept"] == ["y"]
    assert "<tr><td><kbd>y</kbd></td><td>Accept the selected claim</td></tr>" in content
    assert "<kbd>?</kbd>" not in content  # the help key is now h

    user_preference_update(user=editor, shortcuts_enabled=False, shortcut_keys=full_keymap())
    content = client.get(reverse("web:article-detail", args=[article.pk])).content.decode()
    assert "Single-key shortcuts are off." in content and "<kbd>a</kbd>" not in content


def test_people_who_cannot_curate_are_not_shown_curating_keys(client, reviewer):
    rows = user_shortcuts(user=reviewer, can_curate=False)["rows"]
    assert {r["name"] for r in rows} == {"next", "previous", "open", "help"}
