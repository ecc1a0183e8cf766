"""Whatever people type, what is stored is safe HTML from the allow-list, or it is refused."""

from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civic.core import sanitise
from civic.core.errors import DomainError
from forums import services
from forums.models import Post, Thread

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("<p>hi<script>alert(1)</script></p>", "<p>hi</p>"),
        ('<a href="javascript:alert(1)">x</a>', '<p><a rel="nofollow noopener">x</a></p>'),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', '<p><a rel="nofollow noopener">x</a></p>'),
        (
            '<a href="data:text/html,&lt;script&gt;">x</a>',
            '<p><a rel="nofollow noopener">x</a></p>',
        ),
        ('<img src=x onerror="alert(1)">ok', "<p>ok</p>"),
        ('<p onclick="steal()" style="color:red">t</p>', "<p>t</p>"),
        (
            '<a href="https://example.org" onmouseover="x()" target="_blank">l</a>',
            '<p><a href="https://example.org" rel="nofollow noopener">l</a></p>',
        ),
        (
            '<a href="mailto:a@example.org">mail</a>',
            '<p><a href="mailto:a@example.org" rel="nofollow noopener">mail</a></p>',
        ),
        ("<iframe src=//evil></iframe>text", "<p>text</p>"),
        ("<style>body{display:none}</style>text", "<p>text</p>"),
        ("<svg><script>alert(1)</script></svg>text", "<p>text</p>"),
        ("<!-- a comment -->text", "<p>text</p>"),
        (
            "<ul><li>one</li></ul><blockquote>q</blockquote><pre><code>x</code></pre>",
            "<ul><li>one</li></ul><blockquote>q</blockquote><pre><code>x</code></pre>",
        ),
        (
            "line one\nline two\n\n1 < 2 & more",
            "<p>line one<br>line two</p><p>1 &lt; 2 &amp; more</p>",
        ),
        ("<strong>粗</strong>\n第二行", "<p><strong>粗</strong><br>第二行</p>"),
    ],
)
def test_bodies_are_cleaned(people, thread_by, raw, stored):
    thread = thread_by(people.resident, body=raw)
    assert Thread.objects.get(pk=thread.pk).body == stored
    post = services.reply(people.other, thread, body=raw)
    assert Post.objects.get(pk=post.pk).body == stored


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "body_empty"),
        ("   \n ", "body_empty"),
        ("<script>alert(1)</script>", "body_empty"),
        ("<p><br></p>", "body_empty"),
        ("<b>" * 11 + "deep", "body_too_deep"),
        ("<blockquote>" * 50 + "x" + "</blockquote>" * 50, "body_too_deep"),
        ("x" * 20_001, "body_too_long"),
    ],
)
def test_bodies_are_refused(people, thread_by, spaces, raw, code):
    with pytest.raises(DomainError) as refused:
        thread_by(people.resident, body=raw)
    assert refused.value.code == code
    assert refused.value.field == "body"
    assert not Thread.objects.exists()


def test_edits_are_cleaned_and_the_old_version_kept(people, thread_by):
    thread = thread_by(people.resident, body="<p>第一版</p>")
    services.edit_thread(
        people.resident, thread, body='<p onclick="x">第二版</p><script>y</script>'
    )
    thread.refresh_from_db()
    assert thread.body == "<p>第二版</p>"
    assert [r.body for r in thread.revisions.all()] == ["<p>第一版</p>"]
    post = services.reply(people.other, thread, body="回复")
    services.edit_post(people.other, post, body='<a href="javascript:x">改</a>')
    post.refresh_from_db()
    assert post.body == '<p><a rel="nofollow noopener">改</a></p>'
    assert [r.body for r in post.revisions.all()] == ["<p>回复</p>"]


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.sampled_from(
            [
                "<script>",
                "</script>",
                "<a href='javascript:alert(1)'>",
                '<a href="java\tscript:x">',
                "<img src=x onerror=alert(1)>",
                "<p onclick='x'>",
                "<svg onload=x>",
                "<style>",
                "<iframe>",
                "<",
                ">",
                '"',
                "'",
                "</a>",
                "<p>",
                "</p>",
                "text",
                "&lt;script&gt;",
                "<scr<script>ipt>",
                "<math><mi xlink:href='javascript:1'>",
            ]
        ),
        max_size=15,
    )
)
def test_no_executable_markup_survives(pieces):
    raw = "".join(pieces) + " words"
    try:
        html = sanitise.clean_body(raw)
    except (sanitise.BodyTooDeep, sanitise.BodyEmpty):
        return
    parser = _Markup()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag in sanitise.ALLOWED_TAGS, (raw, html)
        for name, value in attrs:
            assert (tag, name) in {("a", "href"), ("a", "rel")}, (raw, html)
            if name == "href":
                assert value.split(":", 1)[0] in {"http", "https", "mailto"}, (raw, html)


class _Markup(HTMLParser):
    """The tags and attributes of stored HTML, as a browser would parse them."""

    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
