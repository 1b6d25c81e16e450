"""« Liens internes » in Block Kit: titles and anchors shown as text, the button carries an id only."""
from __future__ import annotations

import json

import pytest

import blockkit as B
from tests.test_blocks import assert_within_slack_limits, buttons

HOSTILE = ["<!channel> Ukraine | <@U123> & co", "Titre *gras* _penché_ `code` <https://evil.example|clic>",
           "x" * 400, "Ukraine : l’OTAN « sommet »"]


@pytest.mark.parametrize("title", HOSTILE)
def test_titles_and_anchors_stay_text_and_the_button_names_the_stored_proposal(title):
    links = [{"url": f"https://site.example/post-{i}/?a=1&b=2", "title": title, "anchor": title[:50],
              "post_id": i} for i in range(4)]
    msg = B.links_message(links, article_id="aid", version=2, job_id="job123")
    assert_within_slack_limits(msg)
    shown = json.dumps(msg["blocks"], ensure_ascii=False)
    assert "<!channel>" not in shown and "<@U123>" not in shown and "<https://evil" not in shown
    for link in links:
        assert f"<{link['url'].replace('&', '&amp;')}|" in shown
    (button,) = buttons(msg)
    assert (button["text"]["text"], button["action_id"], button["value"]) == ("Insérer", B.ACTION_INSERT_LINKS,
                                                                              "aid:2:job123")
    assert "Liens internes" in msg["text"]
