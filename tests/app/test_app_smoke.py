def test_frame_renders(app):
    assert not app.exception
    assert "Diabetes" in " ".join(t.value for t in app.sidebar.text)
