"""The WordPress surfaces in Block Kit: the button, the settings switch, the thread answer."""
from __future__ import annotations

import json

import blockkit as B
from tests.test_blocks import assert_within_slack_limits, buttons, make_article, make_body, make_report


def test_the_wordpress_button_comes_only_when_asked_and_acts_on_its_version():
    body = make_body(4, 4)
    plain = B.article_messages(make_article(), make_report(812), body, version=3, article_id="aid")
    with_wp = B.article_messages(make_article(), make_report(812), body, version=3, article_id="aid",
                                 wordpress=True)
    assert [b["text"]["text"] for b in buttons(plain[-1])] == ["Régénérer", "Raccourcir", "Changer le mot-clé",
                                                               "Exporter", "Titres", "Réseaux sociaux"]
    last = buttons(with_wp[-1])[-1]
    assert (last["text"]["text"], last["action_id"], last["value"]) == ("WordPress", B.ACTION_WORDPRESS, "aid:3")
    for message in with_wp:
        assert_within_slack_limits(message)


def test_the_settings_modal_has_the_wordpress_switch_only_when_wordpress_is_configured():
    def switch(current):
        view = B.settings_modal(current, "{}")
        return next((b for b in view["blocks"] if b.get("block_id") == B.WORDPRESS_BLOCK), None)

    assert switch({"min_words": 700}) is None
    on = switch({"min_words": 700, "wordpress_available": True})
    assert on["element"]["initial_options"][0]["value"] == B.WORDPRESS_OPTION  # on by default
    off = switch({"min_words": 700, "wordpress_available": True, "wordpress": False})
    assert not off["element"].get("initial_options")


def test_the_thread_answer_says_created_updated_or_which_version_and_links_the_draft():
    link = "https://site.example/wp-admin/post.php?post=12&action=edit"
    created = B.wordpress_message(edit_link=link, created=True, version=1, previous_version=None,
                                  seo_fields_saved=True)
    updated = B.wordpress_message(edit_link=link, created=False, version=1, previous_version=1,
                                  seo_fields_saved=True)
    newer = B.wordpress_message(edit_link=link, created=False, version=3, previous_version=1,
                                seo_fields_saved=True)
    missing = B.wordpress_message(edit_link=link, created=True, version=1, previous_version=None,
                                  seo_fields_saved=False, retry_value="job1")
    assert created["text"] == "Brouillon créé dans WordPress (version 1)"
    assert updated["text"] == "Brouillon WordPress mis à jour (version 1)"
    assert newer["text"] == "Brouillon WordPress mis à jour avec la version 3 (il contenait la version 1)"
    shown = json.dumps(created["blocks"], ensure_ascii=False)
    assert "<https://site.example/wp-admin/post.php?post=12&amp;action=edit|ouvrir le brouillon>" in shown
    assert [b["text"]["text"] for b in buttons(missing)] == ["Réessayer"] and buttons(missing)[0]["value"] == "job1"
    assert "seo-fr-meta.php" in json.dumps(missing["blocks"]) and not buttons(created)
    for message in (created, updated, newer, missing):
        assert_within_slack_limits(message)
