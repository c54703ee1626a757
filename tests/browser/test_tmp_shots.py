import pytest
from tests.browser.test_reporting_flow import garden, log_in  # noqa: F401

pytestmark = pytest.mark.plugins("plugins.reporting")


def test_shots(live_server, new_page, garden):  # noqa: F811
    people, group, posts = garden
    a = new_page()
    log_in(a, live_server, "alice")
    a.goto(f"{live_server}/report/post/{posts['bob'].id}")
    a.screenshot(path="/tmp/shot_report.png", full_page=True)
    a.get_by_label("Self-harm or suicide concern").check()
    a.get_by_role("button", name="Send report").click()
    a.screenshot(path="/tmp/shot_help.png", full_page=True)
    m = new_page()
    log_in(m, live_server, "mona")
    m.goto(f"{live_server}/moderation/g/garden")
    m.screenshot(path="/tmp/shot_queue.png", full_page=True)
    m.get_by_role("link", name="Post by Bob Baker").click()
    m.screenshot(path="/tmp/shot_case.png", full_page=True)
