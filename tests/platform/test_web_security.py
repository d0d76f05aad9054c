"""Page security: user text inside translated messages is escaped; the CSP names only the app and its object store."""
from flask import render_template_string
from flask_babel import lazy_gettext as _l


def test_a_lazy_message_with_user_text_is_escaped(app):
    message = _l("The room is closed on this day: %(reason)s.", reason="<script>alert(1)</script>")
    with app.test_request_context():
        html = render_template_string("<p>{{ message }}</p>{{ [message]|map('string')|join(' ') }}", message=message)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_content_security_policy_allows_images_from_the_object_store_only_when_files_are_there():
    from bibnet.web.security import content_security_policy

    local = content_security_policy({"STORAGE_BACKEND": "local"})
    s3 = content_security_policy({"STORAGE_BACKEND": "s3", "S3_ENDPOINT_URL": "http://s3.localhost:9000/"})
    assert "img-src 'self' data:;" in local
    assert "img-src 'self' data: http://s3.localhost:9000;" in s3
    assert "default-src 'self';" in s3
