import pytest
@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}

@pytest.mark.browser
def test_shot(live_server, new_page, make_user, make_group):
    admin = make_user("boss", is_site_admin=True)
    make_group(slug="garden", name="Garden friends", members=(admin,))
    page = new_page()
    page.goto(f"{live_server}/signup")
    page.fill("#field-email", "taken@example.org")
    page.fill("#field-username", "Ada")
    page.fill("#field-display_name", "Ada")
    page.fill("#field-password", "password123")
    page.click("button:has-text('Sign up')")
    page.screenshot(path="/tmp/h1_signup.png", full_page=True)
    page.fill("#field-password", "river lantern orbit 42")
    page.check("#field-adult")
    page.click("button:has-text('Sign up')")
    page.screenshot(path="/tmp/h1_after_signup.png", full_page=True)
    page.goto(f"{live_server}/settings/tokens")
    page.fill("#field-name", "backup")
    page.click("button:has-text('Create token')")
    page.screenshot(path="/tmp/h1_tokens.png", full_page=True)
    p2 = new_page()
    p2.goto(f"{live_server}/login")
    p2.fill("#field-login", "boss")
    p2.fill("#field-password", "correct horse battery")
    p2.click("form.card button:has-text('Log in')")
    p2.goto(f"{live_server}/admin/users")
    p2.screenshot(path="/tmp/h1_admin.png", full_page=True)
    p2.goto(f"{live_server}/u/boss")
    p2.screenshot(path="/tmp/h1_profile.png", full_page=True)
