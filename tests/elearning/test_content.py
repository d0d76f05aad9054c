"""Lesson content is Markdown rendered on the server and sanitised; media without alt text or captions is refused."""
import pytest

from bibnet.elearning.content import IMAGE_WITHOUT_ALT, MEDIA_WITHOUT_CAPTIONS, accessibility_problems, render


@pytest.fixture
def in_request(app):
    with app.test_request_context():
        yield


class TestSanitising:
    def test_a_script_in_the_markdown_is_shown_as_text_never_run(self, in_request):
        html = str(render("Hello <script>alert(1)</script>"))
        assert "<script" not in html
        assert "&lt;script&gt;" in html

    def test_an_event_handler_attribute_is_never_rendered(self, in_request):
        html = str(render('<img src="x" onerror="alert(1)">\n\n![A tube](x.png)'))
        assert '<img src="x"' not in html  # shown as text: &lt;img …&gt;
        assert '<img src="x.png" alt="A tube">' in html

    def test_a_javascript_link_loses_its_target(self, in_request):
        html = str(render("[click](javascript:alert(1)) and [site](https://example.lv)"))
        assert 'href="javascript' not in html  # left as text, never a link
        assert 'href="https://example.lv"' in html

    def test_headings_start_below_the_pages_own_title(self, in_request):
        assert str(render("# Welcome")).startswith("<h2>Welcome</h2>")


class TestMediaMustBeAccessible:
    def test_an_image_without_alt_text_is_refused_naming_the_rule(self, in_request):
        assert accessibility_problems("Look: ![](room.jpg)") == [IMAGE_WITHOUT_ALT]

    def test_an_image_with_alt_text_passes(self, in_request):
        assert accessibility_problems("![The quiet corner with cushions](room.jpg)") == []

    def test_a_video_without_captions_or_transcript_is_refused(self, in_request):
        assert accessibility_problems("![Welcoming a visitor](welcome.mp4)") == [MEDIA_WITHOUT_CAPTIONS]

    def test_a_video_with_captions_plays_with_its_captions_track(self, in_request):
        markdown = '![Welcoming a visitor](welcome.mp4 "welcome.vtt")'
        assert accessibility_problems(markdown) == []
        html = str(render(markdown))
        assert '<track kind="captions" src="welcome.vtt"' in html
        assert "<video" in html

    def test_audio_with_a_transcript_links_the_transcript(self, in_request):
        markdown = '![Story hour](story.mp3 "story-transcript.txt")'
        assert accessibility_problems(markdown) == []
        assert 'href="story-transcript.txt"' in str(render(markdown))
