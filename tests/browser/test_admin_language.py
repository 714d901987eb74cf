"""The admin's JavaScript in Spanish: a manager in another time zone than the server's reads the note in Spanish."""

from tests.browser.conftest import ARTIFACTS


def test_a_time_fields_time_zone_note_is_in_spanish(browser, live_server, manager):
    manager.set_password("minka-browser")
    manager.save()
    # Madrid is 6 hours ahead of Lima in winter and 7 in summer: the note says which.
    context = browser.new_context(base_url=live_server.url, locale="es-PE", timezone_id="Europe/Madrid")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto("/accounts/login/")
        page.fill("input[name=username]", manager.username)
        page.fill("input[name=password]", "minka-browser")
        with page.expect_navigation():
            page.click("main button[type=submit]")
        page.goto("/admin/cooperatives/partnerkey/add/")

        note = page.locator(".timezonewarning").first.inner_text()
        today = page.locator(".datetimeshortcuts a").first.inner_text()

        assert note in (
            "Nota: escriba las horas en la zona horaria America/Lima. (Su equipo va 6 horas adelantado.)",
            "Nota: escriba las horas en la zona horaria America/Lima. (Su equipo va 7 horas adelantado.)",
        )
        assert today == "Hoy"
        assert errors == []
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "test_admin_time_zone_note.png"), full_page=True)
        context.close()
