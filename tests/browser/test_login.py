"""A person opens Minka in a browser, reads it in Spanish, switches to English and logs in."""


def test_the_login_page_speaks_spanish_and_switches_to_english(page):
    page.goto("/accounts/login/")
    assert page.locator("h1").inner_text() == "Iniciar sesión"

    # Choosing a language leaves the page only with the switcher's button (never on an arrow key).
    page.select_option("select[name=language]", "en")
    assert page.locator("h1").inner_text() == "Iniciar sesión"
    with page.expect_navigation():
        page.click(".language button[type=submit]")

    assert page.locator("h1").inner_text() == "Log in"
    assert page.javascript_errors == []


def test_a_wrong_password_is_refused_and_the_name_typed_is_kept(page, manager):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", manager.username)
    page.fill("input[name=password]", "not-the-password")
    page.click("main button[type=submit]")

    assert page.locator(".errorlist").count() == 1
    assert page.input_value("input[name=username]") == manager.username
