def test_frame_renders(app):
    assert not app.exception
    assert "Diabetes" in app.sidebar_text()
